package dev.eventpipe.transformer.user;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Transformation code by version id, fetched from the config backend
 * ({@code GET /transformation/getByVersionId?versionId=}) and kept while it is among the most recently used: a
 * version never changes. Only found code is cached; a miss or an outage is asked again next time.
 */
public final class CodeStore {
    private static final Logger log = LoggerFactory.getLogger(CodeStore.class);

    private final ConfigBackendProperties properties;
    private final HttpClient http;
    private final JsonMapper json;
    private final Map<String, UserCode> cache;

    /** @param maxVersions versions kept in memory; the least recently used is dropped first (and fetched again) */
    public CodeStore(ConfigBackendProperties properties, int maxVersions, JsonMapper json) {
        this.cache = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, UserCode> eldest) {
                return size() > maxVersions;
            }
        });
        this.properties = properties;
        this.json = json;
        this.http = HttpClient.newBuilder()
                .connectTimeout(properties.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    CodeLookup lookup(String versionId) {
        UserCode cached = cache.get(versionId);
        if (cached != null) {
            return new CodeLookup.Found(cached);
        }
        CodeLookup fetched = fetch(versionId);
        if (fetched instanceof CodeLookup.Found(UserCode code)) {
            cache.putIfAbsent(versionId, code);
        }
        return fetched;
    }

    /** Keeps {@code code} as the code of {@code versionId} without asking the config backend (benchmark). */
    public void preload(String versionId, String code) {
        cache.put(versionId, UserCode.ofVersion(versionId, code));
    }

    public int cachedVersions() {
        return cache.size();
    }

    private CodeLookup fetch(String versionId) {
        String url = properties.url().replaceAll("/+$", "") + "/transformation/getByVersionId?versionId="
                + URLEncoder.encode(versionId, StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(properties.timeout())
                .GET();
        if (!properties.workspaceToken().isBlank()) {
            String basic = Base64.getEncoder()
                    .encodeToString((properties.workspaceToken() + ":").getBytes(StandardCharsets.UTF_8));
            request.header("Authorization", "Basic " + basic);
        }
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return answer(versionId, response.statusCode(), response.body());
        } catch (IOException e) {
            log.atWarn().addKeyValue("versionId", versionId).log("config backend unreachable: {}", e.toString());
            return new CodeLookup.Unavailable("config backend unreachable: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new CodeLookup.Unavailable("interrupted while fetching the transformation");
        }
    }

    /**
     * Whose version it is: its workspace (our config backend names it), else its transformation ({@code id}, as
     * RudderStack's answer has it), else nobody known (the version is judged alone).
     */
    private static @Nullable String owner(JsonNode answer) {
        String workspace = answer.path("workspaceId").asString("");
        if (!workspace.isBlank()) {
            return "workspace " + workspace;
        }
        String transformation = answer.path("id").asString("");
        return transformation.isBlank() ? null : "transformation " + transformation;
    }

    private CodeLookup answer(String versionId, int status, byte[] body) {
        if (status >= 500 || status == 401 || status == 403 || status == 429) {
            log.atWarn()
                    .addKeyValue("versionId", versionId)
                    .addKeyValue("status", status)
                    .log("config backend refused the transformation fetch");
            return new CodeLookup.Unavailable("config backend answered " + status);
        }
        if (status != 200) {
            return new CodeLookup.Missing(
                    "Transformation version " + versionId + " not found (config backend answered " + status + ")");
        }
        try {
            JsonNode node = json.readTree(body);
            String language = node.path("language").asString("javascript");
            if (!"javascript".equalsIgnoreCase(language)) {
                return new CodeLookup.Missing("Transformation language " + language + " is not supported");
            }
            JsonNode code = node.path("code");
            if (!code.isString()) {
                return new CodeLookup.Missing("Transformation version " + versionId + " has no code");
            }
            return new CodeLookup.Found(UserCode.ofVersion(versionId, owner(node), code.asString()));
        } catch (JacksonException e) {
            return new CodeLookup.Unavailable("config backend answered invalid JSON");
        }
    }
}
