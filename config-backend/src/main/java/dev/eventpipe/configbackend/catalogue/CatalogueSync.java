package dev.eventpipe.configbackend.catalogue;

import dev.eventpipe.configbackend.Identifiers;
import dev.eventpipe.model.auth.ServiceToken;
import dev.eventpipe.model.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;

/**
 * Keeps the definitions table in step with the transformer's catalogue: every {@code retryInterval} until the first
 * success, then every {@code interval}. Definitions the transformer no longer declares are kept (destinations may
 * use them); the built-in WEBHOOK definition is overwritten by the transformer's.
 */
@Component
public class CatalogueSync implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(CatalogueSync.class);
    private static final String UPSERT = """
            INSERT INTO cp_destination_definition (id, name, display_name, config_schema, supported_message_types,
                secret_keys, transform_at, batching, origin, updated_at)
            VALUES (:id, :name, :displayName, :schema, :types, :secretKeys, :transformAt, :batching, 'transformer', now())
            ON CONFLICT (name) DO UPDATE SET display_name = excluded.display_name,
                config_schema = excluded.config_schema, supported_message_types = excluded.supported_message_types,
                secret_keys = excluded.secret_keys, transform_at = excluded.transform_at,
                batching = excluded.batching, origin = 'transformer', updated_at = now()
            """;

    private final CatalogueProperties properties;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private @Nullable ScheduledExecutorService scheduler;
    private volatile @Nullable Instant lastSuccess;

    CatalogueSync(CatalogueProperties properties, JdbcClient jdbc, TransactionTemplate transactions) {
        this.properties = properties;
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /** Reads the transformer's catalogue once and stores it; returns how many definitions were declared. */
    public int syncNow() throws Exception {
        URI uri = URI.create(properties.url().replaceAll("/+$", "") + "/destinationDefinitions");
        HttpRequest request = ServiceToken.authorize(HttpRequest.newBuilder(uri))
                .timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json")
                .build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200)
            throw new IllegalStateException("transformer answered " + response.statusCode());
        List<DeclaredDefinition> declared =
                Json.mapper().readValue(response.body(), new TypeReference<List<DeclaredDefinition>>() {});
        transactions.executeWithoutResult(tx -> declared.forEach(this::upsert));
        lastSuccess = Instant.now();
        return declared.size();
    }

    private void upsert(DeclaredDefinition d) {
        jdbc.sql(UPSERT)
                .param("id", Identifiers.newId())
                .param("name", d.name())
                .param("displayName", d.displayName() == null ? d.name() : d.displayName())
                .param("schema", d.configSchema() == null ? "{}" : Json.writeString(d.configSchema()))
                .param("types", d.supportedMessageTypes() == null ? null : Json.writeString(d.supportedMessageTypes()))
                .param("secretKeys", Json.writeString(d.secretKeys() == null ? List.of() : d.secretKeys()))
                .param("transformAt", d.transformAt() == null ? "processor" : d.transformAt())
                .param("batching", d.batching() == null ? null : Json.writeString(d.batching()))
                .update();
    }

    public @Nullable Instant lastSuccess() {
        return lastSuccess;
    }

    private void runAndReschedule() {
        try {
            int count = syncNow();
            log.atInfo().addKeyValue("definitions", count).log("destination catalogue synced: {} definitions", count);
        } catch (Exception e) {
            log.atWarn()
                    .addKeyValue("url", properties.url())
                    .log("destination catalogue sync from {} failed ({}); will retry", properties.url(), e.toString());
        }
        Duration next = lastSuccess == null ? properties.retryInterval() : properties.interval();
        ScheduledExecutorService s = scheduler;
        if (s != null && !s.isShutdown()) s.schedule(this::runAndReschedule, next.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void start() {
        if (!properties.enabled()) return;
        scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofVirtual().name("catalogue-sync").factory());
        scheduler.execute(this::runAndReschedule);
    }

    @Override
    public void stop() {
        ScheduledExecutorService s = scheduler;
        if (s != null) s.shutdownNow();
        scheduler = null;
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }
}
