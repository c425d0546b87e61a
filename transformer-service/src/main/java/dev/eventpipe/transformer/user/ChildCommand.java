package dev.eventpipe.transformer.user;

import dev.eventpipe.transformer.TransformerApplication;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import org.springframework.util.unit.DataSize;

/**
 * How this JVM starts another transformer JVM: the same {@code java}, the same JVM flags (the Graal JIT's
 * {@code --upgrade-module-path} of jvm-flags.txt among them, whoever passed them: the launcher, the image's
 * entrypoint, a test's argLine) and the same code, with a heap of its own. Started from a Spring Boot exec jar
 * ({@code -jar}, or the image's {@code JarLauncher} over the extracted layers) it starts that again; otherwise
 * (an IDE, a test JVM) {@link TransformerApplication} on the same class path.
 *
 * <p>Dropped from the flags: the heap size (the child's own is given), exit or crash on {@code OutOfMemoryError}
 * (in a child the engine's out-of-memory error must fail the call that caused it, not end the process) and a
 * debugger agent (its port is taken).
 */
record ChildCommand(String java, List<String> flags, List<String> launch) {
    private static final String JAR_LAUNCHER = "org.springframework.boot.loader.launch.JarLauncher";
    private static final List<String> DROPPED = List.of(
            "-Xmx",
            "-Xms",
            "-XX:MaxRAMPercentage",
            "-XX:InitialRAMPercentage",
            "-XX:MinRAMPercentage",
            "-XX:MaxRAM=",
            "-XX:+ExitOnOutOfMemoryError",
            "-XX:+CrashOnOutOfMemoryError",
            "-XX:OnOutOfMemoryError",
            "-agentlib:jdwp",
            "-Dtransformer.isolation.",
            "-Dserver.port",
            "-DSERVICE_TOKEN");

    static ChildCommand ofThisJvm() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> flags = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(flag -> DROPPED.stream().noneMatch(flag::startsWith))
                .toList();
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
        return new ChildCommand(java, flags, launch);
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
