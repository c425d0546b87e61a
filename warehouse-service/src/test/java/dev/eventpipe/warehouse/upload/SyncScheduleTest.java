package dev.eventpipe.warehouse.upload;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SyncScheduleTest {
    static final Duration DEFAULT = Duration.ofMinutes(30);

    @Test
    void theFirstUploadIsDueAtOnceAndLaterOnesAfterTheFrequency() {
        SyncSchedule s = SyncSchedule.of(Map.of("syncFrequency", "60"), DEFAULT);
        Instant now = Instant.parse("2024-05-01T10:00:00Z");
        assertThat(s.due(null, now)).isTrue();
        assertThat(s.due(now.minusSeconds(59 * 60), now)).isFalse();
        assertThat(s.due(now.minusSeconds(60 * 60), now)).isTrue();
    }

    @Test
    void withAStartTimeUploadsAreDueAtItsSlots() {
        SyncSchedule s = SyncSchedule.of(Map.of("syncFrequency", "180", "syncStartAt", "01:30"), DEFAULT);
        Instant now = Instant.parse("2024-05-01T10:00:00Z");
        assertThat(s.previousSlot(now)).isEqualTo(Instant.parse("2024-05-01T07:30:00Z"));
        assertThat(s.due(Instant.parse("2024-05-01T07:29:00Z"), now)).isTrue();
        assertThat(s.due(Instant.parse("2024-05-01T07:31:00Z"), now)).isFalse();
        assertThat(s.previousSlot(Instant.parse("2024-05-01T01:00:00Z")))
                .isEqualTo(Instant.parse("2024-04-30T22:30:00Z"));
    }

    @Test
    void nothingIsDueInsideTheExcludeWindowEvenAcrossMidnight() {
        Map<String, Object> config = Map.of(
                "syncFrequency",
                "1",
                "excludeWindow",
                Map.of("excludeWindowStartTime", "22:00", "excludeWindowEndTime", "02:00"));
        SyncSchedule s = SyncSchedule.of(config, DEFAULT);
        assertThat(s.due(null, Instant.parse("2024-05-01T23:00:00Z"))).isFalse();
        assertThat(s.due(null, Instant.parse("2024-05-01T01:00:00Z"))).isFalse();
        assertThat(s.due(null, Instant.parse("2024-05-01T03:00:00Z"))).isTrue();
    }

    @Test
    void anUnreadableFrequencyFallsBackToTheDefault() {
        SyncSchedule s = SyncSchedule.of(Map.of("syncFrequency", "often"), DEFAULT);
        Instant now = Instant.parse("2024-05-01T10:00:00Z");
        assertThat(s.due(now.minusSeconds(29 * 60), now)).isFalse();
        assertThat(s.due(now.minusSeconds(30 * 60), now)).isTrue();
    }
}
