package dev.eventpipe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Every service of the build has an image, a compose service and a chart component, all at the project version:
 * a new service module makes this fail until deploy/services, docker-compose.yml and the chart name it.
 */
class ServicesCoverageTest {
    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");

    /** A service = a module whose runnable jar is its exec jar and which listens on a port of its own. */
    static List<String> serviceModules() throws Exception {
        List<String> out = new ArrayList<>();
        Matcher m = MODULE.matcher(Repo.read("pom.xml"));
        while (m.find()) {
            String module = m.group(1);
            var pom = Repo.ROOT.resolve(module).resolve("pom.xml");
            var app = Repo.ROOT.resolve(module).resolve("src/main/resources/application.yaml");
            if (Files.exists(pom)
                    && Files.readString(pom).contains("<classifier>exec</classifier>")
                    && Files.exists(app)
                    && Files.readString(app).contains("port: ${PORT:")) {
                out.add(module);
            }
        }
        return out;
    }

    @Test
    void deployServicesListsEveryServiceModuleAndTheBuildMakesItsJarBeforeTheImages() throws Exception {
        assertThat(serviceModules()).isNotEmpty();
        assertThat(Repo.services()).containsExactlyInAnyOrderElementsOf(serviceModules());
        String deployPom = Repo.read("deploy/pom.xml");
        for (String module : Repo.services()) assertThat(deployPom).contains("<artifactId>" + module + "</artifactId>");
    }

    @Test
    @SuppressWarnings("unchecked")
    void composeRunsEveryServiceFromItsImageAtTheProjectVersion() {
        Map<String, Object> compose = new Yaml().load(Repo.read("docker-compose.yml"));
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
        List<String> images = services.values().stream()
                .map(s -> String.valueOf(s.get("image")))
                .toList();
        for (String module : Repo.services()) {
            assertThat(images)
                    .contains("${EVENTPIPE_REGISTRY:-localhost/eventpipe}/" + module + ":${EVENTPIPE_VERSION:-"
                            + Repo.projectVersion() + "}");
        }
        assertThat(Repo.read("docker-compose.yml")).doesNotContain(":latest");
    }

    /**
     * Issue 16: each compose service's heap options come from the variable {@code ./run.sh} reads for that service
     * ({@code PROCESSOR_JAVA_OPTS}, {@code CONFIG_BACKEND_JAVA_OPTS}, ...), and are the image's default (a share of
     * {@code mem_limit}) when it is not set; the transformer's share is 40 %, not 70 % (its child JVMs, issue 14).
     */
    @Test
    @SuppressWarnings("unchecked")
    void composeTakesEachServicesJavaOptsFromTheVariableRunShReadsForIt() {
        Map<String, Object> compose = new Yaml().load(Repo.read("docker-compose.yml"));
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
        Matcher image = Pattern.compile("JAVA_OPTS=\"([^\"]+)\"").matcher(Repo.read("deploy/docker/Dockerfile"));
        assertThat(image.find()).as("the image's default JAVA_OPTS").isTrue();
        for (String module : Repo.services()) {
            Map<String, Object> service = services.values().stream()
                    .filter(s -> String.valueOf(s.get("image")).contains("/" + module + ":"))
                    .findFirst()
                    .orElseThrow();
            String name = module.replace("-service", "").replace('-', '_').toUpperCase(Locale.ROOT);
            Map<String, Object> env = (Map<String, Object>) service.get("environment");
            String share = module.equals("transformer-service")
                    // issue 14: the child JVMs of struck transformations need the rest of the transformer's mem_limit
                    ? image.group(1).replace("MaxRAMPercentage=70", "MaxRAMPercentage=40")
                    : image.group(1);
            assertThat(env.get("JAVA_OPTS")).as(module).isEqualTo("${" + name + "_JAVA_OPTS:-" + share + "}");
        }
    }

    @Test
    void theChartHasAComponentForEveryServiceAndItsAppVersionIsTheProjectVersion() {
        String helpers = Repo.read("deploy/helm/eventpipe/templates/_helpers.tpl");
        for (String module : Repo.services()) assertThat(helpers).contains("module: " + module + ",");
        Map<String, Object> chart = new Yaml().load(Repo.read("deploy/helm/eventpipe/Chart.yaml"));
        assertThat(chart.get("appVersion")).isEqualTo(Repo.projectVersion());
    }
}
