/** The endpoints the data plane calls: workspace config and transformation code by version. */
@NullMarked
package dev.eventpipe.configbackend.dataplane;

import org.jspecify.annotations.NullMarked;
