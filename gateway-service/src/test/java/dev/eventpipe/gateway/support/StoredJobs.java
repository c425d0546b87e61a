package dev.eventpipe.gateway.support;

import dev.eventpipe.model.json.Json;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Reads gw jobs back from PostgreSQL, as the processor would. */
public final class StoredJobs {
    private final JdbcClient jdbc;

    public StoredJobs(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    /** One stored gw job. */
    public record StoredJob(String userId, String workspaceId, String customVal, String parameters, String payload) {
        public JsonNode payloadJson() {
            return Json.mapper().readTree(payload);
        }

        public JsonNode event() {
            return payloadJson().get("batch").get(0);
        }

        public JsonNode parametersJson() {
            return Json.mapper().readTree(parameters);
        }
    }

    /** The jobs whose event payload contains the marker (a test's unique id), in job id order. */
    public List<StoredJob> containing(String marker) {
        return jdbc.sql("""
                        SELECT user_id, workspace_id, custom_val, parameters::text AS parameters, event_payload
                        FROM gw_jobs WHERE strpos(event_payload, :marker) > 0 ORDER BY job_id""")
                .param("marker", marker)
                .query((rs, n) -> new StoredJob(
                        rs.getString("user_id"),
                        rs.getString("workspace_id"),
                        rs.getString("custom_val"),
                        rs.getString("parameters"),
                        rs.getString("event_payload")))
                .list();
    }

    public long count() {
        return jdbc.sql("SELECT count(*) FROM gw_jobs").query(Long.class).single();
    }
}
