package dev.eventpipe.router.trace;

import dev.eventpipe.jobsdb.Job;
import dev.eventpipe.jobsdb.JobHistory;
import dev.eventpipe.jobsdb.JobReads;
import dev.eventpipe.jobsdb.JobsDbs;
import dev.eventpipe.jobsdb.Queue;
import dev.eventpipe.model.config.Destination;
import dev.eventpipe.model.config.WorkspaceConfigClient;
import dev.eventpipe.model.json.Json;
import dev.eventpipe.router.delivery.DeliveryRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /api/v1/events/trace?workspaceId=&messageId=}: what the router did with one event, per destination: the
 * request as sent (method, URL, headers, body; secrets masked, {@link SecretMask}), every status with its code and
 * the destination's response, and the final state. Built from the rt jobs and statuses still held, and the aborted
 * jobs jobsdb keeps after their dataset is gone ({@code rt_failed_events}, for its retention): a dataset is dropped
 * once all its jobs are done, so older delivered events are no longer found; aborted ones are. Only that
 * workspace's jobs ({@code workspaceId} is required, {@code WorkspaceScopeFilter}).
 */
@RestController
class TraceController {
    // router_replays is the router's own table (its V1 migration); the jobs and statuses are read through jobsdb
    private static final String REPLAYS = """
            SELECT original_job_id, new_job_id FROM router_replays WHERE new_job_id IN (:jobIds)""";

    record Request(
            String method,
            String url,
            Map<String, String> headers,
            @Nullable String body,
            @Nullable String bodyType) {}

    record Attempt(String state, int attempt, Instant at, String code, JsonNode response) {}

    record Delivery(
            long jobId,
            String destinationId,
            String destinationType,
            Instant createdAt,
            @Nullable Long replayOf,
            @Nullable Request request,
            @Nullable String requestError,
            List<Attempt> attempts,
            String finalState) {}

    private final JdbcClient jdbc;
    private final JobReads reads;
    private final WorkspaceConfigClient config;

    TraceController(DataSource dataSource, JobsDbs jobsDbs, WorkspaceConfigClient config) {
        this.jdbc = JdbcClient.create(dataSource);
        this.reads = jobsDbs.reads();
        this.config = config;
    }

    @GetMapping("/api/v1/events/trace")
    List<Delivery> trace(@RequestParam String workspaceId, @RequestParam String messageId) {
        List<JobHistory> jobs = reads.withMessageId(Queue.RT, messageId, workspaceId, 50);
        if (jobs.isEmpty()) return List.of();
        List<Long> ids = jobs.stream().map(h -> h.job().jobId()).toList();
        Map<Long, Long> replayOf = new LinkedHashMap<>();
        jdbc.sql(REPLAYS).param("jobIds", ids).query(rs -> {
            replayOf.put(rs.getLong("new_job_id"), rs.getLong("original_job_id"));
        });
        List<Delivery> deliveries = new ArrayList<>();
        for (JobHistory h : jobs) {
            Job job = h.job();
            String destinationId = Json.mapper()
                    .readTree(job.parameters())
                    .path("destination_id")
                    .asString("");
            SecretMask mask = maskFor(destinationId);
            List<Attempt> history = h.statuses().stream()
                    .map(st -> new Attempt(
                            st.state().dbName(),
                            st.attempt(),
                            st.execTime(),
                            st.errorCode(),
                            Json.mapper().readTree(st.errorResponse())))
                    .toList();
            Request request = null;
            String requestError = null;
            try {
                request = view(DeliveryRequest.parse(job.payload()), mask);
            } catch (RuntimeException e) {
                requestError = "the stored payload is not a request: " + e.getMessage();
            }
            deliveries.add(new Delivery(
                    job.jobId(),
                    destinationId,
                    job.customVal(),
                    job.createdAt(),
                    replayOf.get(job.jobId()),
                    request,
                    requestError,
                    history.stream().map(a -> masked(a, mask)).toList(),
                    history.isEmpty() ? "pending" : history.getLast().state()));
        }
        return deliveries;
    }

    private SecretMask maskFor(String destinationId) {
        return config.current()
                .destinationById(destinationId)
                .map(TraceController::secretsOf)
                .map(SecretMask::new)
                .orElseGet(() -> new SecretMask(List.of()));
    }

    private static List<String> secretsOf(Destination d) {
        Object keys = d.destinationDefinition().config().other().get("secretKeys");
        List<String> paths = new ArrayList<>();
        if (keys instanceof List<?> list) for (Object k : list) if (k instanceof String s) paths.add(s);
        return SecretMask.secretValues(d.config(), paths);
    }

    private static Request view(DeliveryRequest r, SecretMask mask) {
        String body = null;
        if (r.body() != null) {
            body = "GZIP".equals(r.bodyType()) || r.headers().containsKey("Content-Encoding")
                    ? "(" + r.body().length + " bytes, compressed)"
                    : mask.text(new String(r.body(), StandardCharsets.UTF_8));
        }
        return new Request(r.method(), mask.url(r.uri()), mask.headers(r.headers()), body, r.bodyType());
    }

    private static Attempt masked(Attempt a, SecretMask mask) {
        // a destination may echo the request (and so a key) in its answer
        JsonNode response = Json.mapper().readTree(mask.text(Json.writeString(a.response())));
        return new Attempt(a.state(), a.attempt(), a.at(), a.code(), response);
    }
}
