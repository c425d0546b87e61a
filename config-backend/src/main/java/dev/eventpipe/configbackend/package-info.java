/** The control plane: workspaces, sources, destinations, transformations and users; serves the data plane's config. */
@NullMarked
package dev.eventpipe.configbackend;

import org.jspecify.annotations.NullMarked;
