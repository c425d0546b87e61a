package dev.eventpipe.configbackend.destination;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
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
 * Encrypts destination secrets with AES-256-GCM ({@code enc:v1:} + base64 of IV and ciphertext). The key is
 * {@code CONFIG_SECRET_KEY} (base64 of 32 bytes; any other text is hashed to 32 bytes); when unset, a random key is
 * generated on first start and kept in {@code cp_secret_key}, which protects dumps of the config tables but not of
 * the whole database: set the variable in production.
 */
@Component
public class SecretBox {
    private static final Logger log = LoggerFactory.getLogger(SecretBox.class);
    static final String PREFIX = "enc:v1:";
    private static final int IV_BYTES = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;
    private final String configuredKey;
    private volatile @Nullable SecretKeySpec key;

    SecretBox(JdbcClient jdbc, @Value("${configbackend.security.secret-key:}") String configuredKey) {
        this.jdbc = jdbc;
        this.configuredKey = configuredKey;
    }

    public String encrypt(String clear) {
        if (clear.startsWith(PREFIX)) return clear;
        try {
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key(), new GCMParameterSpec(128, iv));
            byte[] sealed = cipher.doFinal(clear.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[iv.length + sealed.length];
            System.arraycopy(iv, 0, out, 0, iv.length);
            System.arraycopy(sealed, 0, out, iv.length, sealed.length);
            return PREFIX + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt a secret", e);
        }
    }

    /** Decrypts a value written by {@link #encrypt}; any other value is returned as it is. */
    public String decrypt(String value) {
        if (!value.startsWith(PREFIX)) return value;
        try {
            byte[] in = Base64.getDecoder().decode(value.substring(PREFIX.length()));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key(), new GCMParameterSpec(128, in, 0, IV_BYTES));
            return new String(cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot decrypt a secret: was CONFIG_SECRET_KEY changed?", e);
        }
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
        try {
            byte[] decoded = Base64.getDecoder().decode(configured.trim());
            if (decoded.length == 32) return decoded;
        } catch (IllegalArgumentException e) {
            // not base64: derive below
        }
        try {
            return MessageDigest.getInstance("SHA-256").digest(configured.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
