package org.openprefect.appliance.events;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Tells live subscribers ({@code /events/out} sockets) which events were just stored. */
public final class EventBus {
    private static final Logger LOG = Logger.getLogger(EventBus.class.getName());

    private final List<Consumer<List<String>>> subscribers = new CopyOnWriteArrayList<>();

    public Runnable subscribe(Consumer<List<String>> subscriber) {
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    /** Called after the events' transaction committed, with their ids. */
    public void stored(List<String> eventIds) {
        if (eventIds.isEmpty()) {
            return;
        }
        for (Consumer<List<String>> s : subscribers) {
            try {
                s.accept(eventIds);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "An event subscriber failed", e);
            }
        }
    }
}
