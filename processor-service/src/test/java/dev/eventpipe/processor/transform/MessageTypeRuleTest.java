package dev.eventpipe.processor.transform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.model.config.Destination;
import dev.eventpipe.model.config.DestinationDefinition;
import dev.eventpipe.model.json.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageTypeRuleTest {
    private static Destination destination(List<String> supported, Map<String, Object> config) {
        return new Destination(
                "d",
                "d",
                true,
                "ws",
                true,
                "",
                config,
                new DestinationDefinition(
                        "dd", "AM", "Amplitude", new DestinationDefinition.Config(supported, null, null, null)),
                List.of());
    }

    private static MessageTypeRule.Verdict check(String message, Destination d) {
        return MessageTypeRule.check(Json.mapper().readTree(message), d);
    }

    @Test
    void aSupportedTypePassesWhateverItsCase() {
        assertThat(check("{\"type\":\"Track\"}", destination(List.of("track"), Map.of())))
                .isNull();
    }

    @Test
    void anUnsupportedTypeIsFilteredWith298() {
        assertThat(check("{\"type\":\"page\"}", destination(List.of("track"), Map.of()))
                        .code())
                .isEqualTo(298);
    }

    @Test
    void aMissingTypeFailsWith400WhenTypesAreRestricted() {
        assertThat(check("{}", destination(List.of("track"), Map.of())).code()).isEqualTo(400);
        assertThat(check("{}", destination(null, Map.of()))).isNull();
    }

    @Test
    void identifyIsDroppedWhenServerSideIdentifyIsDisabled() {
        Destination d = destination(null, Map.of("enableServerSideIdentify", false));
        assertThat(check("{\"type\":\"identify\"}", d).code()).isEqualTo(298);
        assertThat(check("{\"type\":\"track\"}", d)).isNull();
    }
}
