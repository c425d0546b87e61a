/** How an event becomes warehouse rows: tables, column names, column types (RudderStack's warehouse schema). */
@NullMarked
package dev.eventpipe.warehouse.schema;

import org.jspecify.annotations.NullMarked;
