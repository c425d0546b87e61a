/** The gateway benchmark (run by gateway-service/bench.sh): load generator, memory probe, raw-insert baseline. */
package dev.eventpipe.gateway.bench;
