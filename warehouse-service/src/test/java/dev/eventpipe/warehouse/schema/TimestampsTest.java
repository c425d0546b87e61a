package dev.eventpipe.warehouse.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimestampsTest {
    @Test
    void isoDatesAndTimesAreTimestampsInUtc() {
        assertThat(Timestamps.parse("2021-09-01T00:00:00.000Z")).contains(Instant.parse("2021-09-01T00:00:00Z"));
        assertThat(Timestamps.parse("2021-09-01")).contains(Instant.parse("2021-09-01T00:00:00Z"));
        assertThat(Timestamps.parse("2021-09-01 10:30")).contains(Instant.parse("2021-09-01T10:30:00Z"));
        assertThat(Timestamps.parse("2021-09-01T10:30:15.123456+02:00"))
                .contains(Instant.parse("2021-09-01T08:30:15.123456Z"));
        assertThat(Timestamps.parse("2021-09-01T10:30:15-0530")).contains(Instant.parse("2021-09-01T16:00:15Z"));
    }

    @Test
    void othersAreNot() {
        assertThat(Timestamps.parse("2021-02-30")).isEmpty();
        assertThat(Timestamps.parse("0000-01-01")).isEmpty();
        assertThat(Timestamps.parse("yesterday")).isEmpty();
        assertThat(Timestamps.parse("1630454400")).isEmpty();
        assertThat(Timestamps.parse("2021-09-01T25:00:00Z")).isEmpty();
        assertThat(Timestamps.parse("2021-09-01T10:00:00Z and more")).isEmpty();
    }

    @Test
    void timestampsAreWrittenWithMilliseconds() {
        assertThat(Timestamps.format(Instant.parse("2021-09-01T08:30:15.123456Z")))
                .isEqualTo("2021-09-01T08:30:15.123Z");
    }
}
