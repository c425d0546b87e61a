package dev.eventpipe.model.config;

import java.util.Optional;

/**
 * Keeps the last config that was read successfully, so that a service restarted while the control plane is down
 * still knows its sources and destinations. Implementations must be safe to call from the poller thread.
 */
public interface LastGoodConfigStore {
    Optional<byte[]> load();

    void save(byte[] json);

    LastGoodConfigStore NONE = new LastGoodConfigStore() {
        @Override
        public Optional<byte[]> load() {
            return Optional.empty();
        }

        @Override
        public void save(byte[] json) {}
    };
}
