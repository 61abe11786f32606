package io.riptide.app.services;

import io.riptide.schemas.service.Service;

import java.util.List;
import java.util.concurrent.CountDownLatch;

/** Runs services until the JVM is asked to stop (Ctrl-C, SIGTERM), then closes them in reverse order. */
final class ServiceRunner {
    private ServiceRunner() {
    }

    static int runUntilStopped(List<Service> services) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (int i = services.size() - 1; i >= 0; i--) {
                services.get(i).close();
            }
            stopped.countDown();
        }, "riptide-shutdown"));
        services.forEach(Service::start);
        System.out.println("running " + services.stream().map(Service::name).toList() + "; Ctrl-C to stop");
        stopped.await();
        return 0;
    }
}
