package dev.eventpipe.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.system.DoubleCheck.Rows;
import dev.eventpipe.system.DoubleCheck.RtJob;
import dev.eventpipe.system.DoubleCheck.Status;
import dev.eventpipe.system.DoubleCheck.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The rule of {@link DoubleCheck} on made-up rows: the doubles it accepts (router retries after an attempt recorded
 * {@code failed} 504) and those it must not (a processor double, a double with no such attempt, a lost event).
 */
class DoubleCheckTest {
    private long statusIds = 1;

    /** Status rows of one job: "executing:1", "failed:1:504", "succeeded:2"... */
    private List<Status> statuses(String... rows) {
        List<Status> out = new ArrayList<>();
        for (String row : rows) {
            String[] p = row.split(":");
            out.add(new Status(statusIds++, p[0], Integer.parseInt(p[1]), p.length > 2 ? p[2] : ""));
        }
        return out;
    }

    private RtJob delivered(long jobId, String messageId) {
        return new RtJob(jobId, messageId, 1000 + jobId, statuses("executing:1", "succeeded:1:200"));
    }

    private RtJob retriedAfterTimeout(long jobId, String messageId) {
        return new RtJob(
                jobId,
                messageId,
                1000 + jobId,
                statuses("executing:1", "failed:1:504", "executing:2", "succeeded:2:200"));
    }

    private static Rows rows(RtJob... jobs) {
        return new Rows(List.of(jobs), List.of(), List.of());
    }

    @Test
    void everyEventOnceIsClean() {
        Verdict v = DoubleCheck.judge(
                3, rows(delivered(1, "a"), delivered(2, "b"), delivered(3, "c")), Map.of("a", 1, "b", 1, "c", 1));

        assertThat(v.problems()).isEmpty();
        assertThat(v.routerRetries()).isEmpty();
    }

    @Test
    void aDoubleAfterAnAttemptRecordedFailed504IsARouterRetry() {
        Verdict v = DoubleCheck.judge(
                3,
                rows(delivered(1, "a"), retriedAfterTimeout(2, "b"), delivered(3, "c")),
                Map.of("a", 1, "b", 2, "c", 1));

        assertThat(v.problems()).isEmpty();
        assertThat(v.routerRetries()).containsExactly(Map.entry("b", 2));
    }

    @Test
    void aProcessorDoubleFailsEvenWhenTheSinkGotItOnceFromEachJob() {
        // the processor stored event b twice (two rt jobs, as two commits of its gw job would): each delivered once
        Verdict v = DoubleCheck.judge(
                3,
                rows(delivered(1, "a"), delivered(2, "b"), delivered(3, "c"), delivered(4, "b")),
                Map.of("a", 1, "b", 2, "c", 1));

        assertThat(v.problems())
                .anySatisfy(p -> assertThat(p).contains("4 rt jobs of 3 messageIds for 3 events"))
                .anySatisfy(p -> assertThat(p).contains("processor double: b has 2 rt jobs [2, 4]"))
                .anySatisfy(p -> assertThat(p).contains("b arrived 2 times and has 2 rt jobs"));
        assertThat(v.suspects()).containsExactly("b");
        assertThat(v.routerRetries()).isEmpty();
    }

    @Test
    void aProcessorDoubleWithARetriedJobIsNotExcusedByTheRetry() {
        Verdict v = DoubleCheck.judge(
                2, rows(retriedAfterTimeout(1, "a"), delivered(2, "b"), delivered(3, "a")), Map.of("a", 3, "b", 1));

        assertThat(v.problems()).anySatisfy(p -> assertThat(p).contains("processor double: a"));
        assertThat(v.routerRetries()).isEmpty();
    }

    @Test
    void aDoubleWithoutAnUnansweredAttemptFails() {
        Verdict v = DoubleCheck.judge(2, rows(delivered(1, "a"), delivered(2, "b")), Map.of("a", 2, "b", 1));

        assertThat(v.problems()).singleElement().asString().contains("a arrived 2 times", "not 1 failed 504");
        assertThat(v.suspects()).containsExactly("a");
    }

    @Test
    void aFailureTheSinkAnsweredDoesNotExcuseADouble() {
        // 500: the sink answered and said it did not take the event, so a second arrival is not a retry's
        RtJob answered500 =
                new RtJob(1, "a", 1001, statuses("executing:1", "failed:1:500", "executing:2", "succeeded:2:200"));
        Verdict v = DoubleCheck.judge(1, rows(answered500), Map.of("a", 2));

        assertThat(v.problems()).singleElement().asString().contains("a arrived 2 times");
    }

    @Test
    void aTimeoutAfterTheSuccessDoesNotExcuseADouble() {
        RtJob late = new RtJob(1, "a", 1001, statuses("executing:1", "succeeded:1:200", "failed:2:504"));
        Verdict v = DoubleCheck.judge(1, rows(late), Map.of("a", 2));

        assertThat(v.problems()).singleElement().asString().contains("a arrived 2 times");
    }

    @Test
    void aDoubleWithoutASucceededRowFails() {
        RtJob unsettled = new RtJob(1, "a", 1001, statuses("executing:1", "failed:1:504", "executing:2"));
        Verdict v = DoubleCheck.judge(1, rows(unsettled), Map.of("a", 2));

        assertThat(v.problems()).singleElement().asString().contains("a arrived 2 times");
    }

    @Test
    void threeArrivalsNeedTwoUnansweredAttempts() {
        RtJob once = retriedAfterTimeout(1, "a");
        RtJob twice = new RtJob(
                2,
                "b",
                1002,
                statuses("executing:1", "failed:1:504", "executing:2", "failed:2:504", "executing:3", "succeeded:3"));
        Verdict v = DoubleCheck.judge(2, rows(once, twice), Map.of("a", 3, "b", 3));

        assertThat(v.problems()).singleElement().asString().contains("a arrived 3 times");
        assertThat(v.routerRetries()).containsExactly(Map.entry("b", 3));
    }

    @Test
    void aLostEventOrAnArrivalTheDatabaseDoesNotKnowFails() {
        Verdict lost = DoubleCheck.judge(3, rows(delivered(1, "a"), delivered(2, "b")), Map.of("a", 1, "b", 1));
        assertThat(lost.problems()).singleElement().asString().contains("2 rt jobs of 2 messageIds for 3 events");

        Verdict unknown =
                DoubleCheck.judge(2, rows(delivered(1, "a"), delivered(2, "b")), Map.of("a", 1, "b", 1, "x", 1));
        assertThat(unknown.problems()).singleElement().asString().contains("x arrived 1 times and has 0 rt jobs");
    }

    @Test
    void aGwJobSucceededTwiceOrWithoutAnRtJobFails() {
        Verdict v =
                DoubleCheck.judge(1, new Rows(List.of(delivered(1, "a")), List.of(7L), List.of(1001L)), Map.of("a", 1));

        assertThat(v.problems())
                .containsExactlyInAnyOrder("gw jobs without an rt job: [7]", "gw jobs succeeded twice: [1001]");
    }
}
