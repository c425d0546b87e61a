package dev.eventpipe.processor;

import static dev.eventpipe.processor.TestWorkspace.source;
import static dev.eventpipe.processor.TestWorkspace.webhook;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eventpipe.jobsdb.JobsDbs;
import dev.eventpipe.model.config.WorkspaceConfigClient;
import dev.eventpipe.testkit.TestPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Which destinations an event reaches, and the user transformation outcomes, end to end on PostgreSQL. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class FanOutRulesIT {
    static final String AMPLITUDE = """
            {"id": "d-am", "name": "amp", "enabled": true, "isProcessorEnabled": true, "workspaceId": "ws-1",
             "config": {"apiKey": "k", "oneTrustCookieCategories": [{"oneTrustCookieCategory": "C0004"}]},
             "destinationDefinition": {"id": "dd-am", "name": "AM", "displayName": "Amplitude",
               "config": {"supportedMessageTypes": ["track", "identify"]}}}""";
    static final String GA4 = """
            {"id": "d-ga", "name": "ga", "enabled": true, "isProcessorEnabled": true, "workspaceId": "ws-1",
             "config": {"consentManagement": [{"provider": "custom", "resolutionStrategy": "or",
                                               "consents": [{"consent": "c1"}, {"consent": "c2"}]}]},
             "destinationDefinition": {"id": "dd-ga4", "name": "GA4", "displayName": "Google Analytics 4",
               "config": {"supportedMessageTypes": ["track"]}}}""";
    static final String OPEN_HOOK = """
            {"id": "d-open", "name": "open", "enabled": true, "isProcessorEnabled": true, "workspaceId": "ws-1",
             "config": {"webhookUrl": "http://127.0.0.1:1/open"},
             "destinationDefinition": {"id": "dd-webhook", "name": "WEBHOOK", "displayName": "Webhook", "config": {}}}""";

    static final StubTransformer transformer = StubTransformer.started();
    static final String[] SOURCES = {
        source("src-rules", "wk-rules", AMPLITUDE, GA4, OPEN_HOOK),
        source(
                "src-ut",
                "wk-ut",
                webhook("d-mark", ",\"transformations\": [{\"id\": \"t1\", \"versionId\": \"mark\"}]"),
                webhook("d-drop", ",\"transformations\": [{\"id\": \"t2\", \"versionId\": \"drop\"}]"),
                webhook("d-fail", ",\"transformations\": [{\"id\": \"t3\", \"versionId\": \"fail\"}]"),
                webhook("d-double", ",\"transformations\": [{\"id\": \"t4\", \"versionId\": \"double\"}]")),
        source(
                "src-allfail",
                "wk-allfail",
                webhook("d-fail2", ",\"transformations\": [{\"id\": \"t3\", \"versionId\": \"fail\"}]")),
        source("src-change", "wk-change", webhook("d-change", ""))
    };
    static final Path config = TestWorkspace.write(SOURCES);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        TestPostgres.register(r);
        r.add("processor.transformer.url", transformer::url);
        r.add("workspace-config.path", config::toString);
        r.add("processor.idle-sleep", () -> "20ms");
    }

    @Autowired
    JobsDbs jobsDbs;

    @Autowired
    DataSource dataSource;

    @Autowired
    WorkspaceConfigClient configClient;

    QueueRows rows;

    @AfterAll
    static void stop() {
        transformer.close();
    }

    @BeforeEach
    void setUp() {
        rows = new QueueRows(dataSource);
    }

    @Test
    void integrationsConsentAndMessageTypesDecideWhichDestinationsGetAnEvent() {
        ObjectNode plain = GwJobs.track("a1", "plain");
        ObjectNode onlyWebhook = GwJobs.track("a2", "onlyWebhook");
        onlyWebhook.putObject("integrations").put("All", false).put("Webhook", true);
        ObjectNode notAmplitude = GwJobs.track("a3", "notAmplitude");
        notAmplitude.putObject("integrations").put("Amplitude", false);
        ObjectNode amplitudeOptions = GwJobs.track("a4", "amplitudeOptions");
        amplitudeOptions
                .putObject("integrations")
                .put("All", false)
                .putObject("Amplitude")
                .put("x", 1);
        ObjectNode oneTrustDenied = GwJobs.track("a5", "oneTrustDenied");
        oneTrustDenied
                .putObject("context")
                .putObject("consentManagement")
                .putArray("deniedConsentIds")
                .add("C0004");
        ObjectNode customDenied = GwJobs.track("a6", "customDenied");
        ObjectNode cm = customDenied.putObject("context").putObject("consentManagement");
        cm.put("provider", "custom");
        cm.putArray("deniedConsentIds").add("c1").add("c2");
        ObjectNode customPartly = GwJobs.track("a7", "customPartly");
        ObjectNode cm2 = customPartly.putObject("context").putObject("consentManagement");
        cm2.put("provider", "custom");
        cm2.putArray("deniedConsentIds").add("c1");
        ObjectNode page = GwJobs.track("a8", "page");
        page.put("type", "page");
        ObjectNode noType = GwJobs.track("a9", "noType");
        noType.remove("type");
        ObjectNode badIntegrations = GwJobs.track("a10", "badIntegrations");
        badIntegrations.put("integrations", "all");

        List<ObjectNode> events = List.of(
                plain,
                onlyWebhook,
                notAmplitude,
                amplitudeOptions,
                oneTrustDenied,
                customDenied,
                customPartly,
                page,
                noType,
                badIntegrations);
        GwJobs jobs = GwJobs.create();
        events.forEach(e -> jobs.add("src-rules", "wk-rules", e));
        List<Long> ids = jobs.store(jobsDbs);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> ids.stream().allMatch(id -> rows.gw(id).state() != null));

        assertThat(destinationsOf("plain")).containsExactly("d-am", "d-ga", "d-open");
        assertThat(destinationsOf("onlyWebhook")).containsExactly("d-open");
        assertThat(destinationsOf("notAmplitude")).containsExactly("d-ga", "d-open");
        assertThat(destinationsOf("amplitudeOptions")).containsExactly("d-am");
        assertThat(destinationsOf("oneTrustDenied")).containsExactly("d-ga", "d-open");
        assertThat(destinationsOf("customDenied")).containsExactly("d-am", "d-open");
        assertThat(destinationsOf("customPartly")).containsExactly("d-am", "d-ga", "d-open");
        assertThat(destinationsOf("page")).containsExactly("d-open");
        assertThat(destinationsOf("noType")).containsExactly("d-open");
        assertThat(destinationsOf("badIntegrations")).isEmpty();

        QueueRows.GwState pageState = rows.gw(ids.get(7));
        assertThat(pageState.state()).isEqualTo("succeeded");
        assertThat(pageState.errorResponse().path("filtered").toString())
                .contains("d-am", "event_filter", "page is not supported");
        QueueRows.GwState noTypeState = rows.gw(ids.get(8));
        assertThat(noTypeState.errorResponse().path("failures").toString()).contains("message type is missing");
        QueueRows.GwState bad = rows.gw(ids.get(9));
        assertThat(bad.state()).isEqualTo("filtered");
        assertThat(bad.errorResponse().path("reason").asString()).isEqualTo("no destination accepted the event");

        // filtered: onlyWebhook 2, notAmplitude 1, amplitudeOptions 2, oneTrust 1, custom 1, page 2, bad 3
        assertThat(count("filtered")).isEqualTo(12);
        // the event without a type fails the two destinations that restrict message types
        assertThat(count("transformation_failed")).isEqualTo(2);
        assertThat(count("stored")).isEqualTo(16);
    }

    @Test
    void userTransformationsTransformDropFailAndFanOutPerDestination() {
        int callsBefore = transformer.paths().size();
        long id = GwJobs.create()
                .add("src-ut", "wk-ut", GwJobs.track("u1", "Viewed"))
                .store(jobsDbs)
                .getFirst();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> "succeeded".equals(rows.gw(id).state()));

        List<QueueRows.Rt> rt = rows.rt("src-ut");
        assertThat(rt)
                .extracting(r -> r.parameters().path("destination_id").asString())
                .containsExactly("d-mark", "d-double", "d-double");
        assertThat(body(rt.get(0)).path("properties").path("transformed").asBoolean())
                .isTrue();
        assertThat(body(rt.get(1)).path("properties").path("copy").asInt()).isEqualTo(1);
        assertThat(body(rt.get(2)).path("properties").path("copy").asInt()).isEqualTo(2);
        JsonNode response = rows.gw(id).errorResponse();
        assertThat(response.path("filtered").toString()).contains("d-drop", "user_transformation");
        assertThat(response.path("failures").toString()).contains("d-fail", "TypeError: boom");
        assertThat(response.path("rtJobs").asInt()).isEqualTo(3);
        // by default (issue 16) the user transformation runs in the transformer and the WEBHOOK envelope of its
        // outputs is built in the processor: no WEBHOOK destination call at all
        List<String> paths = transformer.paths();
        assertThat(paths.subList(callsBefore, paths.size()))
                .contains("/customTransform")
                .doesNotContain("/v0/destinations/webhook");
    }

    @Test
    void aJobWhoseEveryDestinationFailsIsAbortedWithTheReason() {
        long id = GwJobs.create()
                .add("src-allfail", "wk-allfail", GwJobs.track("u2", "Viewed"))
                .store(jobsDbs)
                .getFirst();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> "aborted".equals(rows.gw(id).state()));
        JsonNode response = rows.gw(id).errorResponse();
        assertThat(response.path("reason").asString()).isEqualTo("transformation failed");
        assertThat(response.path("failures").path(0).path("statusCode").asInt()).isEqualTo(400);
        assertThat(rows.rtCount("src-allfail")).isZero();
    }

    @Test
    void aDestinationDisabledInTheConfigGetsNoEventFromTheNextBatchOn() {
        long first = GwJobs.create()
                .add("src-change", "wk-change", GwJobs.track("c1", "before"))
                .store(jobsDbs)
                .getFirst();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> "succeeded".equals(rows.gw(first).state()));

        String[] changed = SOURCES.clone();
        changed[3] = source(
                "src-change", "wk-change", webhook("d-change", "").replace("\"enabled\": true", "\"enabled\": false"));
        TestWorkspace.rewrite(config, changed);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            configClient.refresh();
            return !configClient
                    .current()
                    .destinationById("d-change")
                    .orElseThrow()
                    .enabled();
        });
        long second = GwJobs.create()
                .add("src-change", "wk-change", GwJobs.track("c1", "after"))
                .store(jobsDbs)
                .getFirst();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> "filtered".equals(rows.gw(second).state()));
        assertThat(rows.rt("src-change"))
                .extracting(r -> body(r).path("event").asString())
                .containsExactly("before");
    }

    private List<String> destinationsOf(String eventName) {
        return rows.rt("src-rules").stream()
                .filter(r -> r.parameters().path("event_name").asString().equals(eventName))
                .map(r -> r.parameters().path("destination_id").asString())
                .toList();
    }

    private long count(String stage) {
        return rows.jdbc()
                .sql("SELECT coalesce(sum(count), 0) FROM proc_stats WHERE source_id = 'src-rules' AND stage = :stage")
                .param("stage", stage)
                .query(Long.class)
                .single();
    }

    private static JsonNode body(QueueRows.Rt rt) {
        return rt.payload().path("body").path("JSON");
    }
}
