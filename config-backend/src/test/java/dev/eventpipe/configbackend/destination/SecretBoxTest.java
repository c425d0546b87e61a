package dev.eventpipe.configbackend.destination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretBoxTest {
    static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

    @Test
    void aSecretIsEncryptedWithAFreshIvEachTimeAndDecryptsBack() {
        SecretBox box = new SecretBox(null, KEY);
        String a = box.encrypt("top-secret");
        String b = box.encrypt("top-secret");
        assertThat(a).startsWith("enc:v1:").doesNotContain("top-secret").isNotEqualTo(b);
        assertThat(box.decrypt(a)).isEqualTo("top-secret");
        assertThat(box.decrypt("plain")).isEqualTo("plain");
    }

    @Test
    void anotherKeyCannotDecrypt() {
        String sealed = new SecretBox(null, KEY).encrypt("top-secret");
        assertThatThrownBy(() -> new SecretBox(null, "another key").decrypt(sealed))
                .hasMessageContaining("CONFIG_SECRET_KEY");
    }
}
