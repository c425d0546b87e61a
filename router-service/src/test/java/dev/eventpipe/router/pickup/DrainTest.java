package dev.eventpipe.router.pickup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.jobsdb.Job;
import dev.eventpipe.model.config.ConfigIndex;
import dev.eventpipe.model.config.WorkspaceConfig;
import dev.eventpipe.model.json.Json;
import dev.eventpipe.router.config.DestinationSettings;
import dev.eventpipe.router.status.RtJob;
import dev.eventpipe.router.support.TestJobs;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Which jobs are drained before delivery; a destination missing from the config gets a grace (review P2-12). */
class DrainTest {
    static final DestinationSettings SETTINGS = new DestinationSettings(
            8,
            1000,
            Duration.ofSeconds(10),
            Duration.ofSeconds(10),
            Duration.ofSeconds(300),
            Duration.ofMinutes(180),
            3,
            Duration.ofHours(720),
            0,
            Duration.ofSeconds(1),
            100,
            Duration.ofSeconds(1),
            Duration.ofMillis(100));
    static final Instant T0 = Instant.parse("2026-11-30T06:00:00Z");
    static final ConfigIndex CONFIG = ConfigIndex.of(Json.read(
            TestJobs.workspaceConfig(new String[] {"d-hook"}, new String[] {"d-off"}), WorkspaceConfig.class));

    static RtJob job(String destinationId, Instant createdAt) {
        String parameters = "{\"destination_id\":\"" + destinationId + "\"}";
        return RtJob.of(
                new Job(1, UUID.randomUUID(), "u", "ws-1", 0, "WEBHOOK", parameters, "{}", 1, 2, createdAt, null));
    }

    @Test
    void aDestinationMissingFromTheConfigIsDrainedOnlyOnceItHasBeenMissingForTheGraceHoweverOldItsJobs() {
        MissingDestinations missing = new MissingDestinations(Duration.ofMinutes(10));
        RtJob old = job("d-gone", T0.minus(Duration.ofDays(2))); // much older than the grace
        Instant synced = T0.minusSeconds(1);

        assertThat(Drain.decide(old, CONFIG, synced, SETTINGS, T0, missing)).isInstanceOf(Drain.NotYet.class);
        assertThat(Drain.decide(old, CONFIG, synced, SETTINGS, T0.plus(Duration.ofMinutes(9)), missing))
                .isInstanceOf(Drain.NotYet.class);
        assertThat(Drain.decide(old, CONFIG, synced, SETTINGS, T0.plus(Duration.ofMinutes(10)), missing))
                .isEqualTo(new Drain.Abort("destination not found in the workspace config for PT10M"));
    }

    @Test
    void aDestinationBackInTheConfigStartsItsGraceAgainWhenItGoesMissingAnew() {
        MissingDestinations missing = new MissingDestinations(Duration.ofMinutes(10));
        RtJob job = job("d-gone", T0.minusSeconds(60));
        Instant synced = T0.minusSeconds(1);
        assertThat(Drain.decide(job, CONFIG, synced, SETTINGS, T0, missing)).isInstanceOf(Drain.NotYet.class);

        missing.present(Set.of("d-hook", "d-gone")); // a pickup whose config lists it again

        Instant later = T0.plus(Duration.ofMinutes(30));
        assertThat(Drain.decide(job, CONFIG, later, SETTINGS, later, missing)).isInstanceOf(Drain.NotYet.class);
        assertThat(Drain.decide(job, CONFIG, later, SETTINGS, later.plus(Duration.ofMinutes(10)), missing))
                .isInstanceOf(Drain.Abort.class);
    }

    @Test
    void aJobNewerThanTheConfigWaitsForTheNextPoll() {
        MissingDestinations missing = new MissingDestinations(Duration.ZERO);
        RtJob fresh = job("d-new", T0);
        assertThat(Drain.decide(fresh, CONFIG, T0.minusSeconds(5), SETTINGS, T0, missing))
                .isInstanceOf(Drain.NotYet.class);
    }

    @Test
    void aDisabledDestinationAndAnExpiredJobAreDrainedAtOnceAndAConfiguredOneDelivered() {
        MissingDestinations missing = new MissingDestinations(Duration.ofMinutes(10));
        assertThat(Drain.decide(job("d-off", T0), CONFIG, T0, SETTINGS, T0, missing))
                .isEqualTo(new Drain.Abort("destination is disabled"));
        assertThat(Drain.decide(job("d-hook", T0.minus(Duration.ofHours(721))), CONFIG, T0, SETTINGS, T0, missing))
                .isEqualTo(new Drain.Abort("job expired"));
        assertThat(Drain.decide(job("d-hook", T0), CONFIG, T0, SETTINGS, T0, missing))
                .isInstanceOf(Drain.Deliver.class);
    }
}
