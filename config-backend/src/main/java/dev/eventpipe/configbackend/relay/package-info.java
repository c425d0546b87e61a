/** The web app's one-origin route to the data-plane services' own APIs (router, processor, transformer). */
@NullMarked
package dev.eventpipe.configbackend.relay;

import org.jspecify.annotations.NullMarked;
