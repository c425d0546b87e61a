package dev.eventpipe.processor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.model.json.Json;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Reads the queues the way a test wants to see them, and makes the database refuse rows. */
public final class QueueRows {
    /** An rt job. */
    public record Rt(long jobId, String userId, String customVal, JsonNode parameters, JsonNode payload) {}

    /** A gw job's latest status ({@code null} state when unprocessed). */
    public record GwState(String state, String errorCode, JsonNode errorResponse) {}

    private final JdbcClient jdbc;

    public QueueRows(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    public List<Rt> rt(String sourceId) {
        return jdbc.sql("""
                        SELECT job_id, user_id, custom_val, parameters::text, event_payload FROM rt_jobs
                        WHERE parameters->>'source_id' = :source ORDER BY job_id""")
                .param("source", sourceId)
                .query((rs, n) -> new Rt(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        Json.mapper().readTree(rs.getString(4)),
                        Json.mapper().readTree(rs.getString(5))))
                .list();
    }

    public int rtCount(String sourceId) {
        return jdbc.sql("SELECT count(*) FROM rt_jobs WHERE parameters->>'source_id' = :source")
                .param("source", sourceId)
                .query(Integer.class)
                .single();
    }

    public GwState gw(long jobId) {
        return jdbc.sql("""
                        SELECT job_state, error_code, error_response::text FROM gw_job_status
                        WHERE job_id = :id ORDER BY id DESC LIMIT 1""")
                .param("id", jobId)
                .query((rs, n) -> new GwState(
                        rs.getString(1), rs.getString(2), Json.mapper().readTree(rs.getString(3))))
                .optional()
                .orElse(new GwState(null, "", Json.mapper().createObjectNode()));
    }

    public long gwInState(String state) {
        return jdbc.sql("""
                        SELECT count(*) FROM (SELECT DISTINCT ON (job_id) job_state FROM gw_job_status
                                              ORDER BY job_id, id DESC) l WHERE l.job_state = :state""").param("state", state).query(Long.class).single();
    }

    /** How many gw status rows there are. */
    public long gwStatusRows() {
        return jdbc.sql("SELECT count(*) FROM gw_job_status").query(Long.class).single();
    }

    /** How many gw jobs have no status row, or more than one (each should end with its one terminal status). */
    public long gwJobsWithoutExactlyOneStatus() {
        return jdbc.sql("""
                        SELECT count(*) FROM gw_jobs j
                        WHERE (SELECT count(*) FROM gw_job_status s WHERE s.job_id = j.job_id) <> 1""").query(Long.class).single();
    }

    /**
     * The rt jobs of a source: each message id once, and each user's {@code properties.seq} 0, 1, 2, ... in job id
     * order, for {@code users} users; returns them.
     */
    public List<Rt> assertOncePerMessageInOrder(String sourceId, int users) {
        List<Rt> rt = rt(sourceId);
        assertThat(rt.stream().map(r -> r.parameters().path("message_id").asString()))
                .doesNotHaveDuplicates();
        Map<String, Integer> last = new HashMap<>();
        for (Rt r : rt) {
            int seq = r.payload()
                    .path("body")
                    .path("JSON")
                    .path("properties")
                    .path("seq")
                    .asInt();
            Integer previous = last.put(r.userId(), seq);
            assertThat(seq).as("order of %s", r.userId()).isEqualTo(previous == null ? 0 : previous + 1);
        }
        assertThat(last).hasSize(users);
        return rt;
    }

    /**
     * Makes the database refuse rows: a trigger {@code name} (and its function of the same name) that runs {@code
     * raise}, a PL/pgSQL {@code RAISE}, for each row inserted into {@code table} for which {@code condition} (on
     * {@code NEW}) holds. {@code DROP TRIGGER name ON table} ends it.
     */
    public void raiseOnInsert(String name, String table, String condition, String raise) {
        jdbc.sql("""
                        CREATE FUNCTION %s() RETURNS trigger LANGUAGE plpgsql AS $$
                        BEGIN
                          IF %s THEN
                            %s;
                          END IF;
                          RETURN NEW;
                        END $$""".formatted(name, condition, raise)).update();
        jdbc.sql("CREATE TRIGGER %1$s BEFORE INSERT ON %2$s FOR EACH ROW EXECUTE FUNCTION %1$s()"
                        .formatted(name, table))
                .update();
    }

    public JdbcClient jdbc() {
        return jdbc;
    }
}
