package dev.eventpipe.router.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DeliveryRequestTest {
    @Test
    void aJsonBodyIsSerialisedAndTheParamsBecomeTheQuery() {
        DeliveryRequest r = DeliveryRequest.parse("""
                {"version":"1","type":"REST","method":"post","endpoint":"http://127.0.0.1/x",
                 "headers":{"a":"b","n":null},"params":{"q":"a b","z":1},
                 "body":{"JSON":{"k":[1,2]},"JSON_ARRAY":{},"XML":{},"FORM":{}},"files":{}}""");
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.uri()).isEqualTo("http://127.0.0.1/x?q=a+b&z=1");
        assertThat(r.headers()).containsExactly(java.util.Map.entry("a", "b"));
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("{\"k\":[1,2]}");
        assertThat(r.bodyType()).isEqualTo("application/json");
    }

    @Test
    void theFirstNonEmptyBodyFormatWins() {
        DeliveryRequest r = DeliveryRequest.parse("""
                {"endpoint":"http://127.0.0.1/x","body":{"JSON":{},"JSON_ARRAY":{},"XML":{"payload":"<a/>"},
                 "FORM":{"f":"1"}}}""");
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("<a/>");
        assertThat(r.method()).isEqualTo("POST");
    }

    @Test
    void aDescriptionWithoutBodyHasNone() {
        DeliveryRequest r = DeliveryRequest.parse("""
                {"method":"GET","endpoint":"http://127.0.0.1/x?a=1","params":{"b":"2"},"body":{}}""");
        assertThat(r.body()).isNull();
        assertThat(r.uri()).isEqualTo("http://127.0.0.1/x?a=1&b=2");
    }

    @Test
    void aDescriptionWithoutEndpointCannotBeDelivered() {
        assertThatThrownBy(() -> DeliveryRequest.parse("{\"method\":\"POST\"}"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void numbersKeepTheirDigitsInJsonFormAndQueryValues() {
        String numbers = "{\"price\":19999999.99,\"rate\":0.0005,\"big\":1000000000000000000000,"
                + "\"id\":123456789012345678901234567890,\"amount\":2.50,\"tiny\":1e-7}";
        DeliveryRequest json = DeliveryRequest.parse(
                "{\"endpoint\":\"http://h/x\",\"params\":" + numbers + ",\"body\":{\"JSON\":" + numbers + "}}");
        assertThat(new String(json.body(), StandardCharsets.UTF_8))
                .isEqualTo("{\"price\":19999999.99,\"rate\":0.0005,\"big\":1000000000000000000000,"
                        + "\"id\":123456789012345678901234567890,\"amount\":2.50,\"tiny\":0.0000001}");
        String query = "price=19999999.99&rate=0.0005&big=1000000000000000000000&id=123456789012345678901234567890"
                + "&amount=2.50&tiny=0.0000001";
        assertThat(json.uri()).isEqualTo("http://h/x?" + query);
        DeliveryRequest form =
                DeliveryRequest.parse("{\"endpoint\":\"http://h/x\",\"body\":{\"FORM\":" + numbers + "}}");
        assertThat(new String(form.body(), StandardCharsets.UTF_8)).isEqualTo(query);
    }
}
