/** The whole-suite benchmark run by {@code bench/e2e.sh}: services, load generator, sink and figures. */
package dev.eventpipe.system.bench;
