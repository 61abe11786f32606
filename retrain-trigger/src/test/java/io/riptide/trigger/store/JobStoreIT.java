package io.riptide.trigger.store;

import io.riptide.embedded.EmbeddedRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lease rules of the job queue, on a real PostgreSQL: no job runs twice, none is lost. */
class JobStoreIT {
    private static final long LONG_LEASE = 60_000;
    private static EmbeddedRuntime runtime;

    @BeforeAll
    static void start() {
        runtime = EmbeddedRuntime.start();
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    private static JobStore store(String name) {
        DataSource db = runtime.createDatabaseNamed("jobs_" + name);
        Migrations.migrate(db);
        return new JobStore(db);
    }

    @Test
    void runnersClaimingAtOnceGetEachJobExactlyOnce() throws Exception {
        JobStore jobs = store("concurrent");
        for (int i = 0; i < 40; i++) {
            jobs.enqueue("liquidation-" + (i + 1) + "m", "schedule", "lease test", "it", false, i % 3, 0)
                    .orElseThrow();
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<List<Long>>> claims = new ArrayList<>();
        for (int r = 0; r < 4; r++) {
            String owner = "runner-" + r;
            claims.add(pool.submit(() -> {
                go.await();
                List<Long> mine = new ArrayList<>();
                Optional<TrainingJob> job;
                while ((job = jobs.claimNext(owner, LONG_LEASE)).isPresent()) {
                    assertEquals(owner, job.get().leaseOwner());
                    mine.add(job.get().id());
                }
                return mine;
            }));
        }
        go.countDown();
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> f : claims) {
            all.addAll(f.get(60, TimeUnit.SECONDS));
        }
        pool.shutdown();
        assertEquals(40, all.size(), "every job claimed");
        assertEquals(40, new HashSet<>(all).size(), "no job claimed twice");
        assertEquals(java.util.Map.of("RUNNING", 40), jobs.countsByStatus());
    }

    @Test
    void aJobWhoseLeaseExpiredIsTakenOverAndItsFirstRunnerCanWriteNothingMore() throws Exception {
        JobStore jobs = store("takeover");
        jobs.enqueue("liquidation-15m", "drift", "lease test", "it", false, 5, 0).orElseThrow();
        TrainingJob first = jobs.claimNext("killed-runner", 300).orElseThrow();
        assertEquals(1, first.attempts());
        assertTrue(jobs.claimNext("second-runner", LONG_LEASE).isEmpty(), "leased: nobody else may take it");
        Thread.sleep(600);
        TrainingJob second = jobs.claimNext("second-runner", LONG_LEASE).orElseThrow();
        assertEquals(first.id(), second.id());
        assertEquals(2, second.attempts());
        assertThrows(LeaseLostException.class, () -> jobs.progress(first, 0.5, "training"));
        assertFalse(jobs.renewLease(first, LONG_LEASE));
        assertFalse(jobs.finish(first, "SUCCEEDED", "late", 1, 0, true), "the first runner's end is not recorded");
        jobs.progress(second, 0.5, "training");
        assertTrue(jobs.finish(second, "REJECTED", "done", 1, 0, true));
        assertEquals(List.of("REJECTED"), List.copyOf(jobs.countsByStatus().keySet()));
    }

    @Test
    void aRenewedLeaseKeepsTheJobAndARestartTakesBackOnlyItsOwnJobs() throws Exception {
        JobStore jobs = store("restart");
        jobs.enqueue("liquidation-5m", "drift", "lease test", "it", false, 5, 0).orElseThrow();
        jobs.enqueue("liquidation-15m", "drift", "lease test", "it", false, 5, 0).orElseThrow();
        TrainingJob mine = jobs.claimNext("instance-a", 400).orElseThrow();
        TrainingJob theirs = jobs.claimNext("instance-b", LONG_LEASE).orElseThrow();
        for (int i = 0; i < 4; i++) {
            Thread.sleep(200);
            assertTrue(jobs.renewLease(mine, 400));
        }
        assertTrue(jobs.claimNext("instance-c", LONG_LEASE).isEmpty(), "both leases are held");
        assertEquals(1, jobs.requeueOwnedBy("instance-a"), "a restart of instance-a takes back its own job only");
        TrainingJob again = jobs.claimNext("instance-a", LONG_LEASE).orElseThrow();
        assertEquals(mine.id(), again.id());
        // the runner of the first claim, were it still alive (an orphaned job process), holds nothing now
        assertThrows(LeaseLostException.class, () -> jobs.progress(mine, 0.5, "stale"));
        assertFalse(jobs.renewLease(mine, LONG_LEASE));
        assertEquals(Optional.of(again), jobs.leased(again.id(), "instance-a", again.attempts()));
        assertTrue(jobs.leased(mine.id(), "instance-a", mine.attempts()).isEmpty());
        assertTrue(jobs.claimNext("instance-a", LONG_LEASE).isEmpty(), "instance-b's job stays leased to it");
        jobs.progress(theirs, 0.3, "still running");
    }
}
