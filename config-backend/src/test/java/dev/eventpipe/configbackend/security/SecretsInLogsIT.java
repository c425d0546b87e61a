package dev.eventpipe.configbackend.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.configbackend.Api;
import dev.eventpipe.testkit.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Review P2-4: passwords and tokens never go to the log. A first start with nothing configured (own context, own
 * empty database, the output captured from before it starts) generates the first admin's password and the demo
 * workspace's token: before the fix both were logged. The password now goes to a file only its owner may read.
 * Then the requests that carry credentials (log-ins, broken log-in bodies, unknown tokens, token creation) must not
 * put them in the log either.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "configbackend.security.admin-email=first@test.local",
            "configbackend.security.admin-password=",
            "configbackend.catalogue.enabled=false",
            "configbackend.seed.workspace-token=",
            "configbackend.seed.demo-workspace=true"
        })
class SecretsInLogsIT {
    static final Path PASSWORD_FILE;

    static {
        try {
            PASSWORD_FILE = Files.createTempDirectory("first-start").resolve("first-admin-password");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void db(DynamicPropertyRegistry registry) {
        TestPostgres.register(registry);
        registry.add("configbackend.security.admin-password-file", PASSWORD_FILE::toString);
    }

    @Test
    void theGeneratedFirstPasswordAndWorkspaceTokenAndLogInCredentialsStayOutOfTheLog(CapturedOutput output)
            throws IOException {
        assertThat(Files.getPosixFilePermissions(PASSWORD_FILE))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        String password = Files.readString(PASSWORD_FILE).strip();
        Api admin = Api.anonymous(port).login("first@test.local", password);
        assertThat(admin.get("/api/v1/auth/me").status()).isEqualTo(200);
        assertThat(output.getAll()).contains("First admin created", PASSWORD_FILE.toString());

        Api anonymous = Api.anonymous(port);
        anonymous.post("/api/v1/auth/login", Map.of("email", "first@test.local", "password", "typo-" + password));
        anonymous.post("/api/v1/auth/login", "{\"email\":\"first@test.local\",\"password\":\"broken-" + password);
        anonymous.bearer("eps_not-a-session-" + password).get("/api/v1/auth/me");
        String workspace =
                admin.get("/api/v1/workspaces").body().get(0).get("id").asString();
        String apiToken = admin.post(
                        "/api/v1/workspaces/" + workspace + "/api-tokens", Map.of("name", "ci", "role", "VIEWER"))
                .body()
                .get("value")
                .asString();
        String workspaceToken = admin.post(
                        "/api/v1/workspaces/" + workspace + "/workspace-tokens", Map.of("name", "data plane"))
                .body()
                .get("value")
                .asString();
        anonymous.bearer(apiToken).get("/api/v1/workspaces/" + workspace + "/sources");
        anonymous.basic(workspaceToken).get("/workspaceConfig?fetchAll=true");

        String log = output.getAll();
        assertThat(log)
                .as("the log")
                .doesNotContain(password)
                .doesNotContain("ewt_")
                .doesNotContain("eps_")
                .doesNotContain("ept_")
                .doesNotContain(apiToken)
                .doesNotContain(workspaceToken);
    }
}
