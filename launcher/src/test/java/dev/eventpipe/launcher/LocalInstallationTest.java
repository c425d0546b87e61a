package dev.eventpipe.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code ./run.sh} promises about the local installation (issue 14, SECURITY.md): only the gateway and the web
 * app listen beyond loopback, the egress policy knows every service's port and the database, and the generated
 * secrets are readable by their owner only.
 */
class LocalInstallationTest {
    @TempDir
    Path dir;

    @Test
    void onlyTheGatewayAndTheWebAppListenOnBindAddressTheOtherServicesOnLoopbackWhateverItSays() {
        for (Service service : Service.values()) {
            String address = Launcher.serverAddress(service, "0.0.0.0");
            if (service == Service.GATEWAY || service == Service.CONFIG_BACKEND) {
                assertThat(address).as(service.module).isEqualTo("0.0.0.0");
            } else {
                assertThat(address).as(service.module).isEqualTo("127.0.0.1");
            }
        }
    }

    @Test
    void everyServicePortAndTheDatabaseAreInternalHostsOfTheEgressPolicy() {
        // the embedded database: the launcher's own JOBS_DB_* variables
        String embedded = Launcher.internalHosts(
                java.util.Map.of("EGRESS_INTERNAL_HOSTS", "sink-of-mine"),
                java.util.Map.of("JOBS_DB_HOST", "127.0.0.1", "JOBS_DB_PORT", "15432"));
        assertThat(embedded.split(","))
                .contains("sink-of-mine", "127.0.0.1:15432", "127.0.0.1:5000", "127.0.0.1:9090", "127.0.0.1:8080")
                .contains("127.0.0.1:8086", "127.0.0.1:8087", "127.0.0.1:8082");
        // the operator's own server (JOBS_DB_* in the environment, not set by the launcher)
        assertThat(Launcher.internalHosts(java.util.Map.of("JOBS_DB_HOST", "::1"), java.util.Map.of())
                        .split(","))
                .contains("[::1]:5432");
    }

    @Test
    void theGeneratedSecretsAreInAFileOnlyItsOwnerCanReadInAFolderOnlyItsOwnerCanOpen() throws Exception {
        Path file = dir.resolve(".data/local.properties");
        String token = LocalSecrets.loadOrCreate(file).get("SERVICE_TOKEN");
        assertThat(token).hasSize(32);
        assertThat(Files.readString(file)).contains(token);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");

        // a file left readable by others (copied, restored from a backup) is closed again at the next start
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(LocalSecrets.loadOrCreate(file).get("SERVICE_TOKEN")).isEqualTo(token);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
    }
}
