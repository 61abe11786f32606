package io.riptide.app.services;

import io.riptide.schemas.service.Service;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServiceRunnerTest {
    private final List<String> events = new CopyOnWriteArrayList<>();

    @Test
    void aDeadComponentStopsEveryServiceInReverseOrderAndExitsNonZeroNamingIt() throws Exception {
        AtomicReference<String> dead = new AtomicReference<>();
        Probe http = new Probe("http", new AtomicReference<>());
        Probe trigger = new Probe("trigger", dead);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread killer = new Thread(() -> {
            sleep(300);
            dead.set("trigger loop drift-listener stopped: java.lang.IllegalStateException: boom");
        });
        killer.start();
        int code = ServiceRunner.runUntilStopped(List.of(http, trigger), Duration.ofMillis(20),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
        killer.join();
        assertEquals(ServiceRunner.COMPONENT_DIED_EXIT_CODE, code);
        assertEquals(List.of("start http", "start trigger", "close trigger", "close http"), events);
        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.startsWith("riptide trigger: trigger loop drift-listener stopped: "
                + "java.lang.IllegalStateException: boom; stopping with exit code 4"), message);
        assertEquals(1, message.lines().count(), message);
    }

    @Test
    void healthyServicesKeepRunning() throws Exception {
        Probe stream = new Probe("stream", new AtomicReference<>());
        Thread runner = new Thread(() -> {
            try {
                ServiceRunner.runUntilStopped(List.of(stream), Duration.ofMillis(10), System.err, false);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        runner.start();
        runner.join(500);
        assertTrue(runner.isAlive(), "a healthy service is not stopped");
        assertEquals(List.of("start stream"), events);
        runner.interrupt();
        runner.join(5_000);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Probe implements Service {
        private final String name;
        private final AtomicReference<String> dead;

        Probe(String name, AtomicReference<String> dead) {
            this.name = name;
            this.dead = dead;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void start() {
            events.add("start " + name);
        }

        @Override
        public Optional<String> deadComponent() {
            return Optional.ofNullable(dead.get());
        }

        @Override
        public void close() {
            events.add("close " + name);
        }
    }
}
