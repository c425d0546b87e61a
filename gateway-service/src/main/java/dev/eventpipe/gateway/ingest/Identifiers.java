package dev.eventpipe.gateway.ingest;

import java.util.Set;

/**
 * RudderStack's clean-up of identifiers before they are hashed or used as keys (rudder-go-kit
 * {@code sanitize.Unicode} then {@code strings.TrimSpace}): characters that print nothing are removed (control,
 * format, private-use, unassigned and lone surrogate code points, separators other than the ASCII space, and a
 * list of "invisible" letters and marks), then surrounding spaces are trimmed. The event itself keeps the value
 * as sent; only the job's user key, {@code rudderId} and {@code messageId} use the cleaned value.
 */
final class Identifiers {
    private static final Set<Integer> INVISIBLE = Set.of(
            0x00A0, 0x00AD, 0x034F, 0x061C, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180E, 0x2800, 0x3164, 0xFEFF, 0xFFA0);

    private Identifiers() {}

    static String clean(String value) {
        if (isPlain(value)) return value.strip();
        StringBuilder out = new StringBuilder(value.length());
        value.codePoints().filter(Identifiers::visible).forEach(out::appendCodePoint);
        return out.toString().strip();
    }

    // Fast path: printable ASCII needs no work beyond the trim.
    private static boolean isPlain(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e) return false;
        }
        return true;
    }

    private static boolean visible(int cp) {
        if (cp == ' ') return true;
        if (INVISIBLE.contains(cp) || (cp >= 0x2000 && cp <= 0x200F) || (cp >= 0x2060 && cp <= 0x206F)) return false;
        return switch (Character.getType(cp)) {
            case Character.CONTROL,
                    Character.FORMAT,
                    Character.PRIVATE_USE,
                    Character.SURROGATE,
                    Character.UNASSIGNED,
                    Character.SPACE_SEPARATOR,
                    Character.LINE_SEPARATOR,
                    Character.PARAGRAPH_SEPARATOR -> false;
            default -> true;
        };
    }
}
