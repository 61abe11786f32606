package io.riptide.schemas.service;

import java.util.Optional;

/** A Riptide service (stream, trigger, feed): owns its inputs, outputs and threads; started and closed once. */
public interface Service extends AutoCloseable {
    String name();

    void start();

    /**
     * The part of this service that has died since {@link #start()}, and why: a stream client in ERROR, a consumer
     * loop that stopped. A process running the service exits non-zero on it, so that its supervisor restarts it
     * rather than keep a process that looks up but does nothing. Empty while healthy, before start and once closing.
     */
    default Optional<String> deadComponent() {
        return Optional.empty();
    }

    /** Stops the service and releases everything it holds; safe to call twice. */
    @Override
    void close();
}
