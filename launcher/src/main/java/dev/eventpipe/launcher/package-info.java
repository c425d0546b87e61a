/** The one-command local run: embedded PostgreSQL and every service as a child process. */
package dev.eventpipe.launcher;
