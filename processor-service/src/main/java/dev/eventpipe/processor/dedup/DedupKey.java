package dev.eventpipe.processor.dedup;

/**
 * What makes two events the same: the source and the messageId (with the source job run id appended for rETL
 * runs, as RudderStack's key is messageId + jobRunId), so two sources may reuse an id without losing events.
 */
public record DedupKey(String sourceId, String messageId) implements Comparable<DedupKey> {
    public static DedupKey of(String sourceId, String messageId, String jobRunId) {
        return new DedupKey(textSafe(sourceId), textSafe(jobRunId.isEmpty() ? messageId : messageId + "::" + jobRunId));
    }

    /** PostgreSQL text cannot hold NUL, and lone surrogates have no UTF-8 form: both become U+FFFD in the key. */
    static String textSafe(String value) {
        StringBuilder out = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean pair = Character.isHighSurrogate(c)
                    && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1));
            boolean bad = c == 0 || Character.isSurrogate(c) && !pair;
            if (bad && out == null) out = new StringBuilder(value.length()).append(value, 0, i);
            if (out != null) out.append(bad ? '\ufffd' : c);
            if (pair) {
                if (out != null) out.append(value.charAt(i + 1));
                i++;
            }
        }
        return out == null ? value : out.toString();
    }

    @Override
    public int compareTo(DedupKey o) {
        int c = sourceId.compareTo(o.sourceId);
        return c != 0 ? c : messageId.compareTo(o.messageId);
    }
}
