package dev.eventpipe.processor.fanout;

import dev.eventpipe.processor.pipeline.TimeText;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.OffsetDateTime;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reference §3.2: {@code receivedAt} is the gateway batch's; {@code originalTimestamp} and {@code sentAt} are the
 * event's values or receivedAt when missing or unparsable; {@code timestamp} is kept when the event has a valid
 * one, else corrected for the client's clock skew: {@code receivedAt - (sentAt - originalTimestamp)}. All four are
 * written back in RFC 3339 with milliseconds, each in the offset it came with.
 */
public final class TimeFields {
    private TimeFields() {}

    public static void apply(ObjectNode message, OffsetDateTime receivedAt) {
        OffsetDateTime original =
                TimeText.parse(message.get("originalTimestamp")).orElse(receivedAt);
        OffsetDateTime sentAt = TimeText.parse(message.get("sentAt")).orElse(receivedAt);
        OffsetDateTime timestamp =
                TimeText.parse(message.get("timestamp")).orElseGet(() -> skewCorrected(receivedAt, original, sentAt));
        message.put("receivedAt", TimeText.format(receivedAt));
        message.put("originalTimestamp", TimeText.format(original));
        message.put("sentAt", TimeText.format(sentAt));
        message.put("timestamp", TimeText.format(timestamp));
    }

    /**
     * {@code receivedAt - (sentAt - originalTimestamp)}; receivedAt itself when that falls outside the years a
     * date can hold (an event may carry any year: a thrown exception here would fail its batch for good).
     */
    private static OffsetDateTime skewCorrected(
            OffsetDateTime receivedAt, OffsetDateTime original, OffsetDateTime sentAt) {
        try {
            return receivedAt.minus(Duration.between(original, sentAt));
        } catch (DateTimeException | ArithmeticException e) {
            return receivedAt;
        }
    }
}
