package dev.eventpipe.router.batching;

import dev.eventpipe.jobsdb.JobState;
import dev.eventpipe.model.config.Destination;
import dev.eventpipe.model.config.DestinationJson;
import dev.eventpipe.model.json.Json;
import dev.eventpipe.router.batching.BatchTransformerClient.Planned;
import dev.eventpipe.router.batching.BatchTransformerClient.TransformerUnavailableException;
import dev.eventpipe.router.config.DestinationSettings;
import dev.eventpipe.router.delivery.DeliveryRequest;
import dev.eventpipe.router.delivery.DeliveryResult;
import dev.eventpipe.router.delivery.HttpDelivery;
import dev.eventpipe.router.delivery.Worker;
import dev.eventpipe.router.delivery.WorkerContext;
import dev.eventpipe.router.ordering.OrderKey;
import dev.eventpipe.router.status.RtJob;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Delivers one gathered batch of a worker (rs:router/worker.go batching, §4 of the reference): the transformer
 * combines the jobs into requests ({@code POST /batch}), which go out in the order it gave; each request's answer
 * is every member's outcome. The per-user rules hold across the batch:
 *
 * <ul>
 *   <li>a job whose user is blocked by an earlier failing job is not sent: it is recorded {@code waiting};
 *   <li>when a request fails, only the first job of each user in it is {@code failed}; that user's later jobs in
 *       it are {@code waiting} behind it;
 *   <li>when a request fails, the requests not yet sent are combined again without the users it blocked, so no
 *       later job of such a user goes out ahead of its retry, while the other users' jobs still go now;
 *   <li>a transformer that cannot be asked, or whose plan would send a user's jobs out of order or lose one,
 *       sends nothing: the jobs are failed without an attempt and retried.
 * </ul>
 */
public final class BatchRun {
    private static final Logger log = LoggerFactory.getLogger(BatchRun.class);

    private final Worker worker;
    private final WorkerContext context;
    private final Destination destination;
    private final DestinationSettings settings;
    /** Jobs of this batch whose status is on its way to the commit. */
    private final Map<Long, JobState> settled = new HashMap<>();

    public BatchRun(Worker worker, WorkerContext context, Destination destination, DestinationSettings settings) {
        this.worker = worker;
        this.context = context;
        this.destination = destination;
        this.settings = settings;
    }

    public void deliver(List<RtJob> gathered) {
        List<RtJob> pending = new ArrayList<>();
        for (RtJob job : gathered) {
            // a partition that moved to another replica is recovered there; delivering here would duplicate
            if (!context.owned().contains(job.partition())) context.drop(job);
            else if (!holdIfBlocked(job)) pending.add(job);
        }
        try {
            while (!pending.isEmpty()) pending = round(pending);
        } catch (Throwable e) {
            log.atError().setCause(e).log("batch delivery crashed; its jobs will be retried");
            DeliveryResult crashed = new DeliveryResult.Retryable(500, "router error: " + e, "text/plain", null);
            // jobs already settled in this run were committed; the rest fail now (a status row per job, as always)
            finishAll(
                    pending.stream()
                            .filter(j -> !settled.containsKey(j.jobId()))
                            .toList(),
                    crashed,
                    null);
        }
    }

    /**
     * Plans the pending jobs with the transformer and sends the plan until a request fails in a way that blocks
     * some of its users; returns the jobs still to be sent then (planned again without the blocked ones).
     */
    private List<RtJob> round(List<RtJob> pending) {
        Map<Long, RtJob> byId = new LinkedHashMap<>();
        pending.forEach(j -> byId.put(j.jobId(), j));
        List<Planned> plan;
        try {
            plan = context.batchTransformer().batch(destination.type(), inputs(pending), destinationJson());
        } catch (TransformerUnavailableException e) {
            notAttempted(pending, e.getMessage());
            return List.of();
        }
        String unusable = unusable(plan, byId);
        if (unusable != null) {
            log.atWarn().addKeyValue("destinationId", destination.id()).log(unusable);
            notAttempted(pending, "transformer answered an unusable batch: " + unusable);
            return List.of();
        }
        for (int i = 0; i < plan.size(); i++) {
            Planned item = plan.get(i);
            List<RtJob> members = item.jobIds().stream().map(byId::get).toList();
            if (!item.ok()) {
                // a 200 without a request is the transformer's fault, not the events'
                int status = item.statusCode() == 200 ? 500 : item.statusCode();
                String error = item.error().isEmpty() ? "the transformer gave no request" : item.error();
                finishAll(members, HttpDelivery.classify(status, error, "text/plain", null), null);
                continue;
            }
            if (members.stream().anyMatch(this::blocked)) return replan(plan.subList(i, plan.size()), byId);
            send(item, members);
        }
        return List.of();
    }

