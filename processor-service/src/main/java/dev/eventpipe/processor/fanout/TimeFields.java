package dev.eventpipe.processor.fanout;

import dev.eventpipe.processor.pipeline.TimeText;
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
        OffsetDateTime timestamp = TimeText.parse(message.get("timestamp"))
                .orElseGet(() -> receivedAt.minus(Duration.between(original, sentAt)));
        message.put("receivedAt", TimeText.format(receivedAt));
        message.put("originalTimestamp", TimeText.format(original));
        message.put("sentAt", TimeText.format(sentAt));
        message.put("timestamp", TimeText.format(timestamp));
    }
}
