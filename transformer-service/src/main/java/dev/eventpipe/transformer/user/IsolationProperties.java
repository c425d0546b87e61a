package dev.eventpipe.transformer.user;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Processes of their own for struck transformation versions (issue 14): a version whose call held what filled the
 * shared heap runs, from then on, in a child JVM that runs nothing else, where heap trouble is its own.
 *
 * @param maxProcesses child JVMs at most; when all are busy, a struck version's call waits for one, in arrival order,
 *     until its request's deadline (then 503, retry)
 * @param heap the {@code -Xmx} of each child
 * @param idleTimeout a child with no call for this long ends (started again on the version's next call)
 * @param startTimeout how long a child may take to start (within the request's deadline)
 * @param maxCallsPerProcess calls the parent has in flight in one child at most (the child has one script thread:
 *     more would only hold their bodies in its small heap); further calls of the version wait in the parent
 * @param maxCallBytes a struck version's events of one request go to its child in calls of at most this much JSON
 *     (an event larger than this goes alone)
 * @param probation how long a struck version runs in its own process before it returns to the shared transformer,
 *     counted from its last memory trouble there (a fill, or its process failing it); doubled for each time it was
 *     struck again after a return
 * @param version in a child only: the one version it runs, hex-encoded UTF-8 (set by the parent; empty in the shared
 *     transformer): a version id comes from events, and as a property value Spring would resolve {@code ${...}}
 *     placeholders in it
 * @param portFile in a child only: where it writes its port once it serves
 */
@ConfigurationProperties("transformer.isolation")
public record IsolationProperties(
        @DefaultValue("2") int maxProcesses,
        @DefaultValue("192MB") DataSize heap,
        @DefaultValue("10m") Duration idleTimeout,
        @DefaultValue("120s") Duration startTimeout,
        @DefaultValue("1") int maxCallsPerProcess,
        @DefaultValue("16MB") DataSize maxCallBytes,
        @DefaultValue("30m") Duration probation,
        @DefaultValue("") String version,
        @DefaultValue("") String portFile) {

    public IsolationProperties {
        maxProcesses = Math.max(1, maxProcesses);
        maxCallsPerProcess = Math.max(1, maxCallsPerProcess);
    }

    /** The defaults, for use without Spring (tests). */
    public static IsolationProperties defaults() {
        return new IsolationProperties(
                2,
                DataSize.ofMegabytes(192),
                Duration.ofMinutes(10),
                Duration.ofSeconds(120),
                1,
                DataSize.ofMegabytes(16),
                Duration.ofMinutes(30),
                "",
                "");
    }

    public IsolationProperties withMaxProcesses(int max, Duration idle) {
        return new IsolationProperties(
                max, heap, idle, startTimeout, maxCallsPerProcess, maxCallBytes, probation, version, portFile);
    }

    public IsolationProperties withCallLimits(int calls, DataSize bytes) {
        return new IsolationProperties(
                maxProcesses, heap, idleTimeout, startTimeout, calls, bytes, probation, version, portFile);
    }

    /** This JVM is a child that runs one version only. */
    boolean child() {
        return !version.isBlank();
    }

    /** The version a child runs. */
    String ownVersion() {
        return new String(HexFormat.of().parseHex(version), StandardCharsets.UTF_8);
    }

    /** {@code versionId} as the parent passes it to a child. */
    static String encode(String versionId) {
        return HexFormat.of().formatHex(versionId.getBytes(StandardCharsets.UTF_8));
    }
}
