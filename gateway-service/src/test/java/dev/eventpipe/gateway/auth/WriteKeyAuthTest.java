package dev.eventpipe.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class WriteKeyAuthTest {
    private static String basic(String credentials) {
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theWriteKeyIsTheBasicUserNameAndThePasswordIsIgnored() {
        assertThat(WriteKeyAuth.basicUser(basic("wk:"))).isEqualTo("wk");
        assertThat(WriteKeyAuth.basicUser(basic("wk:secret"))).isEqualTo("wk");
        assertThat(WriteKeyAuth.basicUser("basic " + Base64.getEncoder().encodeToString("wk:".getBytes())))
                .isEqualTo("wk");
    }

    @Test
    void malformedHeadersHaveNoWriteKey() {
        assertThat(WriteKeyAuth.basicUser(null)).isNull();
        assertThat(WriteKeyAuth.basicUser("Bearer abc")).isNull();
        assertThat(WriteKeyAuth.basicUser("Basic !!!")).isNull();
        assertThat(WriteKeyAuth.basicUser(basic("no-colon"))).isNull();
        assertThat(WriteKeyAuth.basicUser(basic(":"))).isEmpty();
    }
}
