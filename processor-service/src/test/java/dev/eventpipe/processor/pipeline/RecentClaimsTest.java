package dev.eventpipe.processor.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.processor.dedup.DedupKey;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecentClaimsTest {
    static final DedupKey A = new DedupKey("src", "a");
    static final DedupKey B = new DedupKey("src", "b");
    static final DedupKey C = new DedupKey("src", "c");

    @Test
    void anIdCommittedAfterTheMarkOverlapsOneCommittedBeforeDoesNot() {
        RecentClaims claims = new RecentClaims(8);
        claims.committed(List.of(A));
        long mark = claims.mark();
        assertThat(claims.claimedSince(mark, List.of(A, B)))
                .as("A was committed before the read")
                .isFalse();
        claims.committed(List.of(B));
        assertThat(claims.claimedSince(mark, List.of(B))).isTrue();
        assertThat(claims.claimedSince(mark, List.of(A, C))).isFalse();
        assertThat(claims.claimedSince(claims.mark(), List.of(B))).isFalse();
    }

    @Test
    void commitsWithoutIdsAndBatchesWithoutIdsNeverOverlap() {
        RecentClaims claims = new RecentClaims(1);
        long mark = claims.mark();
        claims.committed(List.of());
        claims.committed(List.of());
        assertThat(claims.claimedSince(mark, List.of(A))).isFalse();
        claims.committed(List.of(A));
        assertThat(claims.claimedSince(mark, List.of())).isFalse();
    }

    @Test
    void aForgottenCommitAfterTheMarkCountsAsAnOverlap() {
        RecentClaims claims = new RecentClaims(2);
        long mark = claims.mark();
        claims.committed(List.of(A)); // forgotten below
        claims.committed(List.of(B));
        claims.committed(List.of(C));
        assertThat(claims.claimedSince(mark, List.of(new DedupKey("src", "z"))))
                .as("A's commit is gone: it cannot be ruled out")
                .isTrue();
        long later = claims.mark() - 1; // after A's commit, before C's
        assertThat(claims.claimedSince(later, List.of(new DedupKey("src", "z"))))
                .isFalse();
        assertThat(claims.claimedSince(later, List.of(C))).isTrue();
    }
}
