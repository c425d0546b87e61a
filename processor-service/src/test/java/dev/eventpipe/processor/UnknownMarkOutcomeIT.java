package dev.eventpipe.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * Review P2-2 (processor part): the {@code executing} mark of a fetch commits on the server, but the processor is
 * told it failed (the connection dropped during {@code COMMIT}). Its jobs must not stay executing with nobody working
 * on them while their users' later jobs go first: the loop resets them and reads them again, in order.
 */
class UnknownMarkOutcomeIT extends TestBedCase {
    static final int USERS = 4;
    static final int PER_USER = 10;

    @BeforeEach
    void failTheSecondMark() {
        CommitThenThrow.reset(2); // the second mark: the first batch is then on its way through the pipeline
    }

    @Test
    void aMarkThatCommittedButReportedAFailureIsReadAgainInOrderAndEveryEventStoredOnce() {
        List<Long> ids = bed.storeInterleaved(USERS, PER_USER);
        bed.processor(
                List.of(CommitThenThrow.class),
                "unknown-mark",
                "processor.batch.max-jobs=10", // four batches of ten jobs, each holding every user
                "processor.transformer.min-backoff=50ms");

        await().atMost(Duration.ofSeconds(60))
                .until(() -> rows.gwInState("succeeded") == ids.size() || rows.rtCount("src-1") >= ids.size());
        await().during(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(10))
                .until(() -> rows.rtCount("src-1") == ids.size() && rows.gwInState("succeeded") == ids.size());
        assertThat(CommitThenThrow.thrown.get())
                .as("commits that committed and then threw")
                .isEqualTo(1);

        assertThat(bed.assertOncePerMessageInOrder(USERS)).hasSize(ids.size());
        assertThat(rows.gwInState("executing")).isZero();
    }

    /**
     * Review 1015 P3-3: the mark commits and then an {@link Error} (not a VM error) comes out of the transaction. It
     * was only logged: the jobs stayed executing while their users' later jobs were fetched and stored first.
     */
    @Test
    void aMarkThatCommittedAndThenThrewAnErrorIsReadAgainInOrderAndEveryEventStoredOnce() {
        CommitThenThrow.reset(2, true);
        aMarkThatCommittedButReportedAFailureIsReadAgainInOrderAndEveryEventStoredOnce();
    }

    /**
     * A bean source (not {@code @Configuration}, see {@link Processors}): the application's DataSource, wrapped so
     * that the {@code failAt}-th commit on the fetch thread (whose only transactions are the executing marks, and the
     * resets after an abandon) commits and then throws, as a connection lost during {@code COMMIT} does (or, with
     * {@code error}, an {@link AssertionError}).
     */
    static class CommitThenThrow {
        static final AtomicInteger fetchCommits = new AtomicInteger();
        static final AtomicInteger thrown = new AtomicInteger();
        static volatile int failAt;
        static volatile boolean error;

        static void reset(int commit) {
            reset(commit, false);
        }

        static void reset(int commit, boolean anError) {
            fetchCommits.set(0);
            thrown.set(0);
            failAt = commit;
            error = anError;
        }

        @Bean
        static BeanPostProcessor commitThenThrowDataSource() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String name) {
                    return bean instanceof DataSource ds && !(bean instanceof Wrapped) ? new Wrapped(ds) : bean;
                }
            };
        }

        static final class Wrapped extends DelegatingDataSource implements AutoCloseable {
            Wrapped(DataSource target) {
                super(target);
            }

            @Override
            public Connection getConnection() throws SQLException {
                return wrap(super.getConnection());
            }

            @Override
            public Connection getConnection(String user, String password) throws SQLException {
                return wrap(super.getConnection(user, password));
            }

            @Override
            public void close() throws Exception {
                if (getTargetDataSource() instanceof AutoCloseable pool) pool.close();
            }
        }

        private static Connection wrap(Connection connection) {
            return (Connection) Proxy.newProxyInstance(
                    Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                        if (method.getName().equals("commit")
                                && Thread.currentThread().getName().equals("processor-fetch")) {
                            connection.commit();
                            if (fetchCommits.incrementAndGet() == failAt) {
                                thrown.incrementAndGet();
                                if (error) throw new AssertionError("an error after the server committed (test)");
                                throw new SQLException("connection lost after the server committed (test)", "08006");
                            }
                            return null;
                        }
                        try {
                            return method.invoke(connection, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
    }
}
