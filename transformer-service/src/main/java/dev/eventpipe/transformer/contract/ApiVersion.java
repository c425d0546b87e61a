package dev.eventpipe.transformer.contract;

/** rudder-server refuses transformer answers without {@code apiVersion: 2}. */
public final class ApiVersion {
    public static final String HEADER = "apiVersion";
    public static final String VALUE = "2";
    /** Sent by the processor when it understands 298 for filtered events. */
    public static final String FILTER_CODE_HEADER = "X-Feature-Filter-Code";

    private ApiVersion() {}
}
