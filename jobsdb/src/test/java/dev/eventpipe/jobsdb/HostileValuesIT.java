package dev.eventpipe.jobsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Values that PostgreSQL refuses in a jsonb column or cannot encode as UTF-8, written through every column a
 * caller fills: each write succeeds and keeps the rest of its batch. The one refusal left (a value the schema does
 * not fit) is reported as a data refusal, so callers can isolate it.
 */
class HostileValuesIT {
    static HikariDataSource dataSource;
    static JobsDbs jobsDbs;
    static JdbcClient sql;

    @BeforeAll
    static void open() {
        dataSource = TestDatabase.create();
        jobsDbs = JobsDbs.open(dataSource, JobsDbSettings.defaults());
        sql = JdbcClient.create(dataSource);
    }

    @AfterAll
    static void close() {
        dataSource.close();
    }

    private static final List<String> HOSTILE_STRINGS = List.of(
            "\\u0000", // the JSON escape of NUL, refused by jsonb
            "a\\u0000b",
            "\\ud800", // an escaped lone high surrogate, refused by jsonb
            "\\udfff",
            "\\\\u0000", // an escaped backslash, then u0000: six characters, kept
            "\u0000", // a raw NUL (Jackson would escape it; a hand-built string may not)
            "\ud800", // a lone surrogate char: no UTF-8 form
            "x\udc00y");

    @Test
    void parametersHoldingWhatJsonbRefusesAreStoredSafelyWithTheirNeighbours() {
        JobsDb gw = jobsDbs.queue(Queue.GW);
        List<NewJob> jobs = new java.util.ArrayList<>();
        jobs.add(NewJob.of("before", "ws", "params", "{\"source_id\":\"s\"}", "{}"));
        for (String value : HOSTILE_STRINGS)
            jobs.add(NewJob.of("u", "ws", "params", "{\"source_job_run_id\":\"" + value + "\"}", "{}"));
        jobs.add(NewJob.of("after", "ws", "params", "{\"source_id\":\"s\"}", "{}"));

        List<Long> ids = gw.store(jobs);

        List<Job> stored = gw.fetchUnprocessed(JobQuery.first(100).customVal("params"));
        assertThat(stored).extracting(Job::jobId).containsExactlyElementsOf(ids);
        assertThat(stored.getFirst().parameters()).isEqualTo("{\"source_id\": \"s\"}");
        assertThat(stored.get(1).parameters()).isEqualTo("{\"source_job_run_id\": \"\ufffd\"}");
        assertThat(stored.get(2).parameters()).isEqualTo("{\"source_job_run_id\": \"a\ufffdb\"}");
        assertThat(stored.get(5).parameters()).isEqualTo("{\"source_job_run_id\": \"\\\\u0000\"}");
        assertThat(stored.get(6).parameters()).isEqualTo("{\"source_job_run_id\": \"\ufffd\"}");
    }

    @Test
    void statusDetailsHoldingWhatJsonbRefusesAreStoredSafely() {
        JobsDb rt = jobsDbs.queue(Queue.RT);
        long id = rt.store(List.of(NewJob.of("u", "ws", "status", "{}", "{}"))).getFirst();
        Instant now = Instant.now();
        List<StatusUpdate> updates = new java.util.ArrayList<>();
        for (String value : HOSTILE_STRINGS)
            updates.add(StatusUpdate.of(id, JobState.FAILED, 1, now)
                    .withResponse("500", "{\"response\":\"" + value + "\"}")
                    .withParameters("{\"p\":\"" + value + "\"}"));
        rt.updateStatus(updates);

        assertThat(sql.sql("SELECT count(*) FROM rt_job_status WHERE job_id = :id")
                        .param("id", id)
                        .query(Long.class)
                        .single())
                .isEqualTo(HOSTILE_STRINGS.size());
    }

    @Test
    void textColumnsKeepEveryCharacterThatUtf8CanHoldAndEmojiAcrossBufferBoundaries() {
        JobsDb gw = jobsDbs.queue(Queue.GW);
        // 65,535 ASCII characters, then an emoji whose two chars straddle the 64 KiB mark, repeated
        StringBuilder payload = new StringBuilder("{\"p\":\"");
        while (payload.length() < 3 * 65_536) {
            payload.append("a".repeat(65_535 - payload.length() % 65_536));
            payload.append("\ud83d\ude00");
        }
        payload.append("\"}");
        String user = "user \u0000 with nul, tab\t and \ud83d\ude00";
        long id = gw.store(List.of(
                        NewJob.of(user, "ws", "text", "{}", payload.toString()),
                        NewJob.of("lone \ud800 surrogate", "ws", "text", "{}", "{\"e\":\"\udc00\"}")))
                .getFirst();

        List<Job> stored = gw.fetchUnprocessed(JobQuery.first(10).customVal("text"));
        assertThat(stored.getFirst().jobId()).isEqualTo(id);
        assertThat(stored.getFirst().payload()).isEqualTo(payload.toString());
        assertThat(stored.getFirst().payloadSize())
                .isEqualTo(payload.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        assertThat(stored.getFirst().userId()).isEqualTo("user \\u0000 with nul, tab\t and \ud83d\ude00");
        assertThat(stored.get(1).userId()).isEqualTo("lone \ufffd surrogate");
        assertThat(stored.get(1).payload()).isEqualTo("{\"e\":\"\ufffd\"}");
    }

    @Test
    void aValueTheSchemaCannotHoldIsReportedAsADataRefusalAndStoresNothing() {
        JobsDb rt = jobsDbs.queue(Queue.RT);
        String tooLong = "T".repeat(65); // custom_val is varchar(64)
        assertThatThrownBy(() -> rt.store(List.of(
                        NewJob.of("u", "ws", "refused", "{}", "{}"), NewJob.of("u", "ws", tooLong, "{}", "{}"))))
                .isInstanceOf(JobsDbException.class)
                .satisfies(e -> assertThat(DataRefusal.reason(e))
                        .hasValueSatisfying(reason ->
                                assertThat(reason).contains("value too long").contains("22001")));
        assertThat(rt.fetchUnprocessed(JobQuery.first(10).customVal("refused"))).isEmpty();
    }

    @Test
    void anUnavailableDatabaseIsNotADataRefusal() {
        var closed = TestDatabase.create();
        JobsDbs other = JobsDbs.open(closed, JobsDbSettings.defaults());
        closed.close();
        assertThatThrownBy(() -> other.queue(Queue.GW).store(List.of(NewJob.of("u", "ws", "x", "{}", "{}"))))
                .satisfies(e -> assertThat(DataRefusal.reason(e)).isEmpty());
    }
}
