/** Destinations: config validated against the catalogue's JSON Schema, secrets encrypted at rest. */
@NullMarked
package dev.eventpipe.configbackend.destination;

import org.jspecify.annotations.NullMarked;
