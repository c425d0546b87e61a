/**
 * The PostgreSQL job queue: per queue an immutable jobs table and an append-only status table, split into datasets
 * that are dropped whole once every job in them is terminal.
 */
@NullMarked
package dev.eventpipe.jobsdb;

import org.jspecify.annotations.NullMarked;
