package dev.eventpipe.configbackend.destination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretBoxTest {
    static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);
    static final String HEADER = "/headers/0/to";

    @Test
    void aSecretIsEncryptedWithAFreshIvEachTimeAndDecryptsBack() {
        SecretBox box = new SecretBox(null, KEY);
        String a = box.encrypt("top-secret", "d1", HEADER);
        String b = box.encrypt("top-secret", "d1", HEADER);
        assertThat(a).startsWith("enc:v2:").doesNotContain("top-secret").isNotEqualTo(b);
        assertThat(box.decrypt(a, "d1", HEADER)).isEqualTo("top-secret");
        assertThat(box.decrypt("plain", "d1", HEADER)).isEqualTo("plain");
    }

    @Test
    void whatTheClientSendsIsAlwaysEncryptedEvenWhenItLooksLikeACiphertext() {
        SecretBox box = new SecretBox(null, KEY);
        String lookalike = box.encrypt("x", "d1", HEADER);
        String sealed = box.encrypt(lookalike, "d2", HEADER);
        assertThat(sealed).isNotEqualTo(lookalike);
        assertThat(box.decrypt(sealed, "d2", HEADER)).isEqualTo(lookalike);
    }

    @Test
    void aCiphertextDecryptsOnlyForItsOwnDestinationAndField() {
        SecretBox box = new SecretBox(null, KEY);
        String sealed = box.encrypt("top-secret", "d1", HEADER);
        assertThatThrownBy(() -> box.decrypt(sealed, "d2", HEADER)).hasMessageContaining("copied");
        assertThatThrownBy(() -> box.decrypt(sealed, "d1", "/headers/1/to")).hasMessageContaining("copied");
    }

    @Test
    void anotherKeyCannotDecrypt() {
        String sealed = new SecretBox(null, KEY).encrypt("top-secret", "d1", HEADER);
        String other = Base64.getEncoder().encodeToString(new byte[] {
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29,
            30, 31, 32
        });
        assertThatThrownBy(() -> new SecretBox(null, other).decrypt(sealed, "d1", HEADER))
                .hasMessageContaining("CONFIG_SECRET_KEY");
    }

    @Test
    void aMalformedKeyStopsTheStartInsteadOfBeingHashedSilently() {
        assertThatThrownBy(() -> new SecretBox(null, "another key")).hasMessageContaining("base64 of 32");
        assertThatThrownBy(() -> new SecretBox(null, Base64.getEncoder().encodeToString(new byte[16])))
                .hasMessageContaining("base64 of 32");
    }
}
