package dev.eventpipe.warehouse.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventpipe.model.egress.EgressPolicy;
import dev.eventpipe.testkit.TestPostgres;
import dev.eventpipe.warehouse.support.WorkspaceFiles;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A warehouse connection asks the egress policy about the address the driver dials (issue 14): a live PostgreSQL
 * on this machine is refused under the default policy, by its address and by a name that resolves to it, with a
 * reason naming {@code EGRESS_ALLOW}; listed there, the same server is reached. The server is real and listening,
 * so a refusal is the policy's, not a failed connection.
 */
class WarehouseEgressIT {
    static final TestPostgres.Database WAREHOUSE = TestPostgres.newDatabase();
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
}
