package dev.eventpipe.transformer.user;

import dev.eventpipe.transformer.contract.TransformRequestItem;
import dev.eventpipe.transformer.contract.TransformResponseItem;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * What the shared transformer sends a version's own process ({@code POST /isolated/customTransform}, service token,
 * loopback only) and what it answers: the same items as {@code /customTransform}, and answers that keep the
 * position of their input, so the parent puts them back in its request's order. No code travels: the child fetches
 * its version's code from the config backend, as the parent does.
 */
final class IsolatedCall {
    static final String PATH = "/isolated/customTransform";

    private IsolatedCall() {}

    record Request(List<TransformRequestItem> items, boolean reportFiltered) {}

    /** @param filledTheHeap some call filled the child's heap (its events failed for it) */
    record Response(List<Answer> answers, boolean filledTheHeap) {
        /** Every item failed for {@code reason} (the version's own process could not serve them). */
        static Response failing(List<TransformRequestItem> items, String reason) {
            List<Answer> failed = new ArrayList<>(items.size());
            for (int i = 0; i < items.size(); i++) {
                failed.add(Answer.answering(new Placed(
                        i, TransformResponseItem.failure(reason, items.get(i).metadata()))));
            }
            return new Response(failed, false); // not a fill: no heap was seen full
        }

        /** The answers placed at the parent's indexes: {@code indexes.get(i)} is the parent's index of item i. */
        List<Placed> placedAt(List<Integer> indexes) {
            return answers.stream()
                    .map(answer -> answer.placed(indexes.get(answer.index())))
                    .toList();
        }
    }

    /** One response item of input {@code index}; {@code output} is the script's JSON as text (exact numbers). */
    record Answer(
            int index,
            int statusCode,
            @Nullable String output,
            @Nullable JsonNode metadata,
            @Nullable String error) {

        static Answer answering(Placed placed) {
            TransformResponseItem item = placed.item();
            return new Answer(placed.index(), item.statusCode(), item.output(), item.metadata(), item.error());
        }

        /** This answer for input {@code index + offset} (the parts of a request sent in several calls). */
        Answer shifted(int offset) {
            return new Answer(index + offset, statusCode, output, metadata, error);
        }

        Placed placed(int atIndex) {
            return new Placed(atIndex, new TransformResponseItem(output, metadata, statusCode, error, null));
        }
    }
}
