/** Test support shared by every module: a real PostgreSQL for integration tests. */
package dev.eventpipe.testkit;
