package io.riptide.trigger.api;

import io.riptide.schemas.avro.OpsAction;
import io.riptide.schemas.avro.OpsResponse;
import io.riptide.schemas.avro.OpsResponseStatus;
import io.riptide.schemas.avro.RetrainRequest;
import io.riptide.trigger.OpsDecision;
import io.riptide.trigger.OpsRequestHandler;
import io.riptide.trigger.metrics.TriggerMetrics;
import io.riptide.trigger.store.JobStore;
import io.riptide.trigger.store.OpsRequestStore;
import io.riptide.trigger.store.OpsRequestStore.OpsRequestRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Where every ops request is carried out, whether it came from {@code ops.retrain-requests} or the HTTP API: the
 * request is logged in {@code ops_requests} (a redelivered request id is answered from the log, not carried out
 * again), carried out by {@link OpsRequestHandler}, and answered on {@code ops.responses}. An accepted retrain is
 * answered a second time when its job finishes, with the job's outcome.
 */
public final class OpsDesk {
    private static final Logger LOG = LoggerFactory.getLogger(OpsDesk.class);

    private final OpsRequestHandler handler;
    private final OpsRequestStore requests;
    private final JobStore jobs;
    private final OpsPublisher publisher;
    private final TriggerMetrics metrics;
    private final Clock clock;

    public OpsDesk(OpsRequestHandler handler, OpsRequestStore requests, JobStore jobs, OpsPublisher publisher,
                   TriggerMetrics metrics, Clock clock) {
        this.handler = handler;
        this.requests = requests;
        this.jobs = jobs;
        this.publisher = publisher;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Carries out one request and returns the reply also sent to {@code ops.responses}.
     *
     * @param source {@code kafka} or {@code http}
     */
    public synchronized OpsResponse submit(RetrainRequest request, String source) {
        String id = request.getRequestId();
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("an ops request needs a requestId");
        }
        boolean fresh = requests.receive(id, source, request.getAction().name(), request.getModelKey(),
                request.getRequestedBy(), request.getReason(), request.getForce(), request.getTargetVersion());
        if (!fresh) {
            OpsRequestRow known = requests.find(id).orElseThrow();
            if (!known.status().equals("RECEIVED")) {
                LOG.info("ops request {} seen again ({}): answered from the log, not carried out again", id, source);
                OpsResponse reply = response(known);
                publisher.reply(reply);
                return reply;
            }
            LOG.warn("ops request {} was received before but never decided (a crash?): carrying it out now", id);
        }
        OpsDecision decision;
        try {
            decision = handler.decide(request);
        } catch (RuntimeException e) {
            LOG.error("ops request {} ({} {}) failed", id, request.getAction(), request.getModelKey(), e);
            decision = new OpsDecision(OpsResponseStatus.FAILED, "failed: " + e.getMessage(), null, null);
        }
        if (decision.status() == OpsResponseStatus.REFUSED && request.getAction() == OpsAction.RETRAIN
                && decision.jobId() == null) {
            Optional<Long> active = jobs.activeJob(request.getModelKey());
            if (active.isPresent()) {
                decision = OpsDecision.refused(decision.message() + " (job " + active.get()
                        + "; its outcome is on ops.training-jobs and GET /api/jobs/" + active.get() + ")", active.get());
            }
        }
        requests.decide(id, decision.status().name(), decision.message(), decision.jobId(), decision.version());
        return answer(request, source, decision);
    }

    /**
     * Refuses a request that may not be carried out at all (one from Kafka whose signature does not verify), logs
     * it under the name it claimed, and answers it. A request id already in the log keeps its entry: a forged copy of
     * a real request changes nothing.
     */
    public synchronized OpsResponse refuse(RetrainRequest request, String source, String reason) {
        String id = request.getRequestId();
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("an ops request needs a requestId");
        }
        OpsDecision decision = OpsDecision.refused("not authorised: " + reason, null);
        if (requests.receive(id, source, request.getAction().name(), request.getModelKey(),
                "unverified:" + request.getRequestedBy(), request.getReason(), request.getForce(),
                request.getTargetVersion())) {
            requests.decide(id, decision.status().name(), decision.message(), null, null);
        }
        LOG.warn("ops request {} ({} {} claiming to be from {}) via {} refused: {}", id, request.getAction(),
                request.getModelKey(), request.getRequestedBy(), source, reason);
        return answer(request, source, decision);
    }

    private OpsResponse answer(RetrainRequest request, String source, OpsDecision decision) {
        String id = request.getRequestId();
        metrics.opsRequest(request.getAction().name(), decision.status().name(), source);
        if (decision.status() == OpsResponseStatus.SUCCEEDED) {
            metrics.servingChange(request.getModelKey(), request.getAction().name(), false);
        }
        OpsResponse reply = OpsResponse.newBuilder().setRequestId(id).setModelKey(request.getModelKey())
                .setAction(request.getAction()).setStatus(decision.status()).setTerminal(decision.terminal())
                .setMessage(decision.message()).setJobId(decision.jobId()).setModelVersion(decision.version())
                .setRequestedBy(request.getRequestedBy()).setSource(source).setTimeMs(clock.millis()).build();
        publisher.reply(reply);
        LOG.info("ops request {} ({} {} by {} via {}): {} {}", id, request.getAction(), request.getModelKey(),
                request.getRequestedBy(), source, decision.status(), decision.message());
        return reply;
    }

    /**
     * Answers the accepted retrains whose jobs have finished (here or on another trigger instance) with the jobs'
     * outcomes; returns how many were answered.
     */
    public int completeFinishedJobs() {
        List<OpsRequestRow> done = requests.completeFinishedJobs();
        for (OpsRequestRow row : done) {
            publisher.reply(response(row));
            metrics.opsRequest(row.action(), row.status(), row.source());
            LOG.info("ops request {} ({} {} by {}): job {} {}: {}", row.requestId(), row.action(), row.modelKey(),
                    row.requestedBy(), row.jobId(), row.status(), row.message());
        }
        return done.size();
    }

    public Optional<OpsRequestRow> find(String requestId) {
        return requests.find(requestId);
    }

    public List<OpsRequestRow> recent(String modelKey, int limit) {
        return requests.recent(modelKey, limit);
    }

    /** The reply that a logged request stands at now. */
    public OpsResponse response(OpsRequestRow row) {
        OpsResponseStatus status = row.status().equals("RECEIVED") ? OpsResponseStatus.ACCEPTED
                : OpsResponseStatus.valueOf(row.status());
        return OpsResponse.newBuilder().setRequestId(row.requestId()).setModelKey(row.modelKey())
                .setAction(OpsAction.valueOf(row.action())).setStatus(status).setTerminal(row.terminal())
                .setMessage(row.message()).setJobId(row.jobId()).setModelVersion(row.modelVersion())
                .setRequestedBy(row.requestedBy()).setSource(row.source()).setTimeMs(clock.millis()).build();
    }
}
