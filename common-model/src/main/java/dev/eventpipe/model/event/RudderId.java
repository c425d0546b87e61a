package dev.eventpipe.model.event;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * RudderStack's stable identity of a user: an MD5-based UUID of {@code userId + ":" + anonymousId}, with the
 * RFC 4122 version-4 and variant bits forced, exactly as rudder-go-kit's {@code GetMD5UUID}. Same inputs give the
 * same id on every machine, so destinations can join events of one user.
 */
public final class RudderId {
    private RudderId() {}

    public static UUID of(String userId, String anonymousId) {
        byte[] md5 = md5((nullToEmpty(userId) + ":" + nullToEmpty(anonymousId)).getBytes(StandardCharsets.UTF_8));
        md5[6] = (byte) ((md5[6] & 0x0f) | 0x40); // version 4
        md5[8] = (byte) ((md5[8] & 0x3f) | 0x80); // RFC 4122 variant
        long msb = 0;
        long lsb = 0;
        for (int i = 0; i < 8; i++) {
            msb = (msb << 8) | (md5[i] & 0xff);
            lsb = (lsb << 8) | (md5[i + 8] & 0xff);
        }
        return new UUID(msb, lsb);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static byte[] md5(byte[] input) {
        try {
            return MessageDigest.getInstance("MD5").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has MD5", e);
        }
    }
}
