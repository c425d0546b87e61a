package dev.eventpipe.processor.pipeline;

import dev.eventpipe.jobsdb.JobState;
import dev.eventpipe.jobsdb.StatusUpdate;
import dev.eventpipe.model.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ObjectNode;

/**
 * What happened to one gw job in this batch, turned into its terminal status: {@code succeeded} when at least one
 * rt job came out of it; else {@code aborted} when a transformation failed (the failures are the reason); else
 * {@code filtered} (a duplicate, or no destination took the event). Filter reasons and failures are kept in the
 * status's error_response either way, so a succeeded job still shows which destinations dropped or failed it.
 */
public final class JobReport {
    /** A destination that did not get the event, and why. */
    public record Note(String destinationId, String stage, int statusCode, String reason) {}

    private int rtJobs;
    private int duplicates;
    private @Nullable String invalid;
    private final List<Note> filtered = new ArrayList<>();
    private final List<Note> failures = new ArrayList<>();

    public void invalid(String reason) {
        this.invalid = reason;
    }

    public void duplicate() {
        duplicates++;
    }

    public void stored(int count) {
        rtJobs += count;
    }

    public void filtered(Note note) {
        filtered.add(note);
    }

    public void failed(Note note) {
        failures.add(note);
    }

    public JobState state() {
        if (invalid != null) return JobState.ABORTED;
        if (rtJobs > 0) return JobState.SUCCEEDED;
        return failures.isEmpty() ? JobState.FILTERED : JobState.ABORTED;
    }

    public StatusUpdate status(long jobId, int attempt, Instant now) {
        JobState state = state();
        ObjectNode response = Json.mapper().createObjectNode();
        String code = switch (state) {
            case SUCCEEDED -> "200";
            case FILTERED -> "298";
            default -> "400";
        };
        if (invalid != null) response.put("reason", invalid);
        else if (state == JobState.FILTERED)
            response.put("reason", duplicates > 0 ? "duplicate messageId" : "no destination accepted the event");
        else if (state == JobState.ABORTED) response.put("reason", "transformation failed");
        else response.put("success", "OK");
        if (duplicates > 0) response.put("duplicates", duplicates);
        response.put("rtJobs", rtJobs);
        if (!filtered.isEmpty()) response.set("filtered", Json.mapper().valueToTree(filtered));
        if (!failures.isEmpty()) response.set("failures", Json.mapper().valueToTree(failures));
        return StatusUpdate.of(jobId, state, attempt, now).withResponse(code, response.toString());
    }
}
