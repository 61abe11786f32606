package io.riptide.trigger;

import io.riptide.trigger.store.ModelRegistryStore;
import io.riptide.trigger.store.ModelRegistryStore.PendingPublication;
import io.riptide.trigger.store.ModelRegistryStore.PublicationRole;
import io.riptide.trigger.store.StoredModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes what the registry changed in what serves (a production version, a shadow, a shadow's withdrawal) to
 * {@code models.versions}, from the outbox rows that {@link ModelRegistryStore#makeProduction}, {@link
 * ModelRegistryStore#makeShadow} and {@link ModelRegistryStore#retireShadow} write in the same transaction. Each row is published and then marked, oldest
 * first, so a crash between the database commit and the publish, or between the publish and the mark, leaves the row
 * pending and the next call publishes it: the registry and the streams disagree for at most one reconcile step. A
 * row published twice (a crash after the send) is the same version re-sent, which a stream installs again harmlessly.
 * A publish that fails stops the pass, so a later promotion of the same key never overtakes an earlier one.
 */
public final class PromotionOutbox {
    private static final Logger LOG = LoggerFactory.getLogger(PromotionOutbox.class);

    /** Where a change goes ({@link ModelPublisher#publish} in the service). */
    @FunctionalInterface
    public interface Sender {
        void publish(StoredModel model, PublicationRole role, String reason);
    }

    private final ModelRegistryStore registry;
    private final Sender sender;
    private final AtomicLong failures = new AtomicLong();

    public PromotionOutbox(ModelRegistryStore registry, Sender sender) {
        this.registry = registry;
        this.sender = sender;
    }

    /** Publishes every pending row; returns how many were published. Never throws for a failed publish. */
    public synchronized int publishPending() {
        int published = 0;
        for (PendingPublication p : registry.pendingPublications()) {
            StoredModel model = registry.find(p.modelKey(), p.version()).orElseThrow(() ->
                    new IllegalStateException("outbox row " + p.id() + " names " + p.modelKey() + " v" + p.version()
                            + ", which the registry does not hold"));
            try {
                sender.publish(model, p.role(), p.reason());
            } catch (RuntimeException e) {
                failures.incrementAndGet();
                LOG.warn("publishing {} v{} ({}) failed; it stays in the outbox and is retried: {}", p.modelKey(),
                        p.version(), p.role(), e.toString());
                return published;
            }
            registry.markPublished(p.id());
            published++;
        }
        return published;
    }

    /** Publishes that failed since start (each is retried). */
    public long failures() {
        return failures.get();
    }
}
