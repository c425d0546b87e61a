package dev.eventpipe.configbackend.exchange;

import dev.eventpipe.configbackend.access.Caller;
import dev.eventpipe.configbackend.connection.Connection;
import dev.eventpipe.configbackend.connection.ConnectionRepository;
import dev.eventpipe.configbackend.connection.Connections;
import dev.eventpipe.configbackend.destination.Destination;
import dev.eventpipe.configbackend.destination.DestinationRepository;
import dev.eventpipe.configbackend.destination.Destinations;
import dev.eventpipe.configbackend.exchange.WorkspaceExport.ConnectionCode;
import dev.eventpipe.configbackend.exchange.WorkspaceExport.DestinationCode;
import dev.eventpipe.configbackend.exchange.WorkspaceExport.SourceCode;
import dev.eventpipe.configbackend.exchange.WorkspaceExport.TransformationCode;
import dev.eventpipe.configbackend.exchange.WorkspaceExport.VersionCode;
import dev.eventpipe.configbackend.source.Source;
import dev.eventpipe.configbackend.source.SourceRepository;
import dev.eventpipe.configbackend.source.Sources;
import dev.eventpipe.configbackend.transformation.Transformation;
import dev.eventpipe.configbackend.transformation.TransformationVersion;
import dev.eventpipe.configbackend.transformation.Transformations;
import dev.eventpipe.configbackend.web.ApiException;
import dev.eventpipe.model.json.Json;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Applies a {@link WorkspaceExport} to a workspace in one transaction: objects are matched by name, created when
 * missing and changed only where they differ, so importing the same file twice changes nothing the second time.
 * Objects absent from the file are left alone; existing transformation versions must carry the same code.
 */
@Component
class Importer {
    /** What an import did. */
    record Result(int created, int updated, int unchanged) {
        Result plus(Outcome outcome) {
            return switch (outcome) {
                case CREATED -> new Result(created + 1, updated, unchanged);
                case UPDATED -> new Result(created, updated + 1, unchanged);
                case UNCHANGED -> new Result(created, updated, unchanged + 1);
            };
        }
    }

    enum Outcome {
        CREATED,
        UPDATED,
        UNCHANGED
    }

    private final Transformations transformations;
    private final Sources sources;
    private final SourceRepository sourceRepository;
    private final Destinations destinations;
    private final DestinationRepository destinationRepository;
    private final Connections connections;
    private final ConnectionRepository connectionRepository;

    Importer(
            Transformations transformations,
            Sources sources,
            SourceRepository sourceRepository,
            Destinations destinations,
            DestinationRepository destinationRepository,
            Connections connections,
            ConnectionRepository connectionRepository) {
        this.transformations = transformations;
        this.sources = sources;
        this.sourceRepository = sourceRepository;
        this.destinations = destinations;
        this.destinationRepository = destinationRepository;
        this.connections = connections;
        this.connectionRepository = connectionRepository;
    }

    @Transactional
    Result apply(String workspaceId, WorkspaceExport file, Caller actor) {
        if (!WorkspaceExport.FORMAT.equals(file.format())) {
            throw new ApiException.Invalid("format", "expected " + WorkspaceExport.FORMAT);
        }
        Result result = new Result(0, 0, 0);
        for (TransformationCode t : file.transformations()) result = transformation(workspaceId, t, actor, result);
        for (SourceCode s : file.sources()) result = result.plus(source(workspaceId, s, actor));
        for (DestinationCode d : file.destinations()) result = result.plus(destination(workspaceId, d, actor));
        for (ConnectionCode c : file.connections()) result = result.plus(connection(workspaceId, c, actor));
        return result;
    }

