package org.openprefect.appliance.workpools;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Upstream's priority rules for a pool's queues. A new queue without a priority takes the first
 * gap in 1, 2, 3... (or the next after the highest). A queue given a priority takes it, and the
 * queues at or after it move up just enough to keep every priority unique and the order as it was
 * (upstream's bulk_update_work_queue_priorities, its quirks included).
 */
final class QueuePriorities {
    private QueuePriorities() {
    }

    /** The first priority not taken, counting from 1. */
    static int firstFree(List<Integer> taken) {
        List<Integer> sorted = new ArrayList<>(taken);
        sorted.sort(null);
        for (int i = 0; i < sorted.size(); i++) {
            if (sorted.get(i) != i + 1) {
                return i + 1;
            }
        }
        return sorted.isEmpty() ? 1 : sorted.getLast() + 1;
    }

    /**
     * The priorities after {@code moved} takes {@code priority}: {@code current} maps every queue
     * of the pool (in priority order) to its priority; the answer holds only the queues that change.
     */
    static Map<UUID, Integer> afterMoving(Map<UUID, Integer> current, UUID moved, int priority) {
        List<UUID> order = new ArrayList<>();
        Map<UUID, Integer> value = new LinkedHashMap<>(current);
        current.keySet().stream().filter(id -> !id.equals(moved)).forEach(order::add);
        value.put(moved, priority);
        for (int i = 0; i < order.size(); i++) {
            if (value.get(order.get(i)) >= priority) {
                order.add(i, moved);
                break;
            }
        }
        Map<UUID, Integer> changed = new LinkedHashMap<>();
        int last = 0;
        for (UUID id : order) {
            if (value.get(id) <= last) {
                last++;
                value.put(id, last);
            } else {
                last = value.get(id);
            }
        }
        value.forEach((id, p) -> {
            if (!p.equals(current.get(id))) {
                changed.put(id, p);
            }
        });
        return changed;
    }
}
