package io.riptide.trigger.api;

import io.riptide.serving.Calibrator;
import io.riptide.trigger.api.internal.FeatureImportance;
import io.riptide.trigger.metrics.TriggerMetrics;
import io.riptide.trigger.store.OpsReadStore;
import io.riptide.trigger.store.OpsRequestStore.OpsRequestRow;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The read side of the ops API and console: JSON-ready views (ordered maps and lists) of models, versions, jobs,
 * drift and the serving history, built from {@link OpsReadStore}. Roles are data: a version's {@code role} is
 * whichever serving role the registry gives it (PRODUCTION or SHADOW), and its {@code status} the registry's
 * lifecycle state (CANDIDATE, REJECTED, SHADOW, PRODUCTION, ARCHIVED, RETIRED).
 */
public final class OpsQueries {
    private static final int IMPORTANCE_SHOWN = 20;
    private static final int PERFORMANCE_SHOWN = 2_000;

    private final OpsReadStore store;
    private final List<String> configuredKeys;
    private final Map<String, List<FeatureImportance.Entry>> importanceBySha = new ConcurrentHashMap<>();

    public OpsQueries(OpsReadStore store, List<String> configuredKeys) {
        this.store = store;
        this.configuredKeys = List.copyOf(configuredKeys);
    }

    /** The keys this trigger trains, and every other key the registry knows. */
    public List<String> keys() {
        TreeSet<String> keys = new TreeSet<>(configuredKeys);
        keys.addAll(store.knownKeys());
        return new ArrayList<>(keys);
    }