    private void send(Planned item, List<RtJob> members) {
        // a batch's jobs go out in one request, so each member's partition is checked just before it, as a job's is
        Set<Integer> fenced = context.ownedFor(settings.httpTimeout());
        if (!members.stream().allMatch(j -> fenced.contains(j.partition()))) {
            Set<Integer> owned = context.owned();
            List<RtJob> kept = new ArrayList<>();
            for (RtJob job : members) {
                if (owned.contains(job.partition())) kept.add(job);
                else {
                    // moved to another replica, which recovers it; nothing is committed here
                    context.drop(job);
                    settled.put(job.jobId(), JobState.EXECUTING);
                }
            }
            finishAll(kept, worker.leaseNotCertain(), null);
            return;
        }
        DeliveryRequest request;
        try {
            request = DeliveryRequest.parse(item.request());
        } catch (RuntimeException e) {
            finishAll(
                    members, new DeliveryResult.Rejected(400, "invalid batched request: " + e.getMessage(), ""), null);
            return;
        }
        if (Thread.currentThread().isInterrupted()) {
            // the router is stopping and gave up waiting for this worker: what is left was not sent
            notAttempted(members, "router stopped before delivery");
            return;
        }
        long start = System.nanoTime();
        DeliveryResult result = context.delivery().send(request, settings.httpTimeout());
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        context.batchSize(destination.type()).record(members.size());
        finishAll(members, result, took);
    }

    /** The jobs of the plan's rest, without those now blocked (recorded waiting), to be planned again. */
    private List<RtJob> replan(List<Planned> rest, Map<Long, RtJob> byId) {
        List<RtJob> again = new ArrayList<>();
        for (Planned p : rest) for (long id : p.jobIds()) again.add(byId.get(id));
        again.sort((a, b) -> Long.compare(a.jobId(), b.jobId()));
        return again.stream().filter(j -> !holdIfBlocked(j)).toList();
    }

    /**
     * Every member gets the request's outcome, except a user's jobs after one that failed: those wait behind it.
     */
    private void finishAll(List<RtJob> members, DeliveryResult result, @Nullable Duration took) {
        for (RtJob job : members.stream()
                .sorted((a, b) -> Long.compare(a.jobId(), b.jobId()))
                .toList()) {
            Optional<Long> blocker = context.barrier().blockerOf(job.key(), job.jobId());
            if (blocker.isPresent()) {
                worker.waiting(job, blocker.get(), result instanceof DeliveryResult.Retryable r ? r : null);
                settled.put(job.jobId(), JobState.WAITING);
            } else settled.put(job.jobId(), worker.finish(job, result, took));
        }
    }

    private void notAttempted(List<RtJob> jobs, String reason) {
        finishAll(jobs, new DeliveryResult.NotAttempted(reason, settings.minBackoff()), null);
    }

    private boolean blocked(RtJob job) {
        return context.barrier().blockerOf(job.key(), job.jobId()).isPresent();
    }

    /** Records the job as waiting when an earlier job of its user is failing; true if so. */
    private boolean holdIfBlocked(RtJob job) {
        Optional<Long> blocker = context.barrier().blockerOf(job.key(), job.jobId());
        if (blocker.isEmpty()) return false;
        worker.waiting(job, blocker.get(), null);
        settled.put(job.jobId(), JobState.WAITING);
        return true;
    }

    /**
     * Why the plan cannot be followed, or null: every job must appear exactly once, and each user's jobs must go
     * out in job id order (the transformer is trusted with the combining, not with the order).
     */
    static @Nullable String unusable(List<Planned> plan, Map<Long, RtJob> byId) {
        Map<Long, Boolean> seen = new HashMap<>();
        Map<OrderKey, Long> lastOfUser = new HashMap<>();
        for (Planned item : plan) {
            if (item.jobIds().isEmpty()) return "an element names no job";
            for (long id : item.jobIds()) {
                RtJob job = byId.get(id);
                if (job == null) return "job " + id + " was not asked for";
                if (seen.put(id, true) != null) return "job " + id + " appears twice";
                Long previous = lastOfUser.put(job.key(), id);
                if (previous != null && previous > id)
                    return "job " + id + " would go out after its user's later job " + previous;
            }
        }
        if (seen.size() != byId.size()) return (byId.size() - seen.size()) + " jobs are missing from the answer";
        return null;
    }

    private List<BatchTransformerClient.Input> inputs(List<RtJob> jobs) {
        List<BatchTransformerClient.Input> inputs = new ArrayList<>(jobs.size());
        for (RtJob job : jobs)
            inputs.add(new BatchTransformerClient.Input(job.job().payload(), metadata(job)));
        return inputs;
    }

    /** rudder-server's router job metadata, as far as it means something here. */
    private static ObjectNode metadata(RtJob job) {
        JsonNode params = Json.mapper().readTree(job.job().parameters());
        ObjectNode m = Json.mapper().createObjectNode();
        m.put("jobId", job.jobId());
        m.put("userId", job.job().userId());
        m.put("workspaceId", job.job().workspaceId());
        m.put("destinationId", job.destinationId());
        m.put("sourceId", params.path("source_id").asString(""));
        m.put("messageId", params.path("message_id").asString(""));
        m.put("attemptNum", job.attempts());
        m.put("receivedAt", params.path("received_at").asString(""));
        m.put("createdAt", job.job().createdAt().toString());
        if (job.firstAttemptedAt() != null)
            m.put("firstAttemptedAt", job.firstAttemptedAt().toString());
        return m;
    }

    private ObjectNode destinationJson() {
        return DestinationJson.full(destination, Json.mapper());
    }
}
