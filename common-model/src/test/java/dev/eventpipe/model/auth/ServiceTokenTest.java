package dev.eventpipe.model.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServiceTokenTest {
    @Test
    void onlyTheExactBearerTokenIsAccepted() {
        ServiceToken token = ServiceToken.of("s3cret").orElseThrow();
        assertThat(token.accepts("Bearer s3cret")).isTrue();
        assertThat(token.accepts("bearer s3cret")).isTrue();
        assertThat(token.accepts(token.authorization())).isTrue();
        assertThat(token.accepts("Bearer s3cre")).isFalse();
        assertThat(token.accepts("Bearer s3cret2")).isFalse();
        assertThat(token.accepts("Basic s3cret")).isFalse();
        assertThat(token.accepts("s3cret")).isFalse();
        assertThat(token.accepts(null)).isFalse();
        assertThat(token.toString()).doesNotContain("s3cret");
    }

    @Test
    void aBlankTokenIsNoToken() {
        assertThat(ServiceToken.of(" ")).isEmpty();
        assertThat(ServiceToken.of(null)).isEmpty();
    }
}
