package dev.eventpipe.transformer.user;

import dev.eventpipe.transformer.TransformerApplication;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarFile;
import org.springframework.util.unit.DataSize;

/**
 * How this JVM starts another transformer JVM: the same {@code java} and the same code, with a heap of its own, only
 * the JVM flags a child needs and a scrubbed environment. Started from a Spring Boot exec jar ({@code -jar}, or the
 * image's {@code JarLauncher} over the extracted layers) it starts that again; otherwise (an IDE, a test JVM) {@link
 * TransformerApplication} on the same class path.
 *
 * <p>Flags: only those in {@link #KEPT} pass, whoever gave them to the parent (the launcher, the image's entrypoint
 * and its {@code JAVA_OPTS}, a test's argLine, {@code JAVA_TOOL_OPTIONS}, whose flags the JVM lists among its
 * arguments): the Graal JIT's of jvm-flags.txt, module access, the thread stack, the collector and processor count, file encoding and temp dir,
 * GraalJS/Truffle/logging system properties, and how to reach the config backend (TLS trust store, proxies, name
 * resolution, security properties), since the child fetches its version's code itself. Everything else is dropped: the parent's heap sizing (the child's own is
 * given), exit or crash on {@code OutOfMemoryError} (in a child the engine's out-of-memory error must fail the call
 * that caused it, not end the process), heap dumps (a dump of each child's heap would fill {@code /tmp}, a small
 * tmpfs), agents, a debugger's port, the parent's service port and token (review-solo P2-3).
 *
 * <p>Environment: only the variables in {@link #KEPT_ENVIRONMENT} (and {@code LOGGING_*}, Spring's logging settings)
 * pass; the parent's secrets and settings do not, and above all not {@code JAVA_TOOL_OPTIONS}, {@code
 * JDK_JAVA_OPTIONS} or {@code _JAVA_OPTIONS}, through which the JVM and its launcher would take the dropped flags
 * again. The child's own settings come as properties, its secrets as the variables {@link VersionProcess} adds.
 *
 * @param environment the variables a child starts with, before its own ({@link VersionProcess#start})
 */
record ChildCommand(String java, List<String> flags, List<String> launch, Map<String, String> environment) {
    private static final String JAR_LAUNCHER = "org.springframework.boot.loader.launch.JarLauncher";
    /** Flags (by prefix) that a child gets from its parent's. */
    static final List<String> KEPT = List.of(
            "-XX:+UnlockExperimentalVMOptions",
            "-XX:+EnableJVMCI",
            "-XX:+UseJVMCICompiler",
            "-XX:-UseJVMCICompiler",
            "-XX:JVMCI",
            "--upgrade-module-path",
            "--enable-native-access",
            "--sun-misc-unsafe-memory-access",
            "--add-opens",
            "--add-exports",
            "--add-reads",
            "--add-modules",
            "-Xss",
            "-XX:+UseSerialGC",
            "-XX:+UseG1GC",
            "-XX:+UseParallelGC",
            "-XX:+UseZGC",
            "-XX:+UseShenandoahGC",
            "-XX:ActiveProcessorCount=",
            "-Dfile.encoding=",
            "-Dstdout.encoding=",
            "-Dstderr.encoding=",
            "-Djava.io.tmpdir=",
            "-Dpolyglot.",
            "-Dengine.",
            "-Dtruffle.",
            "-Dgraal.",
            "-Djdk.graal.",
            "-Dlogging.",
            // how the child reaches the config backend, as the parent does: TLS trust, proxies, name resolution
            "-Djavax.net.",
            "-Djdk.tls.",
            "-Dhttp.proxy",
            "-Dhttps.proxy",
            "-Dhttp.nonProxyHosts",
            "-Djava.net.preferIPv",
            "-Dnetworkaddress.",
            "-Djava.security.properties");
    /** Environment variables that a child gets from its parent's. */
    static final List<String> KEPT_ENVIRONMENT =
            List.of("PATH", "HOME", "USER", "LOGNAME", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR", "JAVA_HOME");

    ChildCommand {
        flags = List.copyOf(flags);
        launch = List.copyOf(launch);
        environment = Map.copyOf(environment);
    }

    /** A child of another command, with this JVM's scrubbed environment. */
    ChildCommand(String java, List<String> flags, List<String> launch) {
        this(java, flags, launch, keptEnvironment(System.getenv()));
    }

    static ChildCommand ofThisJvm() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String main = System.getProperty("sun.java.command", "").split(" ")[0];
        String classPath = System.getProperty("java.class.path");
        List<String> launch;
        if (main.endsWith(".jar") && bootJar(main)) {
            launch = List.of("-jar", main);
        } else if (main.equals(JAR_LAUNCHER)) {
            launch = List.of("-cp", classPath, JAR_LAUNCHER);
        } else {
            launch = List.of("-cp", classPath, TransformerApplication.class.getName());
        }
        return of(java, ManagementFactory.getRuntimeMXBean().getInputArguments(), launch, System.getenv());
    }

    /** A child of a parent started with {@code parentFlags} in {@code parentEnvironment}: both scrubbed. */
    static ChildCommand of(
            String java, List<String> parentFlags, List<String> launch, Map<String, String> parentEnvironment) {
        return new ChildCommand(java, keptFlags(parentFlags), launch, keptEnvironment(parentEnvironment));
    }

    static List<String> keptFlags(List<String> parentFlags) {
        return parentFlags.stream()
                .filter(flag -> KEPT.stream().anyMatch(flag::startsWith))
                .toList();
    }

    static Map<String, String> keptEnvironment(Map<String, String> parentEnvironment) {
        Map<String, String> kept = new TreeMap<>();
        parentEnvironment.forEach((name, value) -> {
            if (KEPT_ENVIRONMENT.contains(name) || name.startsWith("LOGGING_")) {
                kept.put(name, value);
            }
        });
        return kept;
    }

    /** The command line of a child with this heap and these Spring properties (no secrets: they go by environment). */
    List<String> command(DataSize heap, Map<String, String> properties) {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(flags);
        command.add("-Xmx" + heap.toMegabytes() + "m");
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(launch);
        return command;
    }

    private static boolean bootJar(String path) {
        try (JarFile jar = new JarFile(path)) {
            return jar.getManifest() != null
                    && jar.getManifest().getMainAttributes().getValue("Start-Class") != null;
        } catch (IOException e) {
            return false;
        }
    }
}
