package dev.eventpipe.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JVM flags {@code ./run.sh} gives each service (issue 16, "all services together ≤ 2.5 GB RSS"): a heap of its
 * own instead of a share of the machine ({@code -XX:MaxRAMPercentage=12} was 2.8 GB each on a 23 GB machine, and
 * the processor's heap grew into it), and {@code <NAME>_JAVA_OPTS} in its place when the user sets it.
 */
class JvmFlagsTest {
    @TempDir
    Path root;

    @Test
    void everyServiceGetsAHeapOfItsOwnAndNoShareOfTheMachine() {
        for (Service service : Service.values()) {
            List<String> flags = Services.jvmFlags(root, service, Map.of());
            assertThat(flags).as(service.module).startsWith("-Xmx" + service.heap);
            assertThat(flags).as(service.module).noneMatch(f -> f.contains("RAMPercentage"));
            assertThat(flags.stream().filter(f -> f.startsWith("-Xmx"))).hasSize(1);
        }
        // the sizes measured in the whole-suite benchmark (docs/performance.md, "Memory")
        assertThat(Services.jvmFlags(root, Service.PROCESSOR, Map.of())).startsWith("-Xmx768m");
        assertThat(Services.jvmFlags(root, Service.TRANSFORMER, Map.of())).startsWith("-Xmx512m");
        assertThat(Services.jvmFlags(root, Service.GATEWAY, Map.of())).startsWith("-Xmx256m");
        assertThat(Services.jvmFlags(root, Service.ROUTER, Map.of())).startsWith("-Xmx256m");
    }

    @Test
    void aServicesJavaOptsReplaceItsDefaultHeapAndLeaveTheOthersAlone() {
        Map<String, String> env = Map.of("PROCESSOR_JAVA_OPTS", "  -Xmx1g   -XX:+UseSerialGC ");

        assertThat(Services.jvmFlags(root, Service.PROCESSOR, env))
                .startsWith("-Xmx1g", "-XX:+UseSerialGC")
                .doesNotContain("-Xmx" + Service.PROCESSOR.heap);
        assertThat(Services.jvmFlags(root, Service.ROUTER, env)).startsWith("-Xmx" + Service.ROUTER.heap);
        assertThat(Service.CONFIG_BACKEND.javaOptsVariable()).isEqualTo("CONFIG_BACKEND_JAVA_OPTS");
        // blank is not set
        assertThat(Services.jvmFlags(root, Service.PROCESSOR, Map.of("PROCESSOR_JAVA_OPTS", " ")))
                .startsWith("-Xmx" + Service.PROCESSOR.heap);
    }

    @Test
    void theModulesOwnFlagsComeAfterTheHeapOptionsAsInTheImage() throws Exception {
        Path module = Files.createDirectories(root.resolve("transformer-service"));
        Files.writeString(
                module.resolve("jvm-flags.txt"),
                "# the JIT\n-XX:+EnableJVMCI\n--upgrade-module-path=${GRAAL_DIR}/c.jar\n");

        List<String> flags = Services.jvmFlags(root, Service.TRANSFORMER, Map.of("TRANSFORMER_JAVA_OPTS", "-Xmx2g"));

        assertThat(flags)
                .containsExactly(
                        "-Xmx2g",
                        "--enable-native-access=ALL-UNNAMED",
                        "-XX:+EnableJVMCI",
                        "--upgrade-module-path=" + module.resolve("target/graal") + "/c.jar");
    }
}
