package io.riptide.schemas.service;

/** A Riptide service (stream, trigger, feed): owns its inputs, outputs and threads; started and closed once. */
public interface Service extends AutoCloseable {
    String name();

    void start();

    /** Stops the service and releases everything it holds; safe to call twice. */
    @Override
    void close();
}
