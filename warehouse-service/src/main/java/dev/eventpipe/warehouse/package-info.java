/** The warehouse service: loads batch_rt events into PostgreSQL warehouses and archives gateway events. */
@NullMarked
package dev.eventpipe.warehouse;

import org.jspecify.annotations.NullMarked;
