package dev.eventpipe.warehouse.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventpipe.model.egress.EgressPolicy;
import dev.eventpipe.testkit.TestPostgres;
import dev.eventpipe.warehouse.config.WarehouseEgress;
import dev.eventpipe.warehouse.support.WorkspaceFiles;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * A warehouse connection asks the egress policy about the address the driver dials (issue 14): a live PostgreSQL
 * on this machine is refused under the default policy, by its address and by a name that resolves to it, with a
 * reason naming {@code EGRESS_ALLOW}; listed there, the same server is reached. The server is real and listening,
 * so a refusal is the policy's, not a failed connection.
 */
class WarehouseEgressIT {
    static final TestPostgres.Database WAREHOUSE = TestPostgres.newDatabase();
    /** The warehouse service's own jobs database, on the same server (as under ./run.sh: one PostgreSQL here). */
    static final TestPostgres.Database JOBS = TestPostgres.newDatabase();

    static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Test
    void aLiveWarehouseOnThisMachineIsRefusedUnlessEgressAllowListsIt() throws SQLException {
        WarehouseSettings settings = WarehouseSettings.of(WorkspaceFiles.postgres(WAREHOUSE, Map.of()));
        EgressPolicy defaults = EgressPolicy.of("", false, List.of());
        assertThatThrownBy(() -> settings.connect(TIMEOUT, TIMEOUT, defaults).close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("loopback")
                .hasMessageContaining("EGRESS_ALLOW");

        try (Connection c = settings.connect(TIMEOUT, TIMEOUT, WorkspaceFiles.allowing(WAREHOUSE));
                ResultSet rs = c.createStatement().executeQuery("SELECT 1")) {
            assertThat(rs.next()).isTrue();
        }
    }

    @Test
    void aNameThatResolvesToThisMachineIsJudgedByTheAddressDialled() {
        String port = WorkspaceFiles.hostPort(WAREHOUSE).replaceAll(".*:", "");
        WarehouseSettings byName =
                WarehouseSettings.of(WorkspaceFiles.postgres(WAREHOUSE, Map.of("host", "localhost", "port", port)));
        // allowed: another port of this machine, not the warehouse's
        EgressPolicy otherPort = EgressPolicy.of("127.0.0.1:1,[::1]:1", false, List.of());
        assertThatThrownBy(() -> byName.connect(TIMEOUT, TIMEOUT, otherPort).close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("loopback")
                .hasMessageContaining(":" + port)
                .hasMessageContaining("EGRESS_ALLOW");
    }

    @Test
    void cloudMetadataIsRefusedBeforeAnyPacketIsSent() {
        WarehouseSettings metadata = WarehouseSettings.of(
                WorkspaceFiles.postgres(WAREHOUSE, Map.of("host", "169.254.169.254", "port", "5432")));
        // refused before dialling: no connect timeout is waited for
        assertThatThrownBy(
                        () -> metadata.connect(Duration.ofSeconds(60), TIMEOUT, EgressPolicy.of("", false, List.of()))
                                .close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("cloud metadata")
                .hasMessageContaining("EGRESS_ALLOW=169.254.169.254/32");
    }

    /**
     * Issue 14 audit G1: the documented entry for a webhook or warehouse on this machine, a CIDR for loopback, does
     * not open the suite's own jobs database. The policy is the warehouse service's, made by {@link WarehouseEgress}
     * from its settings; a POSTGRES destination naming the jobs database's own host, port, database and credentials
     * is refused before the driver dials it, with a reason naming EGRESS_ALLOW. An entry naming exactly that
     * host:port (the operator's decision) reaches it: the server is live, so the refusal was the policy's.
     */
    @Test
    void aCidrAllowEntryForLoopbackDoesNotOpenTheJobsDatabaseToAWarehouseDestination() throws SQLException {
        WarehouseSettings jobsAsWarehouse = WarehouseSettings.of(WorkspaceFiles.postgres(JOBS, Map.of()));
        String jobsHostPort = WorkspaceFiles.hostPort(JOBS);
        warehousePolicy("127.0.0.1/32,::1/128").run(context -> {
            EgressPolicy policy = context.getBean(EgressPolicy.class);
            assertThatThrownBy(() ->
                            jobsAsWarehouse.connect(TIMEOUT, TIMEOUT, policy).close())
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("this suite's own services")
                    .hasMessageContaining(":" + jobsHostPort.replaceAll(".*:", ""))
                    .hasMessageContaining("EGRESS_ALLOW");
        });
        warehousePolicy(jobsHostPort).run(context -> {
            try (Connection c = jobsAsWarehouse.connect(TIMEOUT, TIMEOUT, context.getBean(EgressPolicy.class));
                    ResultSet rs = c.createStatement().executeQuery("SELECT current_database()")) {
                assertThat(rs.next()).isTrue();
                assertThat(JOBS.url()).contains("/" + rs.getString(1));
            }
        });
    }

    private static ApplicationContextRunner warehousePolicy(String egressAllow) {
        return new ApplicationContextRunner()
                .withUserConfiguration(WarehouseEgress.class)
                .withPropertyValues("egress.allow=" + egressAllow, "spring.datasource.url=" + JOBS.url());
    }
}
