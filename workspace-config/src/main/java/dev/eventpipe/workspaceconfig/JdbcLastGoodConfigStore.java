package dev.eventpipe.workspaceconfig;

import dev.eventpipe.model.config.LastGoodConfigStore;
import java.sql.Types;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Keeps a service's last good workspace config in the {@code workspace_config_cache} table, one row per consumer. */
public final class JdbcLastGoodConfigStore implements LastGoodConfigStore {
    private static final Logger log = LoggerFactory.getLogger(JdbcLastGoodConfigStore.class);
    private static final String UPSERT = """
            INSERT INTO workspace_config_cache (consumer, config, updated_at) VALUES (:consumer, :config, now())
            ON CONFLICT (consumer) DO UPDATE SET config = excluded.config, updated_at = excluded.updated_at""";

    private final JdbcClient jdbc;
    private final String consumer;

    public JdbcLastGoodConfigStore(DataSource dataSource, String consumer) {
        this.jdbc = JdbcClient.create(dataSource);
        this.consumer = consumer;
    }

    @Override
    public Optional<byte[]> load() {
        try {
            return jdbc.sql("SELECT config FROM workspace_config_cache WHERE consumer = :consumer")
                    .param("consumer", consumer)
                    .query((rs, n) -> rs.getBytes(1))
                    .optional();
        } catch (DataAccessException e) {
            log.atWarn().addKeyValue("error", e.getMessage()).log("cannot read the cached workspace config");
            return Optional.empty();
        }
    }

    @Override
    public void save(byte[] json) {
        try {
            jdbc.sql(UPSERT)
                    .param("consumer", consumer)
                    .param("config", new SqlParameterValue(Types.BINARY, json))
                    .update();
        } catch (DataAccessException e) {
            log.atWarn().addKeyValue("error", e.getMessage()).log("cannot cache the workspace config");
        }
    }
}
