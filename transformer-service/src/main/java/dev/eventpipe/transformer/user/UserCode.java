package dev.eventpipe.transformer.user;

import java.util.regex.Pattern;
import org.graalvm.polyglot.Source;
import org.jspecify.annotations.Nullable;

/**
 * A transformation's code. Code with {@code export} statements (RudderStack's style:
 * {@code export function transformEvent(event, metadata)}) is evaluated as an ES module, whose exports the engine
 * returns; plain scripts are wrapped in a function scope so their top-level functions stay private to them.
 *
 * @param key the version id (the realm of the contexts that run it)
 * @param owner whose version it is, as the config backend answered: {@code workspace <id>}, else {@code
 *     transformation <id>}, else null (the version alone); {@link HeapStrikes} exiles a workspace's versions together
 */
record UserCode(String key, @Nullable String owner, String code, Source source) {
    private static final Pattern MODULE = Pattern.compile("(?m)^\\s*(export|import)\\s");
    private static final String SCRIPT_TAIL = "\n;return {"
            + "transformEvent: typeof transformEvent === 'function' ? transformEvent : undefined,"
            + "transformBatch: typeof transformBatch === 'function' ? transformBatch : undefined};})()";

    static UserCode ofVersion(String versionId, String code) {
        return ofVersion(versionId, null, code);
    }

    static UserCode ofVersion(String versionId, @Nullable String owner, String code) {
        return new UserCode(versionId, owner, code, source("transformation-" + versionId, code));
    }

    /** Code from the web app's editor, for a code test (run once, in a context of its own). */
    static UserCode forTest(String code) {
        return new UserCode("test", null, code, source("transformation", code));
    }

    private static Source source(String name, String code) {
        if (MODULE.matcher(code).find()) {
            return Source.newBuilder("js", code, name + ".mjs")
                    .mimeType("application/javascript+module")
                    .cached(true)
                    .buildLiteral();
        }
        // the wrapper starts on the code's first line, so error positions match the user's line numbers
        return Source.newBuilder("js", "(function(){" + code + SCRIPT_TAIL, name + ".js")
                .cached(true)
                .buildLiteral();
    }
}
