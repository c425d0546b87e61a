package dev.eventpipe.configbackend.dataplane;

import dev.eventpipe.configbackend.catalogue.DefinitionRepository;
import dev.eventpipe.configbackend.catalogue.DestinationDefinition;
import dev.eventpipe.configbackend.connection.Connection;
import dev.eventpipe.configbackend.connection.ConnectionRepository;
import dev.eventpipe.configbackend.dataplane.ConfigDocument.ConnectionDoc;
import dev.eventpipe.configbackend.dataplane.ConfigDocument.DefinitionConfigDoc;
import dev.eventpipe.configbackend.dataplane.ConfigDocument.DefinitionDoc;
import dev.eventpipe.configbackend.dataplane.ConfigDocument.DestinationDoc;
import dev.eventpipe.configbackend.dataplane.ConfigDocument.SourceDefinitionDoc;
import dev.eventpipe.configbackend.dataplane.ConfigDocument.SourceDoc;
import dev.eventpipe.configbackend.dataplane.ConfigDocument.TransformationDoc;
import dev.eventpipe.configbackend.destination.Destination;
import dev.eventpipe.configbackend.destination.Destinations;
import dev.eventpipe.configbackend.source.Source;
import dev.eventpipe.configbackend.source.Sources;
import dev.eventpipe.configbackend.transformation.TransformationVersion;
import dev.eventpipe.configbackend.transformation.VersionRepository;
import dev.eventpipe.configbackend.workspace.Workspace;
import dev.eventpipe.configbackend.workspace.Workspaces;
import dev.eventpipe.model.json.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Builds a workspace's config for the data plane: every source (enabled or not, sorted by id like RudderStack) with
 * the destinations its enabled connections reach, secrets decrypted, each with its definition and pinned
 * transformation version.
 */
@Component
class WorkspaceConfigAssembler {
    private final Workspaces workspaces;
    private final Sources sources;
    private final Destinations destinations;
    private final ConnectionRepository connections;
    private final DefinitionRepository definitions;
    private final VersionRepository versions;

    WorkspaceConfigAssembler(
            Workspaces workspaces,
            Sources sources,
            Destinations destinations,
            ConnectionRepository connections,
            DefinitionRepository definitions,
            VersionRepository versions) {
        this.workspaces = workspaces;
        this.sources = sources;
        this.destinations = destinations;
        this.connections = connections;
        this.definitions = definitions;
        this.versions = versions;
    }

    @Transactional(readOnly = true)
    ConfigDocument assemble(String workspaceId) {
        Workspace workspace = workspaces.get(workspaceId);
        Map<String, DestinationDefinition> defs =
                definitions.findAll().stream().collect(Collectors.toMap(DestinationDefinition::name, d -> d));
        Map<String, DestinationDoc> destinationDocs = new LinkedHashMap<>();
        for (Destination d : destinations.list(workspaceId)) destinationDocs.put(d.id(), destination(d, defs));
        List<Connection> enabled = connections.findByWorkspaceId(workspaceId).stream()
                .filter(Connection::enabled)
                .sorted(Comparator.comparing(Connection::id)) // a stable order keeps the ETag stable
                .toList();
        Map<String, ConnectionDoc> connectionDocs = new LinkedHashMap<>();
        for (Connection c : enabled) {
            connectionDocs.put(c.id(), new ConnectionDoc(c.sourceId(), c.destinationId(), true, Map.of(), true));
        }
        List<SourceDoc> sourceDocs = sources.list(workspaceId).stream()
                .sorted(Comparator.comparing(Source::id))
                .map(s -> source(
                        s,
                        enabled.stream()
                                .filter(c -> c.sourceId().equals(s.id()))
                                .map(c -> destinationDocs.get(c.destinationId()))
                                .toList()))
                .toList();
        return new ConfigDocument(
                workspaceId,
                workspace.updatedAt().toString(),
                sourceDocs,
                connectionDocs,
                List.of(),
                Map.of(),
                Map.of("eventAuditEnabled", false),
                false);
    }

    private static SourceDoc source(Source s, List<DestinationDoc> destinations) {
        var definition = new SourceDefinitionDoc(
                "def-" + s.sourceType(), s.sourceType(), s.sourceType(), s.category(), s.sourceType());
        return new SourceDoc(
                s.id(),
                "",
                s.name(),
                s.writeKey(),
                s.enabled(),
                s.workspaceId(),
                Json.mapper().readTree(s.config()),
                false,
                definition,
                new ArrayList<>(destinations));
    }

    private DestinationDoc destination(Destination d, Map<String, DestinationDefinition> defs) {
        DestinationDefinition def = defs.get(d.definitionName());
        var definition = new DefinitionDoc(
                def.id(),
                def.name(),
                def.displayName(),
                new DefinitionConfigDoc(
                        Map.of("defaultConfig", fieldNames(def)),
                        def.messageTypes(),
                        def.secretPaths(),
                        def.transformAt()));
        List<TransformationDoc> transformations = d.transformationVersionId() == null
                ? List.of()
                : versions.findById(d.transformationVersionId()).map(WorkspaceConfigAssembler::transformation).stream()
                        .toList();
        return new DestinationDoc(
                d.id(),
                "",
                d.name(),
                d.enabled(),
                d.workspaceId(),
                true,
                d.revisionId(),
                destinations.clearConfig(d),
                definition,
                transformations);
    }

    private static List<String> fieldNames(DestinationDefinition def) {
        List<String> names = new ArrayList<>();
        def.schema().path("properties").propertyNames().forEach(names::add);
        return names;
    }

    private static TransformationDoc transformation(TransformationVersion v) {
        return new TransformationDoc(v.transformationId(), v.id(), v.language(), Map.of());
    }
}