    /** One line per key: who serves in which role, versions, live AUC, the job in flight. */
    public List<Map<String, Object>> models() {
        Map<String, List<Map<String, Object>>> byKey = new LinkedHashMap<>();
        for (Map<String, Object> v : store.models(null)) {
            byKey.computeIfAbsent((String) v.get("modelKey"), k -> new ArrayList<>()).add(v);
        }
        Map<String, Map<String, Object>> activeJobs = new LinkedHashMap<>();
        for (Map<String, Object> job : store.jobs(null, null, 200)) {
            String status = (String) job.get("status");
            if (status.equals("QUEUED") || status.equals("RUNNING")) {
                activeJobs.putIfAbsent((String) job.get("modelKey"), jobView(job));
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (String key : keys()) {
            List<Map<String, Object>> versions = byKey.getOrDefault(key, List.of());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", key);
            m.put("trainedHere", configuredKeys.contains(key));
            m.put("serving", roles(versions));
            m.put("versions", versions.size());
            m.put("latestVersion", versions.isEmpty() ? null : versions.get(versions.size() - 1).get("version"));
            List<Map<String, Object>> perf = store.performance(key, 1);
            m.put("liveAuc", perf.isEmpty() ? null : perf.get(0).get("auc"));
            m.put("liveAucVersion", perf.isEmpty() ? null : perf.get(0).get("version"));
            m.put("activeJob", activeJobs.get(key));
            out.add(m);
        }
        return out;
    }

    /** Everything about one key; empty when neither configured nor known to the registry. */
    public Optional<Map<String, Object>> model(String key) {
        List<Map<String, Object>> versions = store.models(key);
        if (versions.isEmpty() && !keys().contains(key)) {
            return Optional.empty();
        }
        List<Map<String, Object>> history = store.servingHistory(key, 1_000);
        List<Map<String, Object>> chronological = new ArrayList<>(history);
        Collections.reverse(chronological);
        Map<Integer, Map<String, Object>> evaluations = new LinkedHashMap<>();
        for (Map<String, Object> e : store.evaluations(key)) {
            evaluations.put((Integer) e.get("candidateVersion"), e);
        }
        List<Map<String, Object>> performance = store.performance(key, PERFORMANCE_SHOWN);
        List<Map<String, Object>> versionViews = new ArrayList<>();
        for (Map<String, Object> v : versions) {
            int version = (Integer) v.get("version");
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("version", version);
            view.put("role", TriggerMetrics.SERVING_ROLES.contains((String) v.get("status")) ? v.get("status") : null);
            view.put("status", v.get("status"));
            view.put("format", v.get("format"));
            view.put("sha256", v.get("sha256"));
            view.put("featureSetHash", v.get("featureSetHash"));
            view.put("createdAt", v.get("createdAt"));
            view.put("jobId", v.get("jobId"));
            view.put("trainingExamples", v.get("trainingExamples"));
            view.put("trainedFromMs", v.get("trainedFromMs"));
            view.put("trainedToMs", v.get("trainedToMs"));
            view.put("offlineMetrics", v.get("metrics"));
            view.put("evaluation", evaluations.get(version));
            view.put("servingPeriods", servingPeriods(chronological, version));
            view.put("live", liveSummary(performance, version));
            view.put("calibration", calibration((String) v.get("calibration"), metrics(v)));
            view.put("featureImportance", importance(key, version, (String) v.get("sha256")));
            versionViews.add(view);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", key);
        m.put("trainedHere", configuredKeys.contains(key));
        m.put("serving", roles(versions));
        m.put("servingSince", servingSince(chronological, versions));
        m.put("versions", versionViews);
        m.put("servingHistory", history);
        m.put("livePerformance", performance);
        m.put("drift", store.driftSummary(key, null, null, null));
        List<Map<String, Object>> jobs = new ArrayList<>();
        store.jobs(key, null, 20).forEach(j -> jobs.add(jobView(j)));
        m.put("jobs", jobs);
        return Optional.of(m);
    }

    public List<Map<String, Object>> jobs(String key, String status, int limit) {
        List<Map<String, Object>> out = new ArrayList<>();
        store.jobs(key, status, limit).forEach(j -> out.add(jobView(j)));
        return out;
    }

    public Optional<Map<String, Object>> job(long id) {
        return store.job(id).map(OpsQueries::jobView);
    }

    public Map<String, Object> drift(String key, String detector, String severity, Long sinceMs, int limit) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("byKeyAndDetector", store.driftSummary(key, detector, severity, sinceMs));
        m.put("events", store.driftEvents(key, detector, severity, sinceMs, limit));
        return m;
    }

    public List<Map<String, Object>> history(String key, int limit) {
        return store.servingHistory(key, limit);
    }

    public static Map<String, Object> requestView(OpsRequestRow r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("requestId", r.requestId());
        m.put("source", r.source());
        m.put("action", r.action());
        m.put("modelKey", r.modelKey());
        m.put("requestedBy", r.requestedBy());
        m.put("reason", r.reason());
        m.put("force", r.force());
        m.put("targetVersion", r.targetVersion());
        m.put("status", r.status());
        m.put("terminal", r.terminal());
        m.put("message", r.message());
        m.put("jobId", r.jobId());
        m.put("modelVersion", r.modelVersion());
        m.put("receivedAt", r.receivedAt() == null ? null : r.receivedAt().toString());
        m.put("decidedAt", r.decidedAt() == null ? null : r.decidedAt().toString());
        m.put("finishedAt", r.finishedAt() == null ? null : r.finishedAt().toString());
        return m;
    }

    /** Role -> version for the key's versions that serve in a role, e.g. {PRODUCTION=3}. */
    private static Map<String, Object> roles(List<Map<String, Object>> versions) {
        Map<String, Object> roles = new LinkedHashMap<>();
        for (String role : TriggerMetrics.SERVING_ROLES) {
            for (Map<String, Object> v : versions) {
                if (role.equals(v.get("status"))) {
                    roles.put(role, v.get("version"));
                }
            }
        }
        return roles;
    }

    /** Role -> when its current version started serving, from the serving history. */
    private static Map<String, Object> servingSince(List<Map<String, Object>> chronological,
                                                    List<Map<String, Object>> versions) {
        Map<String, Object> since = new LinkedHashMap<>();
        roles(versions).forEach((role, version) -> {
            for (Map<String, Object> h : chronological) {
                if (role.equals(h.get("role")) && version.equals(h.get("version")) && !"ARCHIVE".equals(h.get("action"))) {
                    since.put(role, h.get("at"));
                }
            }
        });
        return since;
    }

    /** When a version served, from the history: each PROMOTE or ROLLBACK to it opens a period, its ARCHIVE ends it. */
    private static List<Map<String, Object>> servingPeriods(List<Map<String, Object>> chronological, int version) {
        List<Map<String, Object>> periods = new ArrayList<>();
        Map<String, Object> open = null;
        for (Map<String, Object> h : chronological) {
            if (!Integer.valueOf(version).equals(h.get("version"))) {
                continue;
            }
            String action = (String) h.get("action");
            boolean ends = action.equals("ARCHIVE") || action.equals("RETIRE");
            if (!ends && open != null && !open.get("role").equals(h.get("role"))) {
                // a shadow promoted: its shadow period ends where its production period starts
                open.put("to", h.get("at"));
                open.put("endedBecause", h.get("reason"));
                open = null;
            }
            if (!ends && open == null) {
                open = new LinkedHashMap<>();
                open.put("role", h.get("role"));
                open.put("from", h.get("at"));
                open.put("to", null);
                open.put("by", h.get("actor"));
                open.put("action", action);
                open.put("reason", h.get("reason"));
                periods.add(open);
            } else if (ends && open != null) {
                open.put("to", h.get("at"));
                open.put("endedBecause", h.get("reason"));
                open = null;
            }
        }
        return periods;
    }

    private static Map<String, Object> liveSummary(List<Map<String, Object>> performance, int version) {
        int reports = 0;
        long outcomes = 0;
        double aucSum = 0;
        int aucReports = 0;
        Object latest = null;
        for (Map<String, Object> p : performance) {
            if (!Integer.valueOf(version).equals(p.get("version"))) {
                continue;
            }
            reports++;
            outcomes += ((Number) p.get("n")).longValue();
            if (p.get("auc") instanceof Number auc) {
                aucSum += auc.doubleValue();
                aucReports++;
                latest = auc;
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("reports", reports);
        m.put("outcomes", outcomes);
        m.put("meanAuc", aucReports == 0 ? null : aucSum / aucReports);
        m.put("latestAuc", latest);
        return m;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> metrics(Map<String, Object> version) {
        Object metrics = version.get("metrics");
        return metrics instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /** The calibrator as fitted: method, parameters, hold-out ECE with and without it, and its curve. */
    private static Map<String, Object> calibration(String text, Map<String, Object> metrics) {
        Map<String, Object> m = new LinkedHashMap<>();
        String stored = text == null ? "none" : text;
        m.put("method", stored.split(" ", 2)[0]);
        m.put("parameters", stored.length() > 200 ? stored.substring(0, 200) + " ..." : stored);
        m.put("holdoutEce", metrics.get("ece"));
        m.put("holdoutEceUncalibrated", metrics.get("ece_uncalibrated"));
        List<double[]> curve = new ArrayList<>();
        try {
            Calibrator calibrator = Calibrator.fromBytes(stored.getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i <= 20; i++) {
                double p = i / 20.0;
                curve.add(new double[]{p, calibrator.apply(p)});
            }
        } catch (RuntimeException e) {
            m.put("error", "calibrator does not parse: " + e.getMessage());
        }
        m.put("curve", curve);
        return m;
    }

    private List<Map<String, Object>> importance(String key, int version, String sha256) {
        List<FeatureImportance.Entry> entries = importanceBySha.computeIfAbsent(sha256, s -> store.artifact(key, version)
                .map(a -> FeatureImportance.of(a.format(), a.bytes(), a.featureNames())).orElse(List.of()));
        return FeatureImportance.asMaps(entries, IMPORTANCE_SHOWN);
    }

    private static Map<String, Object> jobView(Map<String, Object> j) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String k : List.of("id", "modelKey", "status", "progress", "message", "trigger", "reason", "requestedBy",
                "force", "priority", "candidateVersion", "createdAt", "startedAt", "finishedAt")) {
            m.put(k, j.get(k));
        }
        Map<String, Object> gate = null;
        if (j.get("gateDecision") != null) {
            gate = new LinkedHashMap<>();
            gate.put("decision", j.get("gateDecision"));
            gate.put("reasons", j.get("gateReasons"));
            gate.put("championVersion", j.get("gateChampionVersion"));
            gate.put("candidateAuc", j.get("gateCandidateAuc"));
            gate.put("championAuc", j.get("gateChampionAuc"));
            gate.put("holdoutN", j.get("gateHoldoutN"));
        }
        m.put("gate", gate);
        return m;
    }
}
