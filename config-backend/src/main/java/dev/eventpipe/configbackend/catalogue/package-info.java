/** The destination catalogue, declared by the transformer and synced in the background. */
@NullMarked
package dev.eventpipe.configbackend.catalogue;

import org.jspecify.annotations.NullMarked;
