package dev.eventpipe.processor.pipeline;

import dev.eventpipe.jobsdb.Job;
import java.util.List;
import java.util.Set;

/**
 * The {@code executing} mark of a fetch failed for another reason than a lost lease, so it may have committed (the
 * connection dropped during {@code COMMIT}, after the server committed): the fetched jobs may be executing with no
 * batch working on them. The loop treats them as an abandoned batch's (review P2-2): their partitions' executing
 * jobs are reset once nothing is in flight, and read again in order; before, they stayed executing until the
 * partition was next taken up, while their users' later jobs went first. The same holds for any failure that is not
 * fatal ({@link StageFailure#fatal}) from the start of the mark's transaction (an {@code Error} in it included) to
 * the batch's entry into the pipeline (review 1015 P3-3): the jobs may be executing in no batch.
 */
final class MarkOutcomeUnknownException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Set<Integer> partitions;
    private final String jobs;

    MarkOutcomeUnknownException(Set<Integer> partitions, List<Job> jobs, Throwable cause) {
        super("the executing mark of " + partitions.size() + " partitions may or may not have committed", cause);
        this.partitions = Set.copyOf(partitions);
        // never throw here, from the callers' catch blocks: that would lose this signal and the reset (review 1330 P3)
        this.jobs = jobs.isEmpty()
                ? "no gw jobs"
                : jobs.size() + " gw jobs " + jobs.getFirst().jobId() + ".."
                        + jobs.getLast().jobId();
    }

    Set<Integer> partitions() {
        return partitions;
    }

    /** Which jobs were fetched, for a log line: their count and first and last job id. */
    String jobs() {
        return jobs;
    }
}
