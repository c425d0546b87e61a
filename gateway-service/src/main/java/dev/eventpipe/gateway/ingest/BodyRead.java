package dev.eventpipe.gateway.ingest;

import dev.eventpipe.gateway.reply.Reply;

/** The request body, or why it could not be read. */
public sealed interface BodyRead {
    /** The body, holding its share of the memory budget until closed. */
    final class Body implements BodyRead, AutoCloseable {
        private final byte[] bytes;
        private final MemoryBudget.Reservation reservation;

        Body(byte[] bytes, MemoryBudget.Reservation reservation) {
            this.bytes = bytes;
            this.reservation = reservation;
        }

        public byte[] bytes() {
            return bytes;
        }

        /** Gives the body's share of the memory budget back; call it when the request is answered. */
        @Override
        public void close() {
            reservation.close();
        }
    }

    record Refused(Reply reply) implements BodyRead {}
}
