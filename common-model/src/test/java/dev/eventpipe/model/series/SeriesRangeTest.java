package dev.eventpipe.model.series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SeriesRangeTest {
    private static final Instant NOW = Instant.parse("2026-03-04T10:17:42Z");

    @Test
    void eachRangeEndsWithTheStepHoldingNowAlignedToTheEpoch() {
        SeriesRange hour = SeriesRange.of("1h", NOW);
        assertThat(hour.to()).isEqualTo(Instant.parse("2026-03-04T10:18:00Z"));
        assertThat(hour.points()).hasSize(60).first().isEqualTo(Instant.parse("2026-03-04T09:18:00Z"));
        SeriesRange day = SeriesRange.of("24h", NOW);
        assertThat(day.step()).isEqualTo(Duration.ofMinutes(15));
        assertThat(day.points()).hasSize(96).last().isEqualTo(Instant.parse("2026-03-04T10:15:00Z"));
        SeriesRange week = SeriesRange.of("7d", NOW);
        assertThat(week.points()).hasSize(84);
        assertThat(week.interval()).isEqualTo("7200 seconds");
    }

    @Test
    void anUnknownRangeIsRefused() {
        assertThatThrownBy(() -> SeriesRange.of("2h", NOW)).isInstanceOf(IllegalArgumentException.class);
    }
}
