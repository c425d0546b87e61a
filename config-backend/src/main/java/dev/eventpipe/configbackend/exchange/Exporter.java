package dev.eventpipe.configbackend.exchange;

import dev.eventpipe.configbackend.connection.Connections;
import dev.eventpipe.configbackend.destination.Destination;
import dev.eventpipe.configbackend.destination.Destinations;
import dev.eventpipe.configbackend.exchange.WorkspaceExport.ConnectionCode;
import dev.eventpipe.configbackend.exchange.WorkspaceExport.DestinationCode;
import dev.eventpipe.configbackend.exchange.WorkspaceExport.SourceCode;
import dev.eventpipe.configbackend.exchange.WorkspaceExport.TransformationCode;
import dev.eventpipe.configbackend.exchange.WorkspaceExport.VersionCode;
import dev.eventpipe.configbackend.exchange.WorkspaceExport.VersionRef;
import dev.eventpipe.configbackend.source.Source;
import dev.eventpipe.configbackend.source.Sources;
import dev.eventpipe.configbackend.transformation.Transformation;
import dev.eventpipe.configbackend.transformation.TransformationVersion;
import dev.eventpipe.configbackend.transformation.Transformations;
import dev.eventpipe.configbackend.workspace.Workspaces;
import dev.eventpipe.model.json.Json;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Writes a workspace as a {@link WorkspaceExport}, in a stable order so that files diff well in git. */
@Component
class Exporter {
    private final Workspaces workspaces;
    private final Sources sources;
    private final Destinations destinations;
    private final Connections connections;
    private final Transformations transformations;

    Exporter(
            Workspaces workspaces,
            Sources sources,
            Destinations destinations,
            Connections connections,
            Transformations transformations) {
        this.workspaces = workspaces;
        this.sources = sources;
        this.destinations = destinations;
        this.connections = connections;
        this.transformations = transformations;
    }

    @Transactional(readOnly = true)
    WorkspaceExport export(String workspaceId) {
        Map<String, VersionRef> versionRefs = new HashMap<>();
        List<TransformationCode> transformationCodes = transformations.list(workspaceId).stream()
                .map(t -> transformation(t, versionRefs))
                .toList();
        Map<String, String> sourceNames = new HashMap<>();
        List<SourceCode> sourceCodes = sources.list(workspaceId).stream()
                .peek(s -> sourceNames.put(s.id(), s.name()))
                .map(Exporter::source)
                .toList();
        Map<String, String> destinationNames = new HashMap<>();
        List<DestinationCode> destinationCodes = destinations.list(workspaceId).stream()
                .peek(d -> destinationNames.put(d.id(), d.name()))
                .map(d -> destination(d, versionRefs))
                .toList();
        List<ConnectionCode> connectionCodes = connections.list(workspaceId).stream()
                .map(c -> new ConnectionCode(
                        sourceNames.get(c.sourceId()), destinationNames.get(c.destinationId()), c.enabled()))
                .sorted(Comparator.comparing(ConnectionCode::source).thenComparing(ConnectionCode::destination))
                .toList();
        return new WorkspaceExport(
                WorkspaceExport.FORMAT,
                workspaces.get(workspaceId).name(),
                transformationCodes,
                sourceCodes,
                destinationCodes,
                connectionCodes);
    }

    private TransformationCode transformation(Transformation t, Map<String, VersionRef> refs) {
        List<TransformationVersion> versions = transformations.versions(t);
        versions.forEach(v -> refs.put(v.id(), new VersionRef(t.name(), v.number())));
        return new TransformationCode(
                t.name(),
                t.description(),
                t.language(),
                versions.stream()
                        .map(v -> new VersionCode(v.number(), v.code()))
                        .toList());
    }

    private static SourceCode source(Source s) {
        return new SourceCode(
                s.name(),
                s.sourceType(),
                s.category(),
                s.enabled(),
                Json.mapper().readTree(s.config()));
    }

    private DestinationCode destination(Destination d, Map<String, VersionRef> refs) {
        VersionRef ref = d.transformationVersionId() == null ? null : refs.get(d.transformationVersionId());
        return new DestinationCode(d.name(), d.definitionName(), d.enabled(), destinations.maskedConfig(d), ref);
    }
}
