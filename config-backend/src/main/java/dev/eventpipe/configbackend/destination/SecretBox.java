package dev.eventpipe.configbackend.destination;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Encrypts destination secrets with AES-256-GCM ({@code enc:v2:} + base64 of IV and ciphertext), bound to the
 * destination and the field they belong to: the destination id and the field's JSON pointer are the GCM associated
 * data, so a ciphertext moved to another destination, field or workspace does not decrypt. Only the server tags
 * values: whatever a client sends is encrypted, a value that looks like a ciphertext included. The key is
 * {@code CONFIG_SECRET_KEY} (base64 of 32 bytes; anything else stops the start); when unset, a random key is
 * generated on first start and kept in {@code cp_secret_key}, which protects dumps of the config tables but not of
 * the whole database: set the variable in production.
 */
@Component
public class SecretBox {
    private static final Logger log = LoggerFactory.getLogger(SecretBox.class);
    static final String PREFIX = "enc:v2:";
    /** Written before secrets were bound to their field: still read from storage, never written. */
    static final String LEGACY_PREFIX = "enc:v1:";

    private static final int IV_BYTES = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;
    private final String configuredKey;
    private volatile @Nullable SecretKeySpec key;

    SecretBox(JdbcClient jdbc, @Value("${configbackend.security.secret-key:}") String configuredKey) {
        this.jdbc = jdbc;
        this.configuredKey = configuredKey;
        if (!configuredKey.isBlank()) parse(configuredKey); // a malformed key stops the start, not the first save
    }

    /** Encrypts what a client sent for the field {@code pointer} of destination {@code destinationId}. */
    public String encrypt(String clear, String destinationId, String pointer) {
        try {
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key(), new GCMParameterSpec(128, iv));
            cipher.updateAAD(associatedData(destinationId, pointer));
            byte[] sealed = cipher.doFinal(clear.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[iv.length + sealed.length];
            System.arraycopy(iv, 0, out, 0, iv.length);
            System.arraycopy(sealed, 0, out, iv.length, sealed.length);
            return PREFIX + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt a secret", e);
        }
    }

    /**
     * Decrypts a stored value written by {@link #encrypt} for this destination and field (or, for values stored
     * before the binding, by the old unbound format); a stored value without a tag is returned as it is.
     */
    public String decrypt(String stored, String destinationId, String pointer) {
        boolean bound = stored.startsWith(PREFIX);
        if (!bound && !stored.startsWith(LEGACY_PREFIX)) return stored;
        try {
            byte[] in = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key(), new GCMParameterSpec(128, in, 0, IV_BYTES));
            if (bound) cipher.updateAAD(associatedData(destinationId, pointer));
            return new String(cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException(
                    "cannot decrypt the secret " + pointer + " of destination " + destinationId
                            + ": was CONFIG_SECRET_KEY changed, or the value copied from another destination?",
                    e);
        }
    }

    private static byte[] associatedData(String destinationId, String pointer) {
        return ("eventpipe destination secret\0" + destinationId + "\0" + pointer).getBytes(StandardCharsets.UTF_8);
    }

    private SecretKeySpec key() {
        SecretKeySpec k = key;
        if (k != null) return k;
        synchronized (this) {
            if (key == null) key = new SecretKeySpec(loadKey(), "AES");
            return key;
        }
    }

    private byte[] loadKey() {
        if (!configuredKey.isBlank()) return parse(configuredKey);
        byte[] fresh = new byte[32];
        RANDOM.nextBytes(fresh);
        int inserted = jdbc.sql("INSERT INTO cp_secret_key (id, key_b64) VALUES (1, :key) ON CONFLICT DO NOTHING")
                .param("key", Base64.getEncoder().encodeToString(fresh))
                .update();
        if (inserted == 1)
            log.atWarn().log("CONFIG_SECRET_KEY is not set: generated a secret key and stored it in the database");
        String stored = jdbc.sql("SELECT key_b64 FROM cp_secret_key WHERE id = 1")
                .query(String.class)
                .single();
        return Base64.getDecoder().decode(stored);
    }

    static byte[] parse(String configured) {
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(configured.trim());
        } catch (IllegalArgumentException e) {
            decoded = new byte[0];
        }
        if (decoded.length != 32) {
            throw new IllegalStateException("CONFIG_SECRET_KEY must be the base64 of 32 random bytes, e.g. the output"
                    + " of: head -c 32 /dev/urandom | base64");
        }
        return decoded;
    }
}
