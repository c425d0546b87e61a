package dev.eventpipe.warehouse.staging;

import dev.eventpipe.jobsdb.Job;
import dev.eventpipe.jobsdb.StatusUpdate;
import dev.eventpipe.model.config.Destination;
import dev.eventpipe.warehouse.schema.EventMapper;
import dev.eventpipe.warehouse.schema.EventMeta;
import dev.eventpipe.warehouse.schema.MappingException;
import dev.eventpipe.warehouse.schema.MappingOptions;
import dev.eventpipe.warehouse.schema.WarehouseJson;
import dev.eventpipe.warehouse.schema.WarehouseRow;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The jobs of one source and destination in a staging pass, mapped to rows. */
final class StagingBatch {
    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("uuuu-MM-dd").withZone(ZoneOffset.UTC);

    private final String workspaceId;
    private final String sourceId;
    private final Destination destination;
    private final String sourceType;
    private final List<StagedRow> staged = new ArrayList<>();
    private int events;
    private long firstJobId = -1;
    private long lastJobId = -1;

    StagingBatch(String workspaceId, String sourceId, Destination destination, String sourceType) {
        this.workspaceId = workspaceId;
        this.sourceId = sourceId;
        this.destination = destination;
        this.sourceType = sourceType;
    }

    /** Maps a job's event; notes its status (succeeded, or aborted with the reason). */
    void add(Job job, JsonNode params, List<StatusUpdate> statuses, Instant now) {
        List<WarehouseRow> rows;
        try {
            JsonNode event = WarehouseJson.MAPPER.readTree(job.payload());
            if (!(event instanceof ObjectNode object)) throw new MappingException("the event is not a JSON object");
            String messageId = params.path("message_id").asString("");
            if (messageId.isEmpty()) messageId = object.path("messageId").asString("");
            if (messageId.isEmpty()) messageId = "auto-" + UUID.randomUUID();
            String receivedAt = object.path("receivedAt").asString("");
            if (receivedAt.isEmpty()) receivedAt = params.path("received_at").asString("");
            EventMeta meta = new EventMeta(messageId, receivedAt, sourceId, sourceType, destination.id());
            rows = EventMapper.map(object, meta, MappingOptions.of(destination.config(), object));
        } catch (MappingException | JacksonException e) {
            statuses.add(StagingLoop.aborted(job, 400, e.getMessage(), now));
            return;
        }
        for (WarehouseRow row : rows) {
            ObjectNode data = WarehouseJson.MAPPER.createObjectNode();
            row.values().forEach(data::set);
            staged.add(new StagedRow(row.table(), row.columns(), data, row.updatesUsers()));
        }
        events++;
        if (firstJobId < 0) firstJobId = job.jobId();
        lastJobId = job.jobId();
        statuses.add(StatusUpdate.succeeded(job.jobId(), 1, now).withResponse("200", "{}"));
    }

    /** {@code staging/<workspace>/<source>/<destination>/<day>/<first job id>-<random>.json.gz}. */
    String key(Instant now) {
        return "staging/" + safe(workspaceId) + "/" + safe(sourceId) + "/" + safe(destination.id()) + "/"
                + DAY.format(now) + "/" + firstJobId + "-" + UUID.randomUUID() + ".json.gz";
    }

    private static String safe(String id) {
        String cleaned = id.replaceAll("[^A-Za-z0-9._-]", "_");
        return cleaned.isEmpty() || cleaned.equals(".") || cleaned.equals("..") ? "_" : cleaned;
    }

    List<StagedRow> staged() {
        return staged;
    }

    int rows() {
        return staged.size();
    }

    int events() {
        return events;
    }

    String workspaceId() {
        return workspaceId;
    }

    String sourceId() {
        return sourceId;
    }

    Destination destination() {
        return destination;
    }

    long firstJobId() {
        return firstJobId;
    }

    long lastJobId() {
        return lastJobId;
    }
}
