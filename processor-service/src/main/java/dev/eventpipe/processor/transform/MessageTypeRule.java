package dev.eventpipe.processor.transform;

import dev.eventpipe.model.config.Destination;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * rudder-server's event filter before the destination transformation: the message {@code type} (lower-cased)
 * must be in the definition's {@code supportedMessageTypes} when that list exists (missing type: 400, unsupported:
 * 298 filtered), and {@code identify} is dropped when the destination's {@code enableServerSideIdentify} is false.
 */
final class MessageTypeRule {
    /** Why an event does not go on, with its status code. */
    record Verdict(int code, String reason) {}

    private MessageTypeRule() {}

    static @Nullable Verdict check(JsonNode message, Destination destination) {
        String type = message.path("type").asString("").trim().toLowerCase(Locale.ROOT);
        List<String> supported = destination.destinationDefinition().config().supportedMessageTypes();
        if (supported != null) {
            if (type.isEmpty()) return new Verdict(400, "message type is missing");
            boolean ok =
                    supported.stream().anyMatch(s -> s.toLowerCase(Locale.ROOT).equals(type));
            if (!ok) return new Verdict(298, "message type " + type + " is not supported by the destination");
        }
        if (type.equals("identify") && Boolean.FALSE.equals(destination.config().get("enableServerSideIdentify")))
            return new Verdict(298, "identify is disabled for the destination (enableServerSideIdentify)");
        return null;
    }
}
