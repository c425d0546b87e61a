package dev.eventpipe.jobsdb;

import java.util.UUID;

/**
 * A job to store. {@code payload} and {@code parameters} are JSON text; the payload is kept byte for byte (so
 * {@code \u0000} escapes and key order survive), the parameters become {@code jsonb} for filtering.
 *
 * @param userId the ordering key: jobs of one user id are handed out in store order
 * @param customVal {@code GW} for gateway jobs, the destination type for router jobs
 */
public record NewJob(
        UUID uuid,
        String userId,
        String workspaceId,
        String customVal,
        String parameters,
        String payload,
        int eventCount) {

    public NewJob {
        if (userId == null) throw new IllegalArgumentException("userId is required (use \"\" for none)");
        workspaceId = workspaceId == null ? "" : workspaceId;
        parameters = parameters == null || parameters.isBlank() ? "{}" : parameters;
        if (payload == null) throw new IllegalArgumentException("payload is required");
    }

    public static NewJob of(String userId, String workspaceId, String customVal, String parameters, String payload) {
        return new NewJob(UUID.randomUUID(), userId, workspaceId, customVal, parameters, payload, 1);
    }
}
