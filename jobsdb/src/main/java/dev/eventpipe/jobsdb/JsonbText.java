package dev.eventpipe.jobsdb;

/**
 * Makes JSON text acceptable to PostgreSQL's {@code jsonb}, which refuses two things valid JSON may hold: the escape
 * {@code \u0000} and an escaped surrogate that is not part of a pair ({@code \ud800} alone). Both become
 * {@code \ufffd}, the replacement character; so do a raw NUL and a lone surrogate {@code char}, which cannot be
 * encoded as UTF-8. Everything else is kept as written, including an escaped backslash followed by {@code u0000}
 * (the six characters {@code \u0000}, not a NUL). jsonb columns hold metadata (parameters, status details) used
 * for filtering and display, where a replaced character is harmless; payloads are {@code text} and kept unchanged.
 */
public final class JsonbText {
    private static final String REPLACEMENT_ESCAPE = "\\ufffd";

    private JsonbText() {}

    /**
     * What the queue stores for this JSON text in a jsonb column: the text itself when it is already safe (the
     * common case, no copy), else a safe copy.
     */
    public static String safe(String json) {
        int first = firstUnsafe(json);
        return first < 0 ? json : rewrite(json, first);
    }

    private static int firstUnsafe(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                if (i + 1 < s.length() && s.charAt(i + 1) == 'u') {
                    int code = hex4(s, i + 2);
                    if (code == 0 || code > 0 && Character.isSurrogate((char) code)) return i;
                }
                i++; // the escaped character is never the start of an escape
            } else if (c == 0 || Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1)))
                    i++;
                else return i;
            }
        }
        return -1;
    }

    private static String rewrite(String s, int first) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        out.append(s, 0, first);
        int i = first;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                if (s.charAt(i + 1) != 'u' || hex4(s, i + 2) < 0) {
                    out.append(c).append(s.charAt(i + 1));
                    i += 2;
                    continue;
                }
                int code = hex4(s, i + 2);
                if (code == 0 || Character.isLowSurrogate((char) code)) {
                    out.append(REPLACEMENT_ESCAPE);
                } else if (Character.isHighSurrogate((char) code)) {
                    int next = i + 6 < s.length() - 1 && s.charAt(i + 6) == '\\' && s.charAt(i + 7) == 'u'
                            ? hex4(s, i + 8)
                            : -1;
                    if (next >= 0 && Character.isLowSurrogate((char) next)) {
                        out.append(s, i, i + 12);
                        i += 12;
                        continue;
                    }
                    out.append(REPLACEMENT_ESCAPE);
                } else {
                    out.append(s, i, i + 6);
                }
                i += 6;
            } else if (c == 0) {
                out.append(REPLACEMENT_ESCAPE);
                i++;
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                out.append(c).append(s.charAt(i + 1));
                i += 2;
            } else if (Character.isSurrogate(c)) {
                out.append('\ufffd');
                i++;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** The value of four hex digits at {@code from}, or -1 when there are not four. */
    private static int hex4(String s, int from) {
        if (from + 4 > s.length()) return -1;
        int value = 0;
        for (int i = from; i < from + 4; i++) {
            char c = s.charAt(i);
            int digit = c >= '0' && c <= '9'
                    ? c - '0'
                    : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (digit < 0) return -1;
            value = value * 16 + digit;
        }
        return value;
    }
}
