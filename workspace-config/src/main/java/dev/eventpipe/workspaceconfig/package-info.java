/** The data plane's workspace-config wiring: client bean, settings, environment variables, last good config. */
@NullMarked
package dev.eventpipe.workspaceconfig;

import org.jspecify.annotations.NullMarked;
