package dev.eventpipe.configbackend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.testkit.TestPostgres;
import java.util.Map;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The running control plane on a fresh PostgreSQL database, shared by the test classes that extend this one (same
 * Spring context). The first admin comes from properties; the demo workspace is seeded with known keys.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "configbackend.security.admin-email=" + BackendIT.ADMIN_EMAIL,
            "configbackend.security.admin-password=" + BackendIT.ADMIN_PASSWORD,
            "configbackend.catalogue.enabled=false",
            "configbackend.seed.workspace-token=" + BackendIT.DEMO_TOKEN,
            "configbackend.seed.write-key=" + BackendIT.DEMO_WRITE_KEY,
            "configbackend.data-plane.secret=" + BackendIT.INSTANCE_SECRET
        })
public abstract class BackendIT {
    protected static final String ADMIN_EMAIL = "admin@test.local";
    protected static final String ADMIN_PASSWORD = "admin-password-123";
    protected static final String DEMO_TOKEN = "demo-workspace-token";
    protected static final String DEMO_WRITE_KEY = "demo-write-key";
    /** The instance-wide data-plane secret (HOSTED_SERVICE_SECRET): every workspace's config. */
    protected static final String INSTANCE_SECRET = "instance-data-plane-secret";

    @LocalServerPort
    protected int port;

    /** Stands in for the router, processor and transformer behind the relay: echoes what it received. */
    protected static final EchoServer DATA_PLANE = EchoServer.start();

    @DynamicPropertySource
    static void db(DynamicPropertyRegistry registry) {
        TestPostgres.register(registry);
        registry.add("configbackend.relay.router-url", () -> DATA_PLANE.url() + "/router");
        registry.add("configbackend.relay.processor-url", () -> DATA_PLANE.url() + "/processor");
        registry.add("configbackend.relay.transformer-url", () -> DATA_PLANE.url() + "/transformer");
    }

    protected Api anonymous() {
        return Api.anonymous(port);
    }

    protected Api admin() {
        return anonymous().login(ADMIN_EMAIL, ADMIN_PASSWORD);
    }

    /** A new workspace owned by the admin. */
    protected String newWorkspace(Api admin, String name) {
        Api.Reply reply = admin.post("/api/v1/workspaces", Map.of("name", name));
        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
        return reply.body().get("id").asString();
    }

    /** A new data-plane token for the workspace. */
    protected String workspaceToken(Api admin, String workspaceId) {
        Api.Reply reply =
                admin.post("/api/v1/workspaces/" + workspaceId + "/workspace-tokens", Map.of("name", "data plane"));
        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
        return reply.body().get("value").asString();
    }

    /**
     * A member with the given role, logged in: the admin (an instance admin) creates the account with a password,
     * and the member changes it at first log-in to {@code "password-of-" + email}.
     */
    protected Api member(Api admin, String workspaceId, String email, String role) {
        String initial = "initial-of-" + email;
        Api.Reply reply = admin.post(
                "/api/v1/workspaces/" + workspaceId + "/members",
                Map.of("email", email, "role", role, "password", initial));
        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
        Api person = anonymous().login(email, initial);
        Api.Reply changed = person.put(
                "/api/v1/auth/password", Map.of("currentPassword", initial, "newPassword", "password-of-" + email));
        assertThat(changed.status()).as(changed.text()).isEqualTo(204);
        return person;
    }
}
