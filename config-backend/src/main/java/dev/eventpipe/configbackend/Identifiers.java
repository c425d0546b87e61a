package dev.eventpipe.configbackend;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Random identifiers and secrets. Ids are 27 base62 characters like RudderStack's; secrets (write keys, tokens)
 * carry 190 bits of randomness. Only SHA-256 hashes of tokens are stored, so a database dump reveals none.
 */
public final class Identifiers {
    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Identifiers() {}

    public static String newId() {
        return random(27);
    }

    /** A secret with a readable prefix, e.g. {@code ept_...} for API tokens. */
    public static String newSecret(String prefix) {
        return prefix + random(32);
    }

    public static String hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String random(int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) out[i] = BASE62[RANDOM.nextInt(BASE62.length)];
        return new String(out);
    }
}
