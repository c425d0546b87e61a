package dev.eventpipe.processor.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.model.json.Json;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class TimeFieldsTest {
    static final OffsetDateTime RECEIVED = OffsetDateTime.parse("2026-11-26T10:00:00Z");

    private static ObjectNode apply(String json) {
        ObjectNode message = (ObjectNode) Json.mapper().readTree(json);
        TimeFields.apply(message, RECEIVED);
        return message;
    }

    @Test
    void timestampIsReceivedAtMinusTheClientsSendDelay() {
        ObjectNode m =
                apply("{\"originalTimestamp\":\"2026-11-26T12:00:00.000Z\",\"sentAt\":\"2026-11-26T12:00:05.250Z\"}");
        // the client clock is two hours ahead; the event happened 5.25 s before it was sent
        assertThat(m.path("timestamp").asString()).isEqualTo("2026-11-26T09:59:54.750Z");
        assertThat(m.path("originalTimestamp").asString()).isEqualTo("2026-11-26T12:00:00.000Z");
        assertThat(m.path("sentAt").asString()).isEqualTo("2026-11-26T12:00:05.250Z");
        assertThat(m.path("receivedAt").asString()).isEqualTo("2026-11-26T10:00:00.000Z");
    }

    @Test
    void aSkewBeyondTheYearsADateCanHoldFallsBackToReceivedAtInsteadOfFailingTheBatch() {
        ObjectNode m = apply(
                "{\"originalTimestamp\":\"-999999999-01-01T00:00:00Z\",\"sentAt\":\"+999999999-12-31T23:59:59Z\"}");
        assertThat(m.path("timestamp").asString()).isEqualTo("2026-11-26T10:00:00.000Z");
    }

    @Test
    void anExistingValidTimestampIsKeptAndRewrittenWithMilliseconds() {
        ObjectNode m = apply("{\"timestamp\":\"2026-01-02T03:04:05Z\",\"sentAt\":\"2026-11-26T10:00:00Z\"}");
        assertThat(m.path("timestamp").asString()).isEqualTo("2026-01-02T03:04:05.000Z");
    }

    @Test
    void missingOriginalTimestampAndSentAtDefaultToReceivedAt() {
        ObjectNode m = apply("{}");
        assertThat(m.path("originalTimestamp").asString()).isEqualTo("2026-11-26T10:00:00.000Z");
        assertThat(m.path("sentAt").asString()).isEqualTo("2026-11-26T10:00:00.000Z");
        assertThat(m.path("timestamp").asString()).isEqualTo("2026-11-26T10:00:00.000Z");
    }

    @Test
    void onlySentAtMissingMeansNoSkewIsKnownSoTimestampIsTheDelayBeforeReceipt() {
        ObjectNode m = apply("{\"originalTimestamp\":\"2026-11-26T09:59:00Z\"}");
        // sentAt := receivedAt, so timestamp = receivedAt - (receivedAt - originalTimestamp) = originalTimestamp
        assertThat(m.path("timestamp").asString()).isEqualTo("2026-11-26T09:59:00.000Z");
    }

    @Test
    void unparsableValuesAreReplacedByReceivedAt() {
        ObjectNode m = apply("{\"originalTimestamp\":\"yesterday\",\"sentAt\":42,\"timestamp\":\"not a time\"}");
        assertThat(m.path("originalTimestamp").asString()).isEqualTo("2026-11-26T10:00:00.000Z");
        assertThat(m.path("sentAt").asString()).isEqualTo("2026-11-26T10:00:00.000Z");
        assertThat(m.path("timestamp").asString()).isEqualTo("2026-11-26T10:00:00.000Z");
    }

    @Test
    void offsetsAreKeptAsTheEventSentThem() {
        ObjectNode m = apply(
                "{\"originalTimestamp\":\"2026-11-26T15:29:50.123+05:30\",\"sentAt\":\"2026-11-26T15:30:00+05:30\"}");
        assertThat(m.path("originalTimestamp").asString()).isEqualTo("2026-11-26T15:29:50.123+05:30");
        assertThat(m.path("timestamp").asString()).isEqualTo("2026-11-26T09:59:50.123Z");
    }
}
