package dev.eventpipe.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The Helm chart deploy/helm/eventpipe, through Helm itself (helm-java runs Helm 3 in the JVM): {@code helm lint
 * --strict}, {@code helm template} with the default values and each value set in ci/, every rendered manifest
 * checked against the Kubernetes API schema, and the promises of the chart read off the manifests.
 */
class HelmChartTest {
    private static final String TAG = Repo.projectVersion();

    static Stream<String> valueSets() throws Exception {
        List<String> sets = new ArrayList<>(List.of("default"));
        try (Stream<Path> files = Files.list(Repo.CHART.resolve("ci"))) {
            files.map(p -> p.getFileName().toString()).sorted().forEach(sets::add);
        }
        return sets.stream();
    }

    static List<Map<String, Object>> render(String valueSet) {
        TemplateCommand template =
                new Helm(Repo.CHART).template().withName("ep").withNamespace("events");
        if (!valueSet.equals("default"))
            template.withValuesFile(Repo.CHART.resolve("ci").resolve(valueSet));
        return manifests(template.call());
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> manifests(String rendered) {
        List<Map<String, Object>> out = new ArrayList<>();
        // a key twice in one mapping (e.g. a label) is an error, not the last one winning
        LoaderOptions strict = new LoaderOptions();
        strict.setAllowDuplicateKeys(false);
        for (Object doc : new Yaml(strict).loadAll(rendered)) {
            if (doc != null) out.add((Map<String, Object>) doc);
        }
        return out;
    }

    @Test
    void helmLintStrictFindsNothing() {
        LintResult result = new Helm(Repo.CHART).lint().strict().call();
        assertThat(result.isFailed())
                .as(String.join("\n", result.getMessages()))
                .isFalse();
        assertThat(result.getMessages()).noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
    }

    @ParameterizedTest
    @MethodSource("valueSets")
    void everyRenderedManifestFitsTheKubernetesSchema(String valueSet) {
        List<Map<String, Object>> manifests = render(valueSet);
        assertThat(manifests).isNotEmpty();
        for (Map<String, Object> manifest : manifests) {
            KubernetesSchema.validate(manifest);
            assertThat(at(manifest, "metadata", "namespace"))
                    .as("never a hard-coded namespace")
                    .isNull();
        }
    }

    @Test
    void theSchemaCheckRefusesAnUnknownFieldAMissingRequiredOneAndAWrongType() {
        Map<String, Object> deployment = ofKind(render("default"), "Deployment").getFirst();
        Map<String, Object> container = map(
                list(at(deployment, "spec", "template", "spec", "containers")).getFirst());
        container.put("imagee", "typo");
        assertThatThrownBy(() -> KubernetesSchema.validate(deployment)).hasMessageContaining("imagee");
        container.remove("imagee");
        KubernetesSchema.validate(deployment);

        Object selector = map(deployment.get("spec")).remove("selector");
        assertThatThrownBy(() -> KubernetesSchema.validate(deployment)).hasMessageContaining("selector");
        map(deployment.get("spec")).put("selector", selector);

        container.put("ports", "http"); // a string where the schema says array
        assertThatThrownBy(() -> KubernetesSchema.validate(deployment)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @MethodSource("valueSets")
    void everyServiceRunsAsAVersionedNonRootReadOnlyContainerWithProbesThatFitTheirPurpose(String valueSet) {
        List<Map<String, Object>> deployments = ofKind(render(valueSet), "Deployment");
        assertThat(deployments).hasSize(Repo.services().size());
        for (Map<String, Object> deployment : deployments) {
            Map<String, Object> pod = map(at(deployment, "spec", "template", "spec"));
            Map<String, Object> container = map(list(pod.get("containers")).getFirst());
            String image = (String) container.get("image");
            assertThat(image).doesNotEndWith(":latest").matches("[^ ]+/[a-z-]+:[A-Za-z0-9_.-]+");
            assertThat(Repo.services()).contains(image.substring(image.lastIndexOf('/') + 1, image.lastIndexOf(':')));
            assertThat(at(pod, "securityContext", "runAsNonRoot")).isEqualTo(true);
            assertThat(at(container, "securityContext", "readOnlyRootFilesystem"))
                    .isEqualTo(true);
            assertThat(at(container, "securityContext", "allowPrivilegeEscalation"))
                    .isEqualTo(false);
            assertThat(list(at(container, "securityContext", "capabilities", "drop")))
                    .containsExactly("ALL");
            assertThat(list(container.get("volumeMounts")))
                    .anySatisfy(m -> assertThat(map(m).get("mountPath")).isEqualTo("/tmp"));
            assertThat(at(container, "livenessProbe", "httpGet", "path")).isEqualTo("/health/live");
            assertThat(at(container, "startupProbe", "httpGet", "path")).isEqualTo("/health/live");
            assertThat(at(container, "readinessProbe", "httpGet", "path")).isEqualTo("/health");
        }
    }

    @Test
    void theDefaultImagesAreTheLocalNamesTheBuildTagsWithTheProjectVersion() {
        List<String> images = ofKind(render("default"), "Deployment").stream()
                .map(d -> (String) map(list(at(d, "spec", "template", "spec", "containers"))
                                .getFirst())
                        .get("image"))
                .toList();
        assertThat(images)
                .containsExactlyInAnyOrderElementsOf(Repo.services().stream()
                        .map(m -> "localhost/eventpipe/" + m + ":" + TAG)
                        .toList());
    }

    @Test
    void eachServiceGetsOnlyTheSecretsItNeedsAndTheWebAppReachesTheDataPlane() {
        List<Map<String, Object>> manifests = render("default");
        Map<String, Map<String, String>> env = envByService(manifests);
        assertThat(env.get("transformer"))
                .doesNotContainKeys("JOBS_DB_PASSWORD", "CONFIG_SECRET_KEY", "ADMIN_PASSWORD");
        assertThat(env.get("gateway")).doesNotContainKeys("CONFIG_SECRET_KEY", "ADMIN_PASSWORD");
        assertThat(env.get("processor")).doesNotContainKeys("CONFIG_SECRET_KEY", "ADMIN_PASSWORD");
        assertThat(env.get("router")).doesNotContainKeys("CONFIG_SECRET_KEY", "ADMIN_PASSWORD");
        for (String service : List.of("transformer", "processor", "router", "config-backend")) {
            assertThat(env.get(service)).containsKeys("SERVICE_TOKEN");
        }
        assertThat(env.get("router")).containsKeys("EGRESS_ALLOW", "EGRESS_DENY_PRIVATE", "EGRESS_INTERNAL_HOSTS");
        assertThat(env.get("router").get("EGRESS_INTERNAL_HOSTS")).contains("-processor", "-postgresql");
        assertThat(env.get("warehouse"))
                .doesNotContainKeys("CONFIG_SECRET_KEY", "ADMIN_PASSWORD")
                .containsEntry("WAREHOUSE_STAGING_STORAGE_LOCALDIR", "/data/staging")
                .containsEntry("WAREHOUSE_ARCHIVE_STORAGE_LOCALDIR", "/data/archive");
        Map<String, String> web = env.get("config-backend");
        List<String> services = ofKind(manifests, "Service").stream()
                .map(KubernetesSchema::name)
                .toList();
        assertThat(web.get("ROUTER_ADMIN_URL")).isEqualTo("http://ep-eventpipe-router:8087");
        assertThat(web.get("PROCESSOR_ADMIN_URL")).isEqualTo("http://ep-eventpipe-processor:8086");
        assertThat(web.get("WAREHOUSE_ADMIN_URL")).isEqualTo("http://ep-eventpipe-warehouse:8082");
        assertThat(web.get("DEST_TRANSFORM_URL")).isEqualTo("http://ep-eventpipe-transformer:9090");
        assertThat(services).contains("ep-eventpipe-router", "ep-eventpipe-processor", "ep-eventpipe-transformer");
    }

    @Test
    void onlyTheConfigBackendAndTheDataPlaneCallersReachTheInternalApis() {
        Map<String, List<String>> callers = new java.util.TreeMap<>();
        for (Map<String, Object> policy : ofKind(render("default"), "NetworkPolicy")) {
            String target = (String) at(policy, "spec", "podSelector", "matchLabels", "app.kubernetes.io/name");
            List<String> from = new ArrayList<>();
            for (Object rule : list(at(policy, "spec", "ingress"))) {
                Object peers = map(rule).get("from");
                if (peers == null) from.add("*");
                else
                    for (Object peer : list(peers)) {
                        Object name = at(map(peer), "podSelector", "matchLabels", "app.kubernetes.io/name");
                        from.add(name == null ? "eventpipe" : (String) name);
                    }
            }
            callers.put(target, from);
        }
        assertThat(callers)
                .containsEntry("transformer", List.of("config-backend", "processor", "router"))
                .containsEntry("processor", List.of("config-backend"))
                .containsEntry("router", List.of("config-backend"))
                .containsEntry("warehouse", List.of("config-backend"))
                .containsEntry("gateway", List.of("*"))
                .containsEntry("config-backend", List.of("*"))
                .containsEntry("postgresql", List.of("eventpipe"));
    }

    @Test
    void theGatewayAndTransformerScaleByCpuAndProcessorsAndRoutersKeepTheirCounts() {
        List<Map<String, Object>> manifests = render("default");
        assertThat(ofKind(manifests, "HorizontalPodAutoscaler"))
                .extracting(h -> at(h, "spec", "scaleTargetRef", "name"))
                .containsExactlyInAnyOrder("ep-eventpipe-gateway", "ep-eventpipe-transformer");
        for (Map<String, Object> d : ofKind(manifests, "Deployment")) {
            String name = KubernetesSchema.name(d);
            if (name.endsWith("processor") || name.endsWith("router")) {
                assertThat(at(d, "spec", "replicas")).isEqualTo(2);
            }
        }
        assertThat(ofKind(manifests, "PodDisruptionBudget")).hasSize(4);
    }

    @Test
    void theValuesSchemaRefusesUnknownKeysAndTheLatestTag() {
        assertThatThrownBy(() -> new Helm(Repo.CHART)
                        .template()
                        .set("gateway.replicaz", 3)
                        .call())
                .hasMessageContaining("replicaz");
        assertThatThrownBy(() ->
                        new Helm(Repo.CHART).template().set("iamge.tag", "1.0").call())
                .hasMessageContaining("iamge");
        assertThatThrownBy(() -> new Helm(Repo.CHART)
                        .template()
                        .set("image.tag", "latest")
                        .call())
                .hasMessageContaining("image");
    }

    @Test
    void theExternalDatabaseIsReadFromItsDsnAndThePasswordFromASecret() {
        Map<String, String> env = envByService(render("external-values.yaml")).get("processor");
        assertThat(env)
                .containsEntry("JOBS_DB_HOST", "db.example.com")
                .containsEntry("JOBS_DB_PORT", "6432")
                .containsEntry("JOBS_DB_DB_NAME", "events")
                .containsEntry("JOBS_DB_USER", "eventpipe")
                .containsEntry("JOBS_DB_SSL_MODE", "verify-full")
                .containsEntry("JOBS_DB_PASSWORD", "secret:eventpipe-db/password");
        Map<String, String> cnpg =
                envByService(render("cloudnativepg-values.yaml")).get("gateway");
        assertThat(cnpg)
                .containsEntry("JOBS_DB_HOST", "secret:events-pg-app/host")
                .containsEntry("JOBS_DB_PASSWORD", "secret:events-pg-app/password");
        assertThat(ofKind(render("cloudnativepg-values.yaml"), "StatefulSet")).isEmpty();
    }

    @Test
    void theReadmeListsEveryValueWithItsDefault() throws Exception {
        Path readme = Repo.CHART.resolve("README.md");
        String generated = ChartReadme.withTable(
                Files.readString(readme), ChartReadme.table(Files.readString(Repo.CHART.resolve("values.yaml"))));
        if (Boolean.getBoolean("chart.readme.write")) Files.writeString(readme, generated);
        assertThat(Files.readString(readme))
                .as("README.md is generated from values.yaml: ./mvnw -pl deploy test -Dtest=HelmChartTest"
                        + " -Dchart.readme.write=true")
                .isEqualTo(generated);
    }

    static List<Map<String, Object>> ofKind(List<Map<String, Object>> manifests, String kind) {
        return manifests.stream().filter(m -> kind.equals(m.get("kind"))).toList();
    }

    /** Environment per container name; a value from a Secret reads "secret:<name>/<key>". */
    static Map<String, Map<String, String>> envByService(List<Map<String, Object>> manifests) {
        Map<String, Map<String, String>> out = new java.util.HashMap<>();
        for (Map<String, Object> d : ofKind(manifests, "Deployment")) {
            Map<String, Object> container =
                    map(list(at(d, "spec", "template", "spec", "containers")).getFirst());
            Map<String, String> env = new java.util.LinkedHashMap<>();
            for (Object e : list(container.get("env"))) {
                Map<String, Object> var = map(e);
                Object secret = at(var, "valueFrom", "secretKeyRef");
                String value = secret != null
                        ? "secret:" + map(secret).get("name") + "/"
                                + map(secret).get("key")
                        : Objects.toString(var.get("value"), "(from " + var.get("valueFrom") + ")");
                env.put((String) var.get("name"), value);
            }
            out.put((String) container.get("name"), env);
        }
        return out;
    }

    static Object at(Map<String, Object> root, String... path) {
        Object node = root;
        for (String key : path) {
            if (!(node instanceof Map<?, ?> m)) return null;
            node = m.get(key);
        }
        return node;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return o == null ? List.of() : (List<Object>) o;
    }
}
