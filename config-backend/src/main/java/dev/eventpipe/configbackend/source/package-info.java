/** Sources and their write keys. */
@NullMarked
package dev.eventpipe.configbackend.source;

import org.jspecify.annotations.NullMarked;
