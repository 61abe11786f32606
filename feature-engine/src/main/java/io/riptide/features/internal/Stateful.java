package io.riptide.features.internal;

/**
 * A component whose mutable state goes into snapshots. Configuration (periods, capacities) is not written: a restore
 * builds the component with the same configuration, then {@link #read} overwrites its state in the order
 * {@link #write} wrote it.
 */
public interface Stateful {
    void write(StateWriter w);

    void read(StateReader r);
}
