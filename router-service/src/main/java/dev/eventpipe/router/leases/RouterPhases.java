package dev.eventpipe.router.leases;

import org.springframework.context.SmartLifecycle;

/**
 * The order the router's running parts start and stop in: their {@link SmartLifecycle} phases (Spring starts the
 * lowest phase first and stops the highest first). Stopping is the fenced handover (review P0-2) applied to the
 * whole replica: nothing is handed over once the pickup stops, the workers finish what they are sending and give
 * back the jobs they had not started, every status is committed, and only then are the leases released, so no
 * other replica can take a partition while this one may still send or commit for it.
 *
 * <p>All four sit just below Spring's default phase, as the single router lifecycle did before them: they start
 * after the web server and stop before its graceful shutdown.
 */
public final class RouterPhases {
    private RouterPhases() {}

    /**
     * {@link RouterLeases}: started first (the first share is taken, and the jobs a dead replica left
     * {@code executing} in it are recovered, before anything works on a partition), stopped last (released after
     * everything below has stopped).
     */
    public static final int LEASES = SmartLifecycle.DEFAULT_PHASE - 4;

    /** The status committer: started before any status can come, stopped after the workers, writing their last. */
    public static final int STATUS_COMMITTER = SmartLifecycle.DEFAULT_PHASE - 3;

    /**
     * The workers: stopped after the pickup, so no job is handed to a stopped worker; each finishes the send in
     * flight and gives back the jobs it had not started, which are recorded {@code waiting}.
     */
    public static final int WORKERS = SmartLifecycle.DEFAULT_PHASE - 2;

    /** The pickup loop: started last, stopped first. */
    public static final int PICKUP = SmartLifecycle.DEFAULT_PHASE - 1;
}
