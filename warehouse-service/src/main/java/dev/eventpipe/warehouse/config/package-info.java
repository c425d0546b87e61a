/** The warehouse service's settings and shared beans. */
@NullMarked
package dev.eventpipe.warehouse.config;

import org.jspecify.annotations.NullMarked;
