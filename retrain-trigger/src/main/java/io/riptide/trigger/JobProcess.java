package io.riptide.trigger;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.riptide.schemas.avro.JobStatus;
import io.riptide.trigger.store.JobStore;
import io.riptide.trigger.store.LeaseLostException;
import io.riptide.trigger.store.TrainingJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a job in a JVM of its own ({@link JobMain}), with a heap cap and a timeout, so a native crash, an
 * out-of-memory error or a hang ends that job FAILED with the reason while the service goes on. The service hands
 * the process its settings on stdin and keeps stdin open: the process exits once it closes, so a killed service
 * leaves no job running behind it. The process reports on stdout ({@link #reporter}); the service relays that to
 * Kafka and the outbox, and the process itself never talks to Kafka.
 */
final class JobProcess {
    private static final Logger LOG = LoggerFactory.getLogger(JobProcess.class);
    static final String LINE_PREFIX = "@@riptide-job ";
    static final String END_OF_SETTINGS = "@@end-of-settings";
    /** JobMain's exit status when its claim of the job no longer holds the lease. */
    static final int EXIT_LEASE_LOST = 75;
    /** JobMain's exit status when the service that started it went away. */
    static final int EXIT_ORPHANED = 70;
    /** The JVM's exit status after -XX:+ExitOnOutOfMemoryError. */
    private static final int EXIT_OUT_OF_MEMORY = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TriggerConfig config;
    private final TrainingJobRunner runner;
    private final JobStore jobs;
    private final JobReporter reporter;
    private final java.time.Clock clock;

    JobProcess(TriggerConfig config, TrainingJobRunner runner, JobStore jobs, JobReporter reporter,
               java.time.Clock clock) {
        this.config = config;
        this.runner = runner;
        this.jobs = jobs;
        this.reporter = reporter;
        this.clock = clock;
    }

    /**
     * @throws LeaseLostException when another runner took the job over while the process ran
     */
    JobStatus run(TrainingJob job) {
        TriggerConfig.Jobs settings = config.jobs();
        Path errorFile = Path.of(System.getProperty("java.io.tmpdir"), "riptide-job-" + job.id() + "-hs_err.log");
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx" + settings.heapMb() + "m",
                "-XX:+ExitOnOutOfMemoryError", "-XX:ErrorFile=" + errorFile, "-cp",
                System.getProperty("java.class.path"), JobMain.class.getName(), Long.toString(job.id()),
                job.leaseOwner(), Integer.toString(job.attempts()), Long.toString(clock.millis())));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            return runner.diedWithoutEnding(job, "could not be started: " + e.getMessage());
        }
        AtomicReference<JobStatus> ended = new AtomicReference<>();
        Thread relay = new Thread(() -> relay(process, job, ended), "riptide-job-" + job.id() + "-relay");
        relay.setDaemon(true);
        relay.start();
        OutputStream stdin = process.getOutputStream();
        try {
            try {
                stdin.write(settingsText(settings.settings()).getBytes(StandardCharsets.UTF_8));
                stdin.flush();
            } catch (IOException e) {
                LOG.debug("job {}: its process took no settings ({}); its exit says why", job.id(), e.toString());
            }
            String death;
            if (!process.waitFor(settings.timeoutMs(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                death = "hung: killed after the " + settings.timeoutMs() + " ms timeout (trigger.jobs.timeout.ms)";
            } else {
                death = describeExit(process.exitValue(), errorFile);
            }
            relay.join(10_000);
            if (ended.get() != null) {
                if (process.exitValue() != 0) {
                    LOG.warn("job {} ended {}, then its process {}", job.id(), ended.get(), death);
                }
                return ended.get();
            }
            if (process.exitValue() == EXIT_LEASE_LOST) {
                throw new LeaseLostException(job);
            }
            LOG.error("job {} ({}): its process {}", job.id(), job.modelKey(), death);
            return runner.diedWithoutEnding(job, death);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while job " + job.id() + " ran", e);
        } finally {
            try {
                stdin.close(); // tells a process still running that the service is done with it
            } catch (IOException e) {
                // it is gone already
            }
        }
    }

    private String describeExit(int status, Path errorFile) {
        return switch (status) {
            case 0 -> "exited without ending the job";
            case EXIT_OUT_OF_MEMORY -> "ran out of memory (heap cap " + config.jobs().heapMb()
                    + " MB, trigger.jobs.heap.mb)";
            case EXIT_ORPHANED -> "lost its service";
            case 134 -> "crashed in native code (SIGABRT; the JVM's report: " + errorFile + ")";
            case 137 -> "was killed (SIGKILL)";
            default -> status > 128 ? "died of signal " + (status - 128) + " (report, if any: " + errorFile + ")"
                    : "exited with status " + status;
        };
    }

    private void relay(Process process, TrainingJob job, AtomicReference<JobStatus> ended) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (!line.startsWith(LINE_PREFIX)) {
                    LOG.info("job {}: {}", job.id(), line);
                    continue;
                }
                Map<String, Object> event = JSON.readValue(line.substring(LINE_PREFIX.length()),
                        new TypeReference<>() { });
                switch ((String) event.get("event")) {
                    case "progress" -> reporter.progress(job, ((Number) event.get("progress")).doubleValue(),
                            (String) event.get("message"));
                    case "promoted" -> reporter.promoted();
                    case "ended" -> {
                        JobStatus status = JobStatus.valueOf((String) event.get("status"));
                        jobs.correctFinishedMarketMs(job, clock.millis()); // the process knew only its start
                        reporter.ended(job, status, (String) event.get("message"),
                                (Integer) event.get("version"), metrics(event.get("metrics")));
                        ended.set(status);
                    }
                    default -> LOG.warn("job {}: unknown event {}", job.id(), line);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("job {}: relaying its process's reports failed: {}", job.id(), e.toString());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Double> metrics(Object raw) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (raw instanceof Map<?, ?> m) {
            ((Map<String, Object>) m).forEach((k, v) -> {
                if (v instanceof Number n) {
                    metrics.put(k, n.doubleValue());
                }
            });
        }
        return metrics;
    }

    private static String settingsText(Map<String, String> settings) throws IOException {
        Properties properties = new Properties();
        properties.putAll(settings);
        Writer text = new StringWriter();
        properties.store(text, null);
        return text + END_OF_SETTINGS + "\n";
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** What a job's process reports with: one JSON line per event, on stdout. */
    static JobReporter reporter(PrintStream out) {
        return new JobReporter() {
            @Override
            public void progress(TrainingJob job, double progress, String message) {
                emit(Map.of("event", "progress", "progress", progress, "message", message));
            }

            @Override
            public void ended(TrainingJob job, JobStatus status, String message, Integer version,
                              Map<String, Double> metrics) {
                Map<String, Object> event = new LinkedHashMap<>();
                event.put("event", "ended");
                event.put("status", status.name());
                event.put("message", message);
                event.put("version", version);
                Map<String, Double> finite = new LinkedHashMap<>();
                metrics.forEach((k, v) -> {
                    if (v != null && Double.isFinite(v)) {
                        finite.put(k, v);
                    }
                });
                event.put("metrics", finite);
                emit(event);
            }

            @Override
            public void promoted() {
                emit(Map.of("event", "promoted"));
            }

            private void emit(Map<String, Object> event) {
                try {
                    synchronized (out) {
                        out.println(LINE_PREFIX + JSON.writeValueAsString(event));
                        out.flush();
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }
}
