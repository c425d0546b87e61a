package dev.eventpipe.warehouse.upload;

import dev.eventpipe.model.config.ConfigIndex;
import dev.eventpipe.model.config.Destination;
import dev.eventpipe.model.config.Source;
import dev.eventpipe.model.config.WorkspaceConfigClient;
import dev.eventpipe.warehouse.config.WarehouseProperties;
import dev.eventpipe.warehouse.lease.LeaderLease;
import dev.eventpipe.warehouse.staging.StagingLoop;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Turns pending staging files into uploads: on the active replica, for each source and destination with pending
 * files, when the destination's sync is due ({@link SyncSchedule}); and at once for "sync now". A destination that
 * is disabled or missing from the config keeps its files pending until it is back.
 */
public final class UploadScheduler {
    /** What "sync now" did: uploads created and unfinished uploads made due now. */
    public record SyncNow(List<Long> created, List<Long> dueNow) {}

    private final Uploads uploads;
    private final WorkspaceConfigClient config;
    private final LeaderLease lease;
    private final WarehouseProperties.Uploads settings;
    private final InstantSource clock;

    public UploadScheduler(
            Uploads uploads,
            WorkspaceConfigClient config,
            LeaderLease lease,
            WarehouseProperties.Uploads settings,
            InstantSource clock) {
        this.uploads = uploads;
        this.config = config;
        this.lease = lease;
        this.settings = settings;
        this.clock = clock;
    }

    /** One pass; returns the number of uploads created. */
    public int runOnce() {
        if (!lease.isLeader() || !config.hasLoaded()) return 0;
        ConfigIndex index = config.current();
        int created = 0;
        for (Uploads.Pending p : uploads.pending()) {
            Destination d = index.destinationById(p.destinationId()).orElse(null);
            if (d == null || !d.enabled() || !StagingLoop.DESTINATION_TYPE.equals(d.type())) continue;
            if (uploads.open(p.sourceId(), p.destinationId()).isPresent()) continue;
            SyncSchedule schedule = SyncSchedule.of(d.config(), settings.defaultSyncFrequency());
            if (!schedule.due(
                    uploads.lastCreatedAt(p.sourceId(), p.destinationId()).orElse(null), clock.instant())) continue;
            if (uploads.create(p, "schedule").isPresent()) created++;
        }
        return created;
    }

    /**
     * "Sync now" for a destination of the workspace (and one of its sources, or all): pending files become an
     * upload now, and an unfinished upload is tried now. Empty when the destination is not the workspace's.
     */
    public Optional<SyncNow> syncNow(String workspaceId, String destinationId, @Nullable String sourceId) {
        if (!belongs(workspaceId, destinationId)) return Optional.empty();
        List<Long> created = new ArrayList<>();
        List<Long> dueNow = new ArrayList<>();
        for (Uploads.Pending p : uploads.pending(destinationId, sourceId)) {
            Optional<Upload> open = uploads.open(p.sourceId(), destinationId);
            if (open.isPresent()) continue;
            uploads.create(p, "manual").ifPresent(created::add);
        }
        for (Source s : sources(workspaceId, destinationId)) {
            if (sourceId != null && !sourceId.equals(s.id())) continue;
            uploads.open(s.id(), destinationId).ifPresent(u -> {
                if (!created.contains(u.id()) && uploads.attemptNow(u.id())) dueNow.add(u.id());
            });
        }
        return Optional.of(new SyncNow(created, dueNow));
    }

    /** Whether the destination is configured in that workspace (tenants never touch each other's uploads). */
    public boolean belongs(String workspaceId, String destinationId) {
        return !sources(workspaceId, destinationId).isEmpty();
    }

    private List<Source> sources(String workspaceId, String destinationId) {
        // only that workspace's own config: a data plane may serve every workspace
        ConfigIndex index = config.current();
        List<Source> out = new ArrayList<>();
        for (Source s : index.workspace(workspaceId).map(c -> c.sources()).orElse(List.of())) {
            if (s.destinations().stream().anyMatch(d -> d.id().equals(destinationId))) out.add(s);
        }
        return out;
    }
}
