package dev.eventpipe.transformer.batch;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Decides which deliveries share a request without reordering any user's events. Items are taken in input (job id)
 * order; each joins the open group of its (destination, key) unless that group is full, or the item's user already
 * has an item in a group created after it: then a new group is opened for that key. Groups come out in creation
 * order, so each user's items sit in non-decreasing group order and a router sending the groups one after another
 * keeps every user's order. Items without a user are not ordered against each other. Not thread-safe: one plan per
 * instance.
 */
final class BatchGrouper {

    /** One delivery: {@code key} null when it cannot be batched; {@code bytes} the length of its JSON. */
    record Item(
            String destinationId,
            @Nullable String key,
            @Nullable String userId,
            long bytes) {}

    /** The most one request of a destination may hold. */
    record Limits(int maxJobs, long maxBytes) {}

    /** One element of the plan: a group of item indexes, or an item answered alone (it has no key). */
    sealed interface Slot {
        record Group(String destinationId, List<Integer> members) implements Slot {}

        record Single(int index) implements Slot {}
    }

    private final Function<String, Limits> limitsOfDestination;
    private final List<Object> plan = new ArrayList<>(); // Open (still growing) or Slot.Single
    private final Map<List<String>, Open> open = new HashMap<>(); // (destination, key) -> the group items join
    private final Map<List<String>, Integer> usersLastGroup = new HashMap<>(); // (destination, user) -> number
    private int groups;

    private BatchGrouper(Function<String, Limits> limitsOfDestination) {
        this.limitsOfDestination = limitsOfDestination;
    }

    /** Groups in creation order, each item without a key at its own place among them. */
    static List<Slot> plan(List<Item> items, Function<String, Limits> limitsOfDestination) {
        BatchGrouper grouper = new BatchGrouper(limitsOfDestination);
        for (int i = 0; i < items.size(); i++) {
            grouper.place(i, items.get(i));
        }
        return grouper.plan.stream()
                .map(s -> s instanceof Open o ? new Slot.Group(o.destinationId, List.copyOf(o.members)) : (Slot) s)
                .toList();
    }

    private void place(int index, Item item) {
        String key = item.key();
        if (key == null) {
            plan.add(new Slot.Single(index));
            return;
        }
        List<String> groupKey = List.of(item.destinationId(), key);
        String userId = item.userId();
        List<String> userKey = userId == null ? null : List.of(item.destinationId(), userId);
        Integer usersLast = userKey == null ? null : usersLastGroup.get(userKey);
        Open group = open.get(groupKey);
        if (group == null
                || group.isFullFor(item.bytes(), limitsOfDestination.apply(item.destinationId()))
                || (usersLast != null && usersLast > group.number)) {
            group = new Open(groups++, item.destinationId());
            open.put(groupKey, group);
            plan.add(group);
        }
        group.add(index, item.bytes());
        if (userKey != null) {
            usersLastGroup.put(userKey, group.number); // never lower: the group is the user's last or newer
        }
    }

    /** A group that may still grow. */
    private static final class Open {
        final int number;
        final String destinationId;
        final List<Integer> members = new ArrayList<>();
        long bytes;

        Open(int number, String destinationId) {
            this.number = number;
            this.destinationId = destinationId;
        }

        /** An item bigger than maxBytes on its own still gets a group: alone. */
        boolean isFullFor(long itemBytes, Limits limits) {
            return members.size() >= limits.maxJobs() || (!members.isEmpty() && bytes + itemBytes > limits.maxBytes());
        }

        void add(int index, long itemBytes) {
            members.add(index);
            bytes += itemBytes;
        }
    }
}
