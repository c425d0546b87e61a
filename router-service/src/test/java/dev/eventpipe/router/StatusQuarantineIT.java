package dev.eventpipe.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eventpipe.jobsdb.JobsDbs;
import dev.eventpipe.jobsdb.NewJob;
import dev.eventpipe.jobsdb.Queue;
import dev.eventpipe.router.failed.Replays;
import dev.eventpipe.router.status.StatusCommitter;
import dev.eventpipe.router.support.Replicas;
import dev.eventpipe.router.support.RtStatuses;
import dev.eventpipe.router.support.ScriptedSink;
import dev.eventpipe.router.support.TestJobs;
import dev.eventpipe.testkit.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A status the database refuses for what it holds (issue 13: "the same in the router's status commit"): the
 * status commit splits its batch until the refused status is alone, then writes the same state with a minimal
 * document; only if that is refused too, it aborts the job (a delivered job marked so, and never replayed); and if
 * even a fixed abort is refused, the job stays unsettled and holds its user. Every other status is written.
 */
class StatusQuarantineIT {
    private static final int USERS = 4;
    private static final int EVENTS = 8;

    @Test
    void aRefusedStatusIsWrittenWithoutItsDocumentElseAbortedNeverReplayedElseItsJobHoldsItsUser() throws Exception {
        TestPostgres.Database db = TestPostgres.newDatabase();
        Path config = Files.createTempFile("workspace", ".json");
        Files.writeString(config, TestJobs.workspaceConfig(new String[] {"d-hook"}, new String[] {}));
        try (ScriptedSink sink = new ScriptedSink();
                ConfigurableApplicationContext reader = Replicas.start(db, config, "reader", false)) {
            JdbcClient sql = JdbcClient.create(reader.getBean(DataSource.class));
            // PostgreSQL refuses some statuses of four jobs for what they hold (SQLSTATE 22P02, a data error):
            // poison-doc: any status carrying the destination's answer; poison-pill: any succeeded status;
            // poison-bare: any status with the answer or a reason in its document; poison-all: every status but
            // the pickup's executing one
            sql.sql("""
                            CREATE FUNCTION test_refuse_status() RETURNS trigger LANGUAGE plpgsql AS $$
                            DECLARE m text;
                            BEGIN
                              IF NEW.job_state = 'executing' THEN RETURN NEW; END IF;
                              SELECT substring(j.event_payload from '"(poison-[a-z]+)"') INTO m
                              FROM rt_jobs j WHERE j.job_id = NEW.job_id;
                              IF m = 'poison-doc' AND NEW.error_response -> 'response' IS NOT NULL
                                 OR m = 'poison-pill' AND NEW.job_state = 'succeeded'
                                 OR m = 'poison-bare' AND (NEW.error_response -> 'response' IS NOT NULL
                                                           OR NEW.error_response -> 'reason' IS NOT NULL)
                                 OR m = 'poison-all' THEN
                                RAISE EXCEPTION 'injected refusal of a status' USING ERRCODE = '22P02';
                              END IF;
                              RETURN NEW;
                            END $$""").update();
            sql.sql("CREATE TRIGGER test_refuse_status BEFORE INSERT ON rt_job_status FOR EACH ROW "
                            + "EXECUTE FUNCTION test_refuse_status()")
                    .update();
            List<NewJob> jobs = new ArrayList<>();
            for (int seq = 1; seq <= EVENTS; seq++)
                for (int user = 0; user < USERS; user++)
                    jobs.add(TestJobs.job(
                            "WEBHOOK", "d-hook", sink.url("/hook"), "u-" + user, messageId(user, seq), seq));
            List<Long> ids = reader.getBean(JobsDbs.class).queue(Queue.RT).store(jobs);
            long poisonDoc = ids.get(3 * USERS);
            long poisonPill = ids.get(3 * USERS + 1);
            long poisonBare = ids.get(3 * USERS + 2);
            long poisonAll = ids.get((EVENTS - 1) * USERS + 3); // u-3's last job
            List<Long> others = ids.stream().filter(id -> id != poisonAll).toList();
            RtStatuses statuses = new RtStatuses(reader.getBean(DataSource.class));

            try (ConfigurableApplicationContext router = Replicas.start(db, config, "router")) {
                await("every job but poison-all has a terminal status")
                        .atMost(Duration.ofMinutes(2))
                        .until(() -> statuses.countLatest(others, "succeeded") + statuses.countLatest(others, "aborted")
                                == others.size());

                // poison-doc: written succeeded again, without the destination's answer
                assertThat(statuses.latest(poisonDoc)).isEqualTo("succeeded");
                RtStatuses.Row doc = statuses.of(poisonDoc).getLast();
                assertThat(doc.code()).isEqualTo("200");
                assertThat(doc.response())
                        .contains("written without it")
                        .contains("injected refusal of a status")
                        .doesNotContain("\"response\"");
                // poison-pill: its success refused in any form, so aborted, the answer's code kept, marked delivered
                assertThat(statuses.latest(poisonPill)).isEqualTo("aborted");
                RtStatuses.Row pill = statuses.of(poisonPill).getLast();
                assertThat(pill.response())
                        .contains("the database refused the job's succeeded status")
                        .contains("injected refusal of a status")
                        .contains("\"delivered\": true");
                assertThat(pill.code()).isEqualTo("200");
                // poison-bare: the reasoned abort refused too, so the fixed one
                assertThat(statuses.latest(poisonBare)).isEqualTo("aborted");
                RtStatuses.Row bare = statuses.of(poisonBare).getLast();
                assertThat(bare.response()).isEqualTo("{\"delivered\": true}");
                assertThat(bare.code()).isEmpty();
                for (long id : others)
                    if (id != poisonPill && id != poisonBare)
                        assertThat(statuses.latest(id)).as("job " + id).isEqualTo("succeeded");

                // a job the destination accepted is never replayed (it would be sent again)
                Map<String, Object> replay = Replays.replay(router, List.of(poisonDoc, poisonPill, poisonBare));
                assertThat((List<?>) replay.get("replayed")).isEmpty();
                assertThat((List<?>) replay.get("skipped")).hasSize(3);

                // poison-all: nothing could be written; it stays executing, unsettled, and holds its user: a later
                // job of u-3 stored before one of u-0 waits, while u-0's is delivered
                assertThat(statuses.latest(poisonAll)).isEqualTo("executing");
                assertThat(router.getBean(StatusCommitter.class).stuck()).containsExactly(poisonAll);
                List<Long> later = reader.getBean(JobsDbs.class)
                        .queue(Queue.RT)
                        .store(List.of(
                                TestJobs.job("WEBHOOK", "d-hook", sink.url("/hook"), "u-3", "m-3-9", 9),
                                TestJobs.job("WEBHOOK", "d-hook", sink.url("/hook"), "u-0", "m-0-9", 9)));
                await("u-0's later job delivered")
                        .atMost(Duration.ofMinutes(1))
                        .until(() -> statuses.latest(later.get(1)).equals("succeeded"));
                assertThat(statuses.latest(later.get(0))).as("u-3's later job").isEqualTo("unprocessed");
                assertThat(sink.receivedFor("m-3-9")).isEmpty();
            }

            // each user's events arrived in order, the refused jobs' users included (their later jobs went on)
            for (int user = 0; user < USERS; user++) {
                String userId = "u-" + user;
                assertThat(sink.delivered().stream()
                                .filter(r -> r.userId().equals(userId))
                                .filter(r -> r.seq() <= EVENTS)
                                .map(ScriptedSink.Received::seq)
                                .toList())
                        .as(userId)
                        .containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
            }
            long abortedCount = sql.sql("SELECT coalesce(sum(aborted), 0) FROM router_delivery_stats")
                    .query(Long.class)
                    .single();
            assertThat(abortedCount)
                    .as("the two aborts are counted in the stats")
                    .isEqualTo(2);
        }
    }

    private static String messageId(int user, int seq) {
        if (seq == 4 && user < 3) return new String[] {"poison-doc", "poison-pill", "poison-bare"}[user];
        if (seq == EVENTS && user == 3) return "poison-all";
        return "m-" + user + "-" + seq;
    }
}
