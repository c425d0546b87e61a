package dev.eventpipe.configbackend.exchange;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A workspace as code. Objects refer to each other by name, never by id, so a file imports into any workspace.
 * Write keys are not exported; destination secrets are exported masked ({@code ********}), which on import means
 * "keep the current value" (a new workspace needs the real values).
 */
public record WorkspaceExport(
        @NotBlank String format,
        @Nullable String workspace,
        @NotNull List<@Valid TransformationCode> transformations,
        @NotNull List<@Valid SourceCode> sources,
        @NotNull List<@Valid DestinationCode> destinations,
        @NotNull List<@Valid ConnectionCode> connections) {

    public static final String FORMAT = "eventpipe.workspace/v1";

    public record TransformationCode(
            @NotBlank String name,
            @Nullable String description,
            @Nullable String language,
            @NotNull List<@Valid VersionCode> versions) {}

    public record VersionCode(
            @Positive int version, @NotNull String code) {}

    public record SourceCode(
            @NotBlank String name,
            @NotBlank String type,
            @Nullable String category,
            boolean enabled,
            @Nullable JsonNode config) {}

    public record DestinationCode(
            @NotBlank String name,
            @NotBlank String type,
            boolean enabled,
            @NotNull JsonNode config,
            @Nullable VersionRef transformation) {}

    public record VersionRef(
            @NotBlank String name, @Positive int version) {}

    public record ConnectionCode(
            @NotBlank String source, @NotBlank String destination, boolean enabled) {}
}
