package dev.eventpipe.configbackend.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.configbackend.Api;
import dev.eventpipe.configbackend.BackendIT;
import org.junit.jupiter.api.Test;

/** The test classpath holds a {@code static/index.html} standing in for the web-ui jar. */
class SpaFallbackIT extends BackendIT {

    @Test
    void appRoutesServeTheIndexPageAndApiPathsDoNot() {
        assertThat(anonymous().get("/").text()).contains("eventpipe test page");
        assertThat(anonymous().get("/workspaces/abc/sources").text()).contains("eventpipe test page");
        Api.Reply api = admin().get("/api/v1/no-such-thing");
        assertThat(api.status()).isEqualTo(404);
        assertThat(api.text()).doesNotContain("eventpipe test page");
        assertThat(anonymous().get("/api/v1/workspaces").status()).isEqualTo(401);
    }
}
