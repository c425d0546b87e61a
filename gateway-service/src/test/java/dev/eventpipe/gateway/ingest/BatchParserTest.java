package dev.eventpipe.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.gateway.reply.Reply;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BatchParserTest {
    private final BatchParser parser = new BatchParser(EventJson.mapper(64), false);

    private Parsed parse(String body, String type) {
        return parser.parse(body.getBytes(StandardCharsets.UTF_8), type);
    }

    private static Reply refusal(Parsed parsed) {
        assertThat(parsed).isInstanceOf(Parsed.Invalid.class);
        return ((Parsed.Invalid) parsed).reply();
    }

    @Test
    void aSingleEventGetsTheRouteTypeAndKeepsItsFieldsInOrder() {
        Parsed parsed = parse("{\"z\":1,\"type\":\"page\",\"anonymousId\":\"a\",\"x\":{\"k\":[1,2.50]}}", "track");
        ParsedEvent event = ((Parsed.Events) parsed).events().getFirst();
        assertThat(event.event().toString())
                .isEqualTo("{\"z\":1,\"type\":\"track\",\"anonymousId\":\"a\",\"x\":{\"k\":[1,2.50]}}");
        assertThat(event.anonymousId()).isEqualTo("a");
    }

    @Test
    void invalidJsonTrailingContentAndEmptyBodiesAreInvalidJson() {
        assertThat(refusal(parse("{\"batch\":[", null))).isEqualTo(Reply.INVALID_JSON);
        assertThat(refusal(parse("{} {}", null))).isEqualTo(Reply.INVALID_JSON);
        assertThat(refusal(parse("", null))).isEqualTo(Reply.INVALID_JSON);
        assertThat(refusal(parse("   \n\t  ", "track"))).isEqualTo(Reply.INVALID_JSON);
    }

    @Test
    void invalidUtf8IsInvalidJson() {
        byte[] body = "{\"anonymousId\":\"a\",\"event\":\"XX\"}".getBytes(StandardCharsets.UTF_8);
        body[30] = (byte) 0xC3;
        body[31] = (byte) 0x28; // a lead byte followed by a non-continuation byte
        assertThat(refusal(parser.parse(body, "track"))).isEqualTo(Reply.INVALID_JSON);
    }

    @Test
    void nestingDeeperThanTheLimitIsInvalidJson() {
        String deep = "{\"anonymousId\":\"a\",\"p\":" + "[".repeat(70) + "]".repeat(70) + "}";
        assertThat(refusal(parse(deep, "track"))).isEqualTo(Reply.INVALID_JSON);
        String fine = "{\"anonymousId\":\"a\",\"p\":" + "[".repeat(40) + "]".repeat(40) + "}";
        assertThat(parse(fine, "track")).isInstanceOf(Parsed.Events.class);
    }

    @Test
    void numbersOutsideTheDoubleRangeOrWithThousandsOfDigitsAreInvalidJson() {
        assertThat(refusal(parse("{\"anonymousId\":\"a\",\"n\":1e999}", "track")))
                .isEqualTo(Reply.INVALID_JSON);
        assertThat(refusal(parse("{\"anonymousId\":\"a\",\"n\":-1e400}", "track")))
                .isEqualTo(Reply.INVALID_JSON);
        assertThat(refusal(parse("{\"anonymousId\":\"a\",\"n\":" + "9".repeat(5000) + "}", "track")))
                .isEqualTo(Reply.INVALID_JSON);
        assertThat(parse("{\"anonymousId\":\"a\",\"n\":123456789012345678901234567890}", "track"))
                .isInstanceOf(Parsed.Events.class);
    }

    @Test
    void integersPastTheDoubleRangeAreInvalidJsonLikeDecimals() {
        // 350 and 400 digits: within maxNumberLength, but Infinity as a double (review 1330 P1-1)
        assertThat(refusal(parse("{\"anonymousId\":\"a\",\"n\":1" + "0".repeat(350) + "}", "track")))
                .isEqualTo(Reply.INVALID_JSON);
        assertThat(refusal(parse("{\"batch\":[{\"anonymousId\":\"a\",\"p\":{\"n\":-" + "9".repeat(400) + "}}]}", null)))
                .isEqualTo(Reply.INVALID_JSON);
        // the largest finite double written out as an integer (309 digits) still passes, as its decimal form does
        String maxDouble =
                new java.math.BigDecimal(Double.MAX_VALUE).toBigInteger().toString();
        assertThat(parse("{\"anonymousId\":\"a\",\"n\":" + maxDouble + "}", "track"))
                .isInstanceOf(Parsed.Events.class);
        assertThat(parse("{\"anonymousId\":\"a\",\"n\":1.7976931348623157e308}", "track"))
                .isInstanceOf(Parsed.Events.class);
    }

    @Test
    void aNulCharacterInsideAStringIsValid() {
        assertThat(parse("{\"anonymousId\":\"a\",\"event\":\"x\\u0000y\"}", "track"))
                .isInstanceOf(Parsed.Events.class);
    }

    @Test
    void batchShapesFollowRudderStack() {
        assertThat(refusal(parse("{\"batch\":[]}", null))).isEqualTo(Reply.EMPTY_BATCH);
        assertThat(refusal(parse("{}", null))).isEqualTo(Reply.EMPTY_BATCH);
        assertThat(refusal(parse("{\"batch\":null}", null))).isEqualTo(Reply.EMPTY_BATCH);
        assertThat(refusal(parse("[1,2]", null))).isEqualTo(Reply.EMPTY_BATCH);
        assertThat(refusal(parse("{\"batch\":[{\"anonymousId\":\"a\"},7]}", null)))
                .isEqualTo(Reply.NOT_RUDDER_EVENT);
        assertThat(refusal(parse("{\"batch\":\"x\"}", null))).isEqualTo(Reply.NOT_RUDDER_EVENT);
        assertThat(refusal(parse("[1]", "track"))).isEqualTo(Reply.NOT_RUDDER_EVENT);
        assertThat(((Parsed.Events) parse("{\"batch\":{\"userId\":\"u\"}}", null)).events())
                .hasSize(1);
    }

    @Test
    void anEventNeedsAnAnonymousIdOrAUserIdAfterCleanUp() {
        assertThat(refusal(parse("{\"event\":\"e\"}", "track"))).isEqualTo(Reply.NON_IDENTIFIABLE);
        assertThat(refusal(parse("{\"anonymousId\":\"  \\u200b \",\"userId\":null}", "track")))
                .isEqualTo(Reply.NON_IDENTIFIABLE);
        assertThat(parse("{\"batch\":[{\"type\":\"extract\"}]}", null)).isInstanceOf(Parsed.Events.class);
        ParsedEvent numeric =
                ((Parsed.Events) parse("{\"userId\":42}", "identify")).events().getFirst();
        assertThat(numeric.userId()).isEqualTo("42");
        BatchParser lenient = new BatchParser(EventJson.mapper(64), true);
        assertThat(lenient.parse("{\"event\":\"e\"}".getBytes(StandardCharsets.UTF_8), "track"))
                .isInstanceOf(Parsed.Events.class);
    }

    @Test
    void fieldsWithTheWrongJsonTypeMakeTheEventInvalid() {
        assertThat(refusal(parse("{\"userId\":{\"id\":1}}", "track"))).isEqualTo(Reply.NOT_RUDDER_EVENT);
        assertThat(refusal(parse("{\"anonymousId\":[\"a\"]}", "track"))).isEqualTo(Reply.NOT_RUDDER_EVENT);
        assertThat(refusal(parse("{\"anonymousId\":true}", "track"))).isEqualTo(Reply.NOT_RUDDER_EVENT);
        assertThat(refusal(parse("{\"anonymousId\":\"a\",\"context\":\"x\"}", "track")))
                .isEqualTo(Reply.NOT_RUDDER_EVENT);
        assertThat(refusal(parse("{\"anonymousId\":\"a\",\"properties\":[1]}", "track")))
                .isEqualTo(Reply.NOT_RUDDER_EVENT);
        assertThat(refusal(parse("{\"anonymousId\":\"a\",\"event\":5}", "track")))
                .isEqualTo(Reply.NOT_RUDDER_EVENT);
        assertThat(refusal(parse("{\"batch\":[{\"anonymousId\":\"a\",\"type\":{}}]}", null)))
                .isEqualTo(Reply.NOT_RUDDER_EVENT);
        assertThat(parse("{\"anonymousId\":\"a\",\"context\":null,\"messageId\":null}", "track"))
                .isInstanceOf(Parsed.Events.class);
    }
}
