package dev.eventpipe.transformer.destination;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.graalvm.polyglot.Source;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import tools.jackson.databind.json.JsonMapper;

/**
 * The destination modules shipped as resources: {@code destinations/<type>/definition.json} and
 * {@code destinations/<type>/transform.js}, plus {@code destinations/lib.js} shared by all. A transform.js is the
 * body of {@code process(message, destination, metadata)} with {@code lib} in scope; it returns one delivery, an
 * array of deliveries, or throws to fail the event. A destination whose definition declares {@code batching} has
 * a {@code batch.js} too: the body of an object literal with {@code key}, {@code limits} and {@code combine} (see
 * {@code dev.eventpipe.transformer.batch}); a missing or unexpected batch.js stops the service at start.
 */
public final class DestinationCatalog {
    private static final String PREFIX =
            "(function(lib){'use strict';" + "return Object.freeze({process(message, destination, metadata){";
    private static final String SUFFIX = "\n}});})(globalThis.__eventpipeDestinationLib)";
    private static final String BATCH_PREFIX = "(function(lib){'use strict';return Object.freeze({";
    private static final String BATCH_SUFFIX = "\n});})(globalThis.__eventpipeDestinationLib)";

    /** One destination: its definition, its module's source and, when it batches, its batch module's source. */
    public record Entry(
            DestinationDefinition definition,
            Source module,
            @Nullable Source batchModule) {}

    private final Map<String, Entry> byName = new TreeMap<>();
    private final Source lib;

    public DestinationCatalog(JsonMapper json) {
        PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver();
        try {
            this.lib = Source.newBuilder("js", read(resolver.getResource("classpath:destinations/lib.js")), "lib.js")
                    .cached(true)
                    .buildLiteral();
            for (Resource definitionFile : resolver.getResources("classpath*:destinations/*/definition.json")) {
                DestinationDefinition definition = json.readValue(read(definitionFile), DestinationDefinition.class);
                Resource script = definitionFile.createRelative("transform.js");
                String name = definition.name().toLowerCase(Locale.ROOT);
                Source module = Source.newBuilder("js", PREFIX + read(script) + SUFFIX, name + "/transform.js")
                        .cached(true)
                        .buildLiteral();
                Source batch = batchModule(definition, definitionFile.createRelative("batch.js"));
                byName.put(definition.name().toUpperCase(Locale.ROOT), new Entry(definition, module, batch));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** By type, case-insensitive: the processor posts to {@code /v0/destinations/webhook} for WEBHOOK. */
    public Optional<Entry> find(String type) {
        return Optional.ofNullable(byName.get(type.toUpperCase(Locale.ROOT)));
    }

    public List<DestinationDefinition> definitions() {
        List<DestinationDefinition> all = new ArrayList<>();
        byName.values().forEach(e -> all.add(e.definition()));
        all.sort(Comparator.comparing(DestinationDefinition::name));
        return all;
    }

    public Source lib() {
        return lib;
    }

    private static @Nullable Source batchModule(DestinationDefinition definition, Resource script) throws IOException {
        if (definition.batching() != script.exists()) {
            throw new IllegalStateException("destination " + definition.name()
                    + (definition.batching()
                            ? " declares batching but has no batch.js"
                            : " has a batch.js but does not declare batching"));
        }
        if (!definition.batching()) {
            return null;
        }
        String name = definition.name().toLowerCase(Locale.ROOT) + "/batch.js";
        return Source.newBuilder("js", BATCH_PREFIX + read(script) + BATCH_SUFFIX, name)
                .cached(true)
                .buildLiteral();
    }

    private static String read(Resource resource) throws IOException {
        try (InputStream in = resource.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
