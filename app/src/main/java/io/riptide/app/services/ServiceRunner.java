package io.riptide.app.services;

import io.riptide.schemas.service.Service;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs services until the JVM is asked to stop (Ctrl-C, SIGTERM), then closes them in reverse order. A service
 * whose component died ({@link Service#deadComponent()}) ends the run with {@link #COMPONENT_DIED_EXIT_CODE}, so a
 * supervisor (systemd, Kubernetes) restarts the process instead of keeping one that looks up and does nothing.
 */
final class ServiceRunner {
    /** The exit code of a service process that stopped because a component of it died. */
    static final int COMPONENT_DIED_EXIT_CODE = 4;
    private static final Duration CHECK_EVERY = Duration.ofSeconds(1);

    private ServiceRunner() {
    }

    static int runUntilStopped(List<Service> services) throws InterruptedException {
        return runUntilStopped(services, CHECK_EVERY, System.err, true);
    }

    /** {@code onShutdown}: whether a JVM shutdown (Ctrl-C, SIGTERM) also ends the run (false in tests). */
    static int runUntilStopped(List<Service> services, Duration checkEvery, PrintStream err, boolean onShutdown)
            throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean closed = new AtomicBoolean();
        Runnable closeAll = () -> {
            if (closed.compareAndSet(false, true)) {
                for (int i = services.size() - 1; i >= 0; i--) {
                    services.get(i).close();
                }
            }
        };
        Thread hook = new Thread(() -> {
            closeAll.run();
            stopped.countDown();
        }, "riptide-shutdown");
        if (onShutdown) {
            Runtime.getRuntime().addShutdownHook(hook);
        }
        services.forEach(Service::start);
        System.out.println("running " + services.stream().map(Service::name).toList() + "; Ctrl-C to stop");
        while (!stopped.await(checkEvery.toMillis(), TimeUnit.MILLISECONDS)) {
            for (Service service : services) {
                Optional<String> dead = service.deadComponent();
                if (dead.isPresent()) {
                    err.println("riptide " + service.name() + ": " + dead.get() + "; stopping with exit code "
                            + COMPONENT_DIED_EXIT_CODE + " so that a supervisor restarts it");
                    closeAll.run();
                    if (onShutdown) {
                        try {
                            Runtime.getRuntime().removeShutdownHook(hook);
                        } catch (IllegalStateException shuttingDownAlready) {
                            // the hook runs anyway; closeAll is idempotent
                        }
                    }
                    return COMPONENT_DIED_EXIT_CODE;
                }
            }
        }
        return 0;
    }
}
