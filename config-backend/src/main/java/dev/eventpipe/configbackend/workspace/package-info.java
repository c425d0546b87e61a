/** Workspaces, the unit of isolation. */
@NullMarked
package dev.eventpipe.configbackend.workspace;

import org.jspecify.annotations.NullMarked;
