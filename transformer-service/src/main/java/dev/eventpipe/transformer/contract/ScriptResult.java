package dev.eventpipe.transformer.contract;

import java.util.List;

/** The harness's encoded answer for one call (see js/harness.js), decoded. */
public sealed interface ScriptResult {
    /** One or more output events, each as exact JSON. */
    record Outputs(List<String> json) implements ScriptResult {}

    /** The script returned null, undefined or an empty array. */
    record Dropped() implements ScriptResult {}

    /** The script threw, returned something that is not an event, or was stopped. */
    record Failed(String error) implements ScriptResult {}

    Dropped DROPPED = new Dropped();

    static ScriptResult decode(String encoded) {
        if (encoded.isEmpty()) {
            return new Failed("empty result");
        }
        return switch (encoded.charAt(0)) {
            case '1' -> new Outputs(List.of(encoded.substring(1)));
            case 'N' -> new Outputs(List.of(encoded.substring(1).split("\n")));
            case 'D' -> DROPPED;
            case 'E' -> new Failed(encoded.substring(1));
            default -> new Failed("unexpected result from the script harness");
        };
    }
}
