/**
 * Loading an upload into a PostgreSQL warehouse: staging rows split per table, the schema evolved (new tables and
 * columns, the warehouse's types win), values converted or discarded, each table loaded in one transaction
 * (temporary table, COPY, delete-then-insert by id), users merged last-non-null-wins per column.
 */
@NullMarked
package dev.eventpipe.warehouse.load;

import org.jspecify.annotations.NullMarked;
