package dev.eventpipe.processor.dedup;

/**
 * What makes two events the same: the source and the messageId (with the source job run id appended for rETL
 * runs, as RudderStack's key is messageId + jobRunId), so two sources may reuse an id without losing events.
 */
public record DedupKey(String sourceId, String messageId) implements Comparable<DedupKey> {
    public static DedupKey of(String sourceId, String messageId, String jobRunId) {
        return new DedupKey(sourceId, jobRunId.isEmpty() ? messageId : messageId + "::" + jobRunId);
    }

    @Override
    public int compareTo(DedupKey o) {
        int c = sourceId.compareTo(o.sourceId);
        return c != 0 ? c : messageId.compareTo(o.messageId);
    }
}
