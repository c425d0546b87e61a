package dev.eventpipe.model.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.model.json.Json;
import org.junit.jupiter.api.Test;

class RudderIdTest {
    @Test
    void matchesRudderStacksTestVector() {
        assertThat(RudderId.of("identified_user_id", "anonymousId_1"))
                .hasToString("e4cab80e-2f0e-4fa2-87e0-3a4af182634c");
    }

    @Test
    void missingPartsCountAsEmptyStrings() {
        assertThat(RudderId.of(null, "a")).isEqualTo(RudderId.of("", "a"));
        assertThat(RudderId.of("u", null)).isNotEqualTo(RudderId.of(null, "u"));
    }

    @Test
    void anEventKeepsFieldsTheSpecDoesNotNameThroughARoundTrip() {
        String json = """
                {"type":"track","event":"Order Completed","userId":"u1","properties":{"total":9.5},\
                "request_ip":"1.2.3.4","custom":{"a":[1,2]}}""";
        Event event = Json.read(json, Event.class);
        assertThat(event.event()).isEqualTo("Order Completed");
        assertThat(event.other()).containsEntry("request_ip", "1.2.3.4").containsKey("custom");
        Event again = Json.read(Json.write(event), Event.class);
        assertThat(again).isEqualTo(event);
        assertThat(event.rudderId()).isEqualTo(RudderId.of("u1", null));
    }
}