    private Result transformation(String workspaceId, TransformationCode code, Caller actor, Result result) {
        Optional<Transformation> existing = transformations.byName(workspaceId, code.name());
        String description = code.description() == null ? "" : code.description();
        Transformation t = existing.orElseGet(() -> transformations.create(
                workspaceId,
                code.name(),
                description,
                code.language() == null ? "javascript" : code.language(),
                actor));
        Outcome outcome = existing.isEmpty() ? Outcome.CREATED : Outcome.UNCHANGED;
        if (existing.isPresent() && transformations.describe(t, code.name(), description, actor) != t) {
            outcome = Outcome.UPDATED;
        }
        List<TransformationVersion> versions = transformations.versions(t);
        for (VersionCode v : code.versions().stream()
                .sorted(Comparator.comparingInt(VersionCode::version))
                .toList()) {
            Optional<TransformationVersion> same =
                    versions.stream().filter(x -> x.number() == v.version()).findFirst();
            if (same.isPresent()) {
                if (!same.get().code().equals(v.code())) {
                    throw new ApiException.Conflict("version " + v.version() + " of transformation " + code.name()
                            + " exists with other code; versions are immutable");
                }
                continue;
            }
            int next = transformations.latest(t).map(x -> x.number() + 1).orElse(1);
            if (v.version() != next) {
                throw new ApiException.Invalid(
                        "transformations." + code.name() + ".versions", "version " + v.version() + " must be " + next);
            }
            transformations.addVersion(t, v.code(), actor);
            if (outcome == Outcome.UNCHANGED) outcome = Outcome.UPDATED;
        }
        return result.plus(outcome);
    }

    private Outcome source(String workspaceId, SourceCode code, Caller actor) {
        String config = Json.writeString(code.config() == null ? JsonNodeFactory.instance.objectNode() : code.config());
        var spec = new Sources.Spec(
                code.name(), code.type(), code.category() == null ? "" : code.category(), code.enabled(), config);
        Optional<Source> existing = sourceRepository.findByWorkspaceIdAndName(workspaceId, code.name());
        if (existing.isEmpty()) {
            sources.create(workspaceId, spec, null, actor);
            return Outcome.CREATED;
        }
        Source s = existing.get();
        boolean same = s.sourceType().equals(spec.type())
                && s.category().equals(spec.category())
                && s.enabled() == spec.enabled()
                && Json.mapper().readTree(s.config()).equals(Json.mapper().readTree(config));
        if (same) return Outcome.UNCHANGED;
        sources.update(s, spec, actor);
        return Outcome.UPDATED;
    }

    private Outcome destination(String workspaceId, DestinationCode code, Caller actor) {
        String versionId = versionId(workspaceId, code);
        var spec = new Destinations.Spec(code.name(), code.type(), code.config(), code.enabled(), versionId);
        Optional<Destination> existing = destinationRepository.findByWorkspaceIdAndName(workspaceId, code.name());
        if (existing.isEmpty()) {
            destinations.create(workspaceId, spec, actor);
            return Outcome.CREATED;
        }
        return destinations.update(existing.get(), spec, actor) == existing.get() ? Outcome.UNCHANGED : Outcome.UPDATED;
    }

    private @Nullable String versionId(String workspaceId, DestinationCode code) {
        var ref = code.transformation();
        if (ref == null) return null;
        Transformation t = transformations
                .byName(workspaceId, ref.name())
                .orElseThrow(() -> new ApiException.Invalid(
                        "destinations." + code.name() + ".transformation", "unknown transformation " + ref.name()));
        return transformations.versions(t).stream()
                .filter(v -> v.number() == ref.version())
                .findFirst()
                .map(TransformationVersion::id)
                .orElseThrow(() -> new ApiException.Invalid(
                        "destinations." + code.name() + ".transformation", "unknown version " + ref.version()));
    }

    private Outcome connection(String workspaceId, ConnectionCode code, Caller actor) {
        Source source = sourceRepository
                .findByWorkspaceIdAndName(workspaceId, code.source())
                .orElseThrow(() -> new ApiException.Invalid("connections.source", "unknown source " + code.source()));
        Destination destination = destinationRepository
                .findByWorkspaceIdAndName(workspaceId, code.destination())
                .orElseThrow(() -> new ApiException.Invalid(
                        "connections.destination", "unknown destination " + code.destination()));
        Optional<Connection> existing =
                connectionRepository.findBySourceIdAndDestinationId(source.id(), destination.id());
        if (existing.isEmpty()) {
            connections.create(workspaceId, source.id(), destination.id(), code.enabled(), actor);
            return Outcome.CREATED;
        }
        return connections.setEnabled(existing.get(), code.enabled(), actor) == existing.get()
                ? Outcome.UNCHANGED
                : Outcome.UPDATED;
    }
}
