package dev.eventpipe.model.event;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One analytics event in the Segment spec shape, as SDKs send it and as destinations receive it. Fields that the
 * spec does not name (and RudderStack additions such as {@code rudderId} or {@code request_ip}) are kept in
 * {@link #other()} so that nothing a client sent is lost in a round trip.
 *
 * <p>The data plane mostly moves events as raw JSON; this record is for code that reads or builds events by field.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Event(
        @Nullable String type,
        @Nullable String messageId,
        @Nullable String userId,
        @Nullable String anonymousId,
        @Nullable String event,
        @Nullable String name,
        @Nullable String groupId,
        @Nullable String previousId,
        @Nullable Map<String, Object> properties,
        @Nullable Map<String, Object> traits,
        @Nullable Map<String, Object> context,
        @Nullable Map<String, Object> integrations,
        @Nullable String originalTimestamp,
        @Nullable String sentAt,
        @Nullable String receivedAt,
        @Nullable String timestamp,
        @Nullable String channel,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> other) {

    public Event {
        other = other == null ? new LinkedHashMap<>() : other;
    }

    /** The RudderStack user identity of this event; see {@link RudderId}. */
    public java.util.UUID rudderId() {
        return RudderId.of(userId, anonymousId);
    }
}
