package dev.eventpipe.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eventpipe.jobsdb.JobsDbs;
import dev.eventpipe.jobsdb.NewJob;
import dev.eventpipe.jobsdb.Queue;
import dev.eventpipe.router.support.RtStatuses;
import dev.eventpipe.router.support.ScriptedSink;
import dev.eventpipe.router.support.TestJobs;
import dev.eventpipe.testkit.TestPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The pickup reads at most {@code router.payload-limit} of payload per destination (review P2-1, counted in SQL),
 * and a read the limit cut short is not taken for the end of the destination's jobs: every job is delivered.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class PayloadLimitIT {
    static final int LIMIT = 1000;
    static final ScriptedSink sink = newSink();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) throws IOException {
        TestPostgres.register(r);
        Path config = Files.createTempFile("workspace", ".json");
        Files.writeString(config, TestJobs.workspaceConfig(new String[] {"d-hook"}, new String[] {}));
        r.add("workspace-config.path", config::toString);
        r.add("router.poll-interval", () -> "50ms");
        r.add("router.max-status-update-wait", () -> "20ms");
        r.add("router.payload-limit", () -> LIMIT + "B");
    }

    @Autowired
    JobsDbs jobsDbs;

    @Autowired
    DataSource dataSource;

    @AfterAll
    static void closeSink() {
        sink.close();
    }

    static ScriptedSink newSink() {
        try {
            return new ScriptedSink();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void eachPickupReadsAtMostThePayloadLimitAndEveryJobIsDelivered() {
        List<NewJob> jobs = new ArrayList<>();
        for (int user = 0; user < 30; user++) {
            NewJob job = TestJobs.job("WEBHOOK", "d-hook", sink.url("/hook"), "pl-" + user, "pl-m-" + user, 1);
            // about 700 bytes each: one fits the limit, two do not
            String padded = job.payload()
                    .replace(
                            "\"event\":\"Order Completed\"",
                            "\"event\":\"Order Completed\",\"pad\":\"" + "x".repeat(400) + "\"");
            jobs.add(NewJob.of(job.userId(), job.workspaceId(), job.customVal(), job.parameters(), padded));
        }
        int size = jobs.getFirst().payload().getBytes(StandardCharsets.UTF_8).length;
        assertThat(size).isBetween(LIMIT / 2 + 1, LIMIT);
        List<Long> ids = jobsDbs.queue(Queue.RT).store(jobs);
        RtStatuses statuses = new RtStatuses(dataSource);

        await("every job delivered")
                .atMost(Duration.ofMinutes(2))
                .until(() -> statuses.countLatest(ids, "succeeded") == ids.size());

        // the jobs one pickup handed over share its executing time: per pickup, the first query reads one job (two
        // would pass the limit) and a second query, with what is left of the limit, one more (at least one a query)
        Map<Instant, Long> perPickup = JdbcClient.create(dataSource)
                .sql("SELECT exec_time FROM rt_job_status WHERE job_state = 'executing' AND job_id IN (:ids)")
                .param("ids", ids)
                .query(java.sql.Timestamp.class)
                .list()
                .stream()
                .collect(Collectors.groupingBy(java.sql.Timestamp::toInstant, Collectors.counting()));
        assertThat(perPickup.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(2));
        assertThat(sink.delivered()).hasSize(ids.size());
    }
}
