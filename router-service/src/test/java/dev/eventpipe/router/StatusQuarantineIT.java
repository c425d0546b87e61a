package dev.eventpipe.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eventpipe.jobsdb.JobsDbs;
import dev.eventpipe.jobsdb.NewJob;
import dev.eventpipe.jobsdb.Queue;
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
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A status the database refuses for what it holds (issue 13: "the same in the router's status commit"): the
 * status commit splits its batch until the refused status is alone and aborts that job with the database's reason;
 * every other status is written, and the refused job's user goes on. Without it the committer retried the same
 * batch forever and no status of this replica was written again.
 */
class StatusQuarantineIT {

    @Test
    void aStatusTheDatabaseRefusesAbortsItsJobWithTheReasonAndEveryOtherJobSucceedsInOrder() throws Exception {
        TestPostgres.Database db = TestPostgres.newDatabase();
        Path config = Files.createTempFile("workspace", ".json");
        Files.writeString(config, TestJobs.workspaceConfig(new String[] {"d-hook"}, new String[] {}));
        try (ScriptedSink sink = new ScriptedSink();
                ConfigurableApplicationContext reader = Replicas.start(db, config, "reader", false)) {
            JdbcClient sql = JdbcClient.create(reader.getBean(DataSource.class));
            // PostgreSQL refuses one job's succeeded status for what it holds (SQLSTATE 22P02, a data error)
            sql.sql("""
                            CREATE FUNCTION test_refuse_status() RETURNS trigger LANGUAGE plpgsql AS $$
                            BEGIN
                              IF NEW.job_state = 'succeeded' AND EXISTS (
                                  SELECT 1 FROM rt_jobs j
                                  WHERE j.job_id = NEW.job_id AND strpos(j.event_payload, 'poison-pill') > 0) THEN
                                RAISE EXCEPTION 'injected refusal of a status' USING ERRCODE = '22P02';
                              END IF;
                              RETURN NEW;
                            END $$""").update();
            sql.sql("CREATE TRIGGER test_refuse_status BEFORE INSERT ON rt_job_status FOR EACH ROW "
                            + "EXECUTE FUNCTION test_refuse_status()")
                    .update();
            List<NewJob> jobs = new ArrayList<>();
            for (int seq = 1; seq <= 8; seq++)
                for (int user = 0; user < 3; user++) {
                    String messageId = user == 1 && seq == 4 ? "poison-pill" : "m-" + user + "-" + seq;
                    jobs.add(TestJobs.job("WEBHOOK", "d-hook", sink.url("/hook"), "u-" + user, messageId, seq));
                }
            List<Long> ids = reader.getBean(JobsDbs.class).queue(Queue.RT).store(jobs);
            long poison = ids.get(3 * 3 + 1);
            RtStatuses statuses = new RtStatuses(reader.getBean(DataSource.class));

            try (ConfigurableApplicationContext router = Replicas.start(db, config, "router")) {
                await("every job has a terminal status")
                        .atMost(Duration.ofMinutes(2))
                        .until(() -> statuses.countLatest(ids, "succeeded") + statuses.countLatest(ids, "aborted")
                                == ids.size());
            }

            assertThat(statuses.latest(poison)).isEqualTo("aborted");
            RtStatuses.Row aborted = statuses.of(poison).getLast();
            assertThat(aborted.response())
                    .contains("the database refused the job's succeeded status")
                    .contains("injected refusal of a status");
            assertThat(aborted.code()).isEqualTo("200"); // the destination's answer, kept
            for (long id : ids)
                if (id != poison)
                    assertThat(statuses.latest(id)).as("job " + id).isEqualTo("succeeded");
            // each user's events arrived in order, the refused job's user included (its later jobs went on)
            for (int user = 0; user < 3; user++) {
                String userId = "u-" + user;
                assertThat(sink.delivered().stream()
                                .filter(r -> r.userId().equals(userId))
                                .map(ScriptedSink.Received::seq)
                                .toList())
                        .as(userId)
                        .containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
            }
            long abortedCount = sql.sql("SELECT coalesce(sum(aborted), 0) FROM router_delivery_stats")
                    .query(Long.class)
                    .single();
            assertThat(abortedCount).as("the abort is counted in the stats").isEqualTo(1);
        }
    }
}
