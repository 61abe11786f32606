package io.riptide.serving.drift;

import java.lang.management.ManagementFactory;

/** Bytes the current thread allocates while running a task (HotSpot's per-thread allocation counter). */
final class Allocation {

    private Allocation() {
    }

    static long bytesAllocatedBy(Runnable task) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        task.run();
        return threads.getThreadAllocatedBytes(id) - before;
    }
}
