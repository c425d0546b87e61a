package dev.eventpipe.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eventpipe.jobsdb.CrashRecovery;
import dev.eventpipe.jobsdb.JobsDbs;
import dev.eventpipe.jobsdb.NewJob;
import dev.eventpipe.jobsdb.Queue;
import dev.eventpipe.router.support.Replicas;
import dev.eventpipe.router.support.RtStatuses;
import dev.eventpipe.router.support.ScriptedSink;
import dev.eventpipe.router.support.TestJobs;
import dev.eventpipe.testkit.TestPostgres;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * A pickup whose commit fails with an unknown outcome (review 2026-11-30 0805 P2-2): the connection is lost during
 * {@code COMMIT} after the server committed, so the jobs it marked {@code executing} are stored so, while the router
 * takes the commit for failed and hands nothing over. Here the router's DataSource is wrapped so that one commit of
 * the pickup thread commits and then throws. Before, those jobs stayed executing with nobody working on them (until a
 * take-up of their partition), and the user's later jobs were picked up and delivered before them.
 */
class UnknownCommitOutcomeIT {

    /** Connections whose commit, once armed, on the pickup thread, commits and then throws. */
    static final class LostCommitAck implements ApplicationContextInitializer<ConfigurableApplicationContext> {
        final AtomicBoolean armed = new AtomicBoolean();

        @Override
        public void initialize(ConfigurableApplicationContext context) {
            context.getBeanFactory().addBeanPostProcessor(new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String name) {
                    if (!(bean instanceof DataSource target) || bean instanceof LostAckDataSource) return bean;
                    return new LostAckDataSource(target, armed);
                }
            });
        }
    }

    static final class LostAckDataSource extends DelegatingDataSource {
        private final AtomicBoolean armed;

        LostAckDataSource(DataSource target, AtomicBoolean armed) {
            super(target);
            this.armed = armed;
        }

        @Override
        public Connection getConnection() throws SQLException {
            return wrap(super.getConnection());
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            return wrap(super.getConnection(user, password));
        }

        private Connection wrap(Connection connection) {
            return (Connection) Proxy.newProxyInstance(
                    Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                        Object result;
                        try {
                            result = method.invoke(connection, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                        if (method.getName().equals("commit")
                                && Thread.currentThread().getName().equals("router-pickup")
                                && armed.compareAndSet(true, false))
                            throw new SQLException("injected: connection lost after COMMIT", "08006");
                        return result;
                    });
        }
    }

    @Test
    void aPickupCommitWithAnUnknownOutcomeIsSettledBeforeTheUsersLaterJobsGo() throws Exception {
        TestPostgres.Database db = TestPostgres.newDatabase();
        Path config = Files.createTempFile("workspace", ".json");
        Files.writeString(config, TestJobs.workspaceConfig(new String[] {"d-hook"}, new String[] {}));
        LostCommitAck lostAck = new LostCommitAck();
        try (ScriptedSink sink = new ScriptedSink();
                ConfigurableApplicationContext router =
                        Replicas.start(db, config, "router", Map.of("router.enabled", true), lostAck)) {
            JobsDbs jobsDbs = router.getBean(JobsDbs.class);
            RtStatuses statuses = new RtStatuses(router.getBean(DataSource.class));
            lostAck.armed.set(true);
            List<NewJob> first = new ArrayList<>();
            for (int seq = 1; seq <= 5; seq++)
                first.add(TestJobs.job("WEBHOOK", "d-hook", sink.url("/hook"), "u-1", "m-" + seq, seq));
            List<Long> firstIds = jobsDbs.queue(Queue.RT).store(first);
            await("the pickup's commit was made and reported lost")
                    .atMost(Duration.ofMinutes(1))
                    .until(() -> !lostAck.armed.get());
            List<NewJob> later = new ArrayList<>();
            for (int seq = 6; seq <= 10; seq++)
                later.add(TestJobs.job("WEBHOOK", "d-hook", sink.url("/hook"), "u-1", "m-" + seq, seq));
            jobsDbs.queue(Queue.RT).store(later);

            await("all ten events delivered")
                    .atMost(Duration.ofMinutes(1))
                    .until(() -> sink.delivered().size() >= 10);
            assertThat(sink.delivered().stream().map(ScriptedSink.Received::seq).toList())
                    .as("u-1's events, in order, each once")
                    .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
            for (long id : firstIds)
                assertThat(statuses.of(id))
                        .as("job %d: its executing row, then failed as recovered, then its delivery", id)
                        .anyMatch(r -> r.state().equals("failed") && r.code().equals(CrashRecovery.RECOVERED_CODE));
        }
    }
}
