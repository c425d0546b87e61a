/** The HTTP API the web app reaches through the config backend's relay: uploads, sync now, archive replay. */
@NullMarked
package dev.eventpipe.warehouse.api;

import org.jspecify.annotations.NullMarked;
