package dev.eventpipe.router.ordering;

import dev.eventpipe.jobsdb.UserPartition;

/** The unit of ordering: one user's jobs for one destination of one workspace are delivered in job id order. */
public record OrderKey(String workspaceId, String destinationId, String userId) {

    public int partition() {
        return UserPartition.of(userId);
    }

    @Override
    public String toString() {
        return workspaceId + ":" + destinationId + ":" + userId;
    }
}
