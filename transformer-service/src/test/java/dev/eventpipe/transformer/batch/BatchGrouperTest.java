package dev.eventpipe.transformer.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.transformer.batch.BatchGrouper.Item;
import dev.eventpipe.transformer.batch.BatchGrouper.Limits;
import dev.eventpipe.transformer.batch.BatchGrouper.Slot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BatchGrouperTest {
    private static final Limits ROOMY = new Limits(100, 1_000_000);

    private static Item item(String key, String user) {
        return new Item("d1", key, user, 10);
    }

    private static List<Slot> plan(Limits limits, Item... items) {
        return BatchGrouper.plan(List.of(items), destination -> limits);
    }

    private static Slot group(Integer... members) {
        return new Slot.Group("d1", List.of(members));
    }

    @Test
    void itemsWithTheSameKeyShareOneGroupInInputOrder() {
        assertThat(plan(ROOMY, item("A", "u1"), item("B", "u2"), item("A", "u3"), item("A", "u1")))
                .containsExactly(group(0, 2, 3), group(1));
    }

    @Test
    void aUsersItemNeverJoinsAGroupOlderThanOneItIsAlreadyIn() {
        // u1: A, B, A: the second A would be sent before B if it joined the first A group
        assertThat(plan(ROOMY, item("A", "u1"), item("B", "u1"), item("A", "u1"), item("A", "u2")))
                .containsExactly(group(0), group(1), group(2, 3));
    }

    @Test
    void otherUsersStillJoinTheOldestOpenGroupOfTheirKey() {
        assertThat(plan(ROOMY, item("A", "u1"), item("B", "u2"), item("A", "u2"), item("A", "u3")))
                .containsExactly(group(0), group(1), group(2, 3));
        assertThat(plan(ROOMY, item("A", "u1"), item("B", "u1"), item("A", "u2")))
                .containsExactly(group(0, 2), group(1));
    }

    @Test
    void itemsWithoutAUserAreNotOrderedAgainstEachOther() {
        assertThat(plan(ROOMY, item("A", null), item("B", null), item("A", null)))
                .containsExactly(group(0, 2), group(1));
    }

    @Test
    void aFullGroupOpensANewOneForItsKey() {
        assertThat(plan(new Limits(2, 1_000_000), item("A", "u1"), item("A", "u2"), item("A", "u3")))
                .containsExactly(group(0, 1), group(2));
        assertThat(plan(new Limits(100, 25), item("A", "u1"), item("A", "u2"), item("A", "u3")))
                .containsExactly(group(0, 1), group(2));
    }

    @Test
    void anItemBiggerThanTheByteLimitIsSentAlone() {
        Item big = new Item("d1", "A", "u2", 500);
        assertThat(plan(new Limits(100, 100), item("A", "u1"), big, item("A", "u3")))
                .containsExactly(group(0), group(1), group(2));
    }

    @Test
    void differentDestinationsNeverShareAGroup() {
        List<Slot> plan = BatchGrouper.plan(
                List.of(new Item("d1", "A", "u1", 1), new Item("d2", "A", "u1", 1), new Item("d1", "A", "u2", 1)),
                destination -> ROOMY);
        assertThat(plan).containsExactly(new Slot.Group("d1", List.of(0, 2)), new Slot.Group("d2", List.of(1)));
    }

    @Test
    void anItemWithoutAKeyIsAnsweredAloneAtItsPlace() {
        assertThat(plan(ROOMY, item("A", "u1"), item(null, "u1"), item("B", "u1")))
                .containsExactly(group(0), new Slot.Single(1), group(2));
    }

    @Test
    void anyMixKeepsEveryUsersOrderAndPlacesEveryItemOnce() {
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            List<Item> items = new ArrayList<>();
            int size = 1 + random.nextInt(60);
            for (int i = 0; i < size; i++) {
                String key = random.nextInt(10) == 0 ? null : "k" + random.nextInt(3);
                String user = random.nextInt(8) == 0 ? null : "u" + random.nextInt(4);
                items.add(new Item("d" + random.nextInt(2), key, user, 1 + random.nextInt(40)));
            }
            List<Slot> plan = BatchGrouper.plan(items, d -> new Limits(1 + random.nextInt(5), 100));
            assertOrderSafe(items, plan);
        }
    }

    private static void assertOrderSafe(List<Item> items, List<Slot> plan) {
        Map<Integer, Integer> slotOfItem = new HashMap<>();
        for (int s = 0; s < plan.size(); s++) {
            List<Integer> members = switch (plan.get(s)) {
                case Slot.Group g -> g.members();
                case Slot.Single single -> List.of(single.index());
            };
            for (int member : members) {
                assertThat(slotOfItem.put(member, s))
                        .as("item %d placed twice", member)
                        .isNull();
            }
        }
        assertThat(slotOfItem).hasSize(items.size());
        Map<String, Integer> lastSlotOfUser = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            if (item.key() == null || item.userId() == null) continue;
            String user = item.destinationId() + "/" + item.userId();
            int slot = slotOfItem.get(i);
            assertThat(slot).isGreaterThanOrEqualTo(lastSlotOfUser.getOrDefault(user, 0));
            lastSlotOfUser.put(user, slot);
        }
    }
}
