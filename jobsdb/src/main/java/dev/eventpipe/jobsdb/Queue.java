package dev.eventpipe.jobsdb;

/**
 * The job queues: gateway to processor, processor to router, processor to batch router (warehouses), and the
 * processor's copy of handled gw events for the archive.
 */
public enum Queue {
    GW("gw"),
    RT("rt"),
    BATCH_RT("batch_rt"),
    ARC("arc");

    private final String prefix;

    Queue(String prefix) {
        this.prefix = prefix;
    }

    /** The table prefix: {@code gw_jobs}, {@code gw_job_status}, {@code gw_jobs_<n>}... */
    public String prefix() {
        return prefix;
    }

    String jobsTable() {
        return prefix + "_jobs";
    }

    String statusTable() {
        return prefix + "_job_status";
    }

    /**
     * Whether this queue's aborted jobs, with their statuses, are copied to {@code <prefix>_failed_events} before
     * their dataset is dropped or compacted ({@link FailedEventRetention}): only {@code rt}, whose failures the
     * router's failed-events API shows and replays.
     */
    boolean retainsAborted() {
        return this == RT;
    }

    String failedEventsTable() {
        return prefix + "_failed_events";
    }

    String failedStatusesTable() {
        return prefix + "_failed_event_statuses";
    }

    String jobIdSequence() {
        return prefix + "_job_id_seq";
    }

    /** The key of the transaction-level advisory lock that orders this queue's writers. */
    long lockKey() {
        return 0x6a6f6273_00000000L | ordinal();
    }
}
