package dev.eventpipe.transformer.user;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.model.json.Json;
import dev.eventpipe.transformer.StubConfigBackend;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The code cache is bounded (issue 14): it keeps the {@code maxVersions} most recently used versions, drops the least
 * recently used first and fetches a dropped version again on its next use; a version's owner is its workspace as
 * the config backend names it.
 */
class CodeStoreTest {
    private static final StubConfigBackend BACKEND = StubConfigBackend.INSTANCE;

    private static CodeStore store(int maxVersions) {
        return new CodeStore(
                new ConfigBackendProperties(BACKEND.url(), StubConfigBackend.TOKEN, Duration.ofSeconds(10)),
                maxVersions,
                Json.mapper());
    }

    @Test
    void theVersionAfterTheLimitDropsTheLeastRecentlyUsedWhichIsFetchedAgainOnItsNextUse() {
        for (String v : new String[] {"cs-a", "cs-b", "cs-c"}) {
            BACKEND.put(v, "export function transformEvent(e) { return e; }");
        }
        CodeStore codes = store(2);
        assertThat(codes.lookup("cs-a")).isInstanceOf(CodeLookup.Found.class);
        assertThat(codes.lookup("cs-b")).isInstanceOf(CodeLookup.Found.class);
        assertThat(codes.lookup("cs-a")).isInstanceOf(CodeLookup.Found.class); // a is now the most recently used
        assertThat(codes.lookup("cs-c")).isInstanceOf(CodeLookup.Found.class); // the third: b goes
        assertThat(codes.cachedVersions()).isEqualTo(2);
        assertThat(BACKEND.fetches("cs-a")).isEqualTo(1);
        assertThat(BACKEND.fetches("cs-b")).isEqualTo(1);
        assertThat(BACKEND.fetches("cs-c")).isEqualTo(1);

        assertThat(codes.lookup("cs-a")).isInstanceOf(CodeLookup.Found.class);
        assertThat(codes.lookup("cs-c")).isInstanceOf(CodeLookup.Found.class);
        assertThat(BACKEND.fetches("cs-a")).as("kept").isEqualTo(1);
        assertThat(BACKEND.fetches("cs-c")).as("kept").isEqualTo(1);
        assertThat(codes.lookup("cs-b")).isInstanceOf(CodeLookup.Found.class);
        assertThat(BACKEND.fetches("cs-b")).as("dropped, so fetched again").isEqualTo(2);
        assertThat(codes.cachedVersions()).isEqualTo(2);
    }

    @Test
    void aVersionsOwnerIsTheWorkspaceTheConfigBackendNames() {
        BACKEND.put("cs-owned", "ws-cs", "export function transformEvent(e) { return e; }");
        BACKEND.put("cs-unowned", "export function transformEvent(e) { return e; }");
        CodeStore codes = store(10);
        assertThat(codes.lookup("cs-owned"))
                .isInstanceOfSatisfying(
                        CodeLookup.Found.class,
                        found -> assertThat(found.code().owner()).isEqualTo("workspace ws-cs"));
        assertThat(codes.lookup("cs-unowned"))
                .isInstanceOfSatisfying(
                        CodeLookup.Found.class,
                        found -> assertThat(found.code().owner()).isNull());
    }
}
