package dev.eventpipe.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eventpipe.jobsdb.JobsDbs;
import dev.eventpipe.jobsdb.NewJob;
import dev.eventpipe.jobsdb.Queue;
import dev.eventpipe.router.support.RtStatuses;
import dev.eventpipe.router.support.ScriptedSink;
import dev.eventpipe.router.support.ScriptedSink.Reply;
import dev.eventpipe.router.support.TestJobs;
import dev.eventpipe.testkit.TestPostgres;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * How many rt rows the router's pickup reads per job it delivers (issue 16: the benchmark's pickup read every rt job
 * about twice), on the benchmark's shape: 192 users of one WEBHOOK destination, a burst and then a steady stream, the
 * deliveries of a twelfth of the users slow. Every job must still be delivered once and each user's in order. The
 * router runs with its production pickup settings; the reads are counted by jobsdb ({@code jobsdb.jobs.fetched}: jobs
 * returned; {@code jobsdb.read.window.rows}: rows the windows took) and, where the server has it, by
 * pg_stat_statements of this test's own database. No time is asserted.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class RowsReadPerJobIT {
    private static final Logger log = LoggerFactory.getLogger(RowsReadPerJobIT.class);
    static final ScriptedSink sink = DeliveryIT.newSink();
    static final int USERS = 192;
    static final int PER_USER = 300;
    static final int BURST = 24_000;
    static final int BATCH = 1_000;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) throws IOException {
        TestPostgres.register(r);
        Path config = Files.createTempFile("workspace", ".json");
        Files.writeString(config, TestJobs.workspaceConfig(new String[] {"d-hook"}, new String[] {}));
        r.add("workspace-config.path", config::toString);
    }

    @Autowired
    JobsDbs jobsDbs;

    @Autowired
    DataSource dataSource;

    @Autowired
    MeterRegistry meters;

    @AfterAll
    static void closeSink() {
        sink.close();
    }

    double counter(String name) {
        return meters.counter(name, "queue", "rt").count();
    }

    @Test
    void eachJobIsReadAboutOnceAndDeliveredOnceInOrder() throws Exception {
        JdbcClient jdbc = JdbcClient.create(dataSource);
        boolean pgss = false;
        try {
            jdbc.sql("CREATE EXTENSION IF NOT EXISTS pg_stat_statements").update();
            jdbc.sql("SELECT count(*) FROM pg_stat_statements")
                    .query(Long.class)
                    .single();
            pgss = true;
        } catch (RuntimeException e) {
            log.atInfo().log("pg_stat_statements not available; counting with jobsdb's counters only");
        }
        // the jobs in the order the processor would store them: each user's in sequence, users interleaved
        List<NewJob> jobs = new ArrayList<>();
        for (int seq = 1; seq <= PER_USER; seq++)
            for (int u = 0; u < USERS; u++) {
                String id = "r-" + u + "-" + seq;
                // every twelfth user's deliveries are slow
                if (u % 12 == 0) sink.script(id, Reply.slow(Duration.ofMillis(5)));
                jobs.add(TestJobs.job("WEBHOOK", "d-hook", sink.url("/r"), "ru-" + u, id, seq));
            }
        double fetched = counter("jobsdb.jobs.fetched");
        double windowRows = counter("jobsdb.read.window.rows");
        double windows = counter("jobsdb.read.windows");
        List<Long> ids = new ArrayList<>(jobsDbs.queue(Queue.RT).store(jobs.subList(0, BURST)));
        for (int from = BURST; from < jobs.size(); from += BATCH) {
            Thread.sleep(50);
            ids.addAll(jobsDbs.queue(Queue.RT).store(jobs.subList(from, Math.min(jobs.size(), from + BATCH))));
        }
        RtStatuses statuses = new RtStatuses(dataSource);
        await().atMost(Duration.ofMinutes(10))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> statuses.countLatest(ids, "succeeded") == ids.size());

        IsolationIT.assertEachUsersJobsDeliveredOnceInOrder(sink, "r-", USERS, PER_USER);

        double returned = counter("jobsdb.jobs.fetched") - fetched;
        double rows = counter("jobsdb.read.window.rows") - windowRows;
        log.atInfo()
                .setMessage("rows read per delivered job: {} jobs; returned {} ({} per job); windows {}, their rows {}"
                        + " ({} per job)")
                .addArgument(ids.size())
                .addArgument((long) returned)
                .addArgument(String.format("%.3f", returned / ids.size()))
                .addArgument((long) (counter("jobsdb.read.windows") - windows))
                .addArgument((long) rows)
                .addArgument(String.format("%.3f", rows / ids.size()))
                .log();
        // before (2026-11-30): 1.21-1.61 per job, the jobs of a user whose worker filled up during a catch-up page
        // kept and read again by a later pickup; now a catch-up read returns no more than its users' workers take
        assertThat(returned)
                .as("jobs returned by the pickup's reads for %d delivered", ids.size())
                .isLessThanOrEqualTo(1.1 * ids.size());
        if (pgss)
            jdbc.sql("""
                            SELECT CASE WHEN s.query LIKE '%first_id%' THEN 'unprocessed windows'
                                        ELSE 'payloads' END AS kind,
                                   sum(s.calls) AS calls, sum(s.rows) AS rows, round(sum(s.total_exec_time)) AS ms
                            FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
                            WHERE d.datname = current_database()
                              AND (s.query LIKE '%first_id%' OR s.query LIKE '%j.event_payload FROM rt_jobs%')
                            GROUP BY 1 ORDER BY 1""").query(rs -> {
                log.atInfo()
                        .setMessage("pg_stat_statements, rt reads of this test's database: {}: {} calls, {} rows,"
                                + " {} ms")
                        .addArgument(rs.getString("kind"))
                        .addArgument(rs.getLong("calls"))
                        .addArgument(rs.getLong("rows"))
                        .addArgument(rs.getLong("ms"))
                        .log();
            });
    }
}
