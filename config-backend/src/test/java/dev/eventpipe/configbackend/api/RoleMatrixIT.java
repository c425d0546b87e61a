package dev.eventpipe.configbackend.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.configbackend.Api;
import dev.eventpipe.configbackend.BackendIT;
import dev.eventpipe.model.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The role × endpoint matrix (issue 14, "Prove it"), derived from the running backend's own OpenAPI document: every
 * operation under {@code /api/v1/workspaces/{workspaceId}} is called without a token, as an admin of another
 * workspace (on this workspace's path, and on their own path with this workspace's ids), and as a viewer, an
 * editor and an admin (not an instance admin) of the workspace. Expected:
 * <ul>
 *   <li>no token: 401;
 *   <li>another workspace's admin: 403 or 404, never 2xx, also with this workspace's ids under their own;
 *   <li>a role below the operation's minimum: 403;
 *   <li>the lowest role allowed: 2xx (so the 403s below it are the role check, not a bad request), higher
 *       roles: neither 401 nor 403 nor 5xx.
 * </ul>
 * The minimum is VIEWER to read (GET) and EDITOR to change, except the admin-only operations listed in
 * {@link #ADMIN_ONLY}. An endpoint added without a role check fails here (a viewer's write would not be 403,
 * another workspace's call would succeed) without anyone listing it. The matrix is written to
 * {@code docs/role-matrix.md} at every run.
 */
class RoleMatrixIT extends BackendIT {
    /**
     * The operations that need ADMIN rather than the default role, as (method, path pattern): managing members,
     * API tokens and workspace (data-plane) tokens, renaming and deleting the workspace. Reading the member list
     * stays VIEWER (the web app shows it to everyone).
     */
    private static final List<AdminOnly> ADMIN_ONLY = List.of(
            new AdminOnly("POST|PATCH|DELETE", "/members(/.*)?"),
            new AdminOnly("GET|POST|DELETE", "/api-tokens(/.*)?"),
            new AdminOnly("GET|POST|DELETE", "/workspace-tokens(/.*)?"),
            new AdminOnly("PATCH|DELETE", ""));

    private record AdminOnly(String methods, String rest) {
        boolean matches(String method, String path) {
            String below = path.substring(PREFIX.length());
            return method.matches(methods) && below.matches(rest);
        }
    }

    private static final String PREFIX = "/api/v1/workspaces/{workspaceId}";
    private static final Pattern VARIABLE = Pattern.compile("\\{([^}]+)}");
    private static final List<String> ROLES = List.of("VIEWER", "EDITOR", "ADMIN");
    private static final String CODE = "export function transformEvent(event, metadata) { return event; }";

    private final AtomicInteger unique = new AtomicInteger();

    /** What one operation answered to each caller. */
    private record Row(
            String method,
            String path,
            String minimum,
            int anonymous,
            int otherWorkspace,
            @Nullable Integer otherWorkspaceWithOurIds,
            Map<String, Integer> byRole) {}

    /** The workspace under test, its members and one of each resource, and another workspace with its admin. */
    private record Fixture(
            String workspace,
            String other,
            Map<String, Api> members,
            Api otherAdmin,
            Map<String, String> ids,
            Map<String, String> queryValues,
            JsonNode export) {}

    @Test
    void everyWorkspaceOperationEnforcesItsRoleAndNoOtherWorkspaceReachesIt() throws IOException {
        Api root = admin();
        JsonNode document = anonymous().get("/v3/api-docs").body();
        Fixture f = fixture(root);

        List<String[]> operations = new ArrayList<>();
        document.path("paths").properties().forEach(p -> {
            if (!p.getKey().startsWith(PREFIX)) return;
            p.getValue().properties().forEach(m -> {
                String method = m.getKey().toUpperCase(Locale.ROOT);
                if (List.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(method))
                    operations.add(new String[] {method, p.getKey()});
            });
        });
        // changes before deletions; deletions deepest first (a connection before its source), the workspace last
        operations.sort(Comparator.<String[]>comparingInt(o -> o[0].equals("DELETE") ? 1 : 0)
                .thenComparingInt(o -> o[0].equals("DELETE") ? -o[1].split("/").length : 0)
                .thenComparing(o -> o[1])
                .thenComparing(o -> o[0]));
        assertThat(operations).as("operations under " + PREFIX).hasSizeGreaterThan(30);

        List<Row> rows = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (String[] op : operations) {
            Row row = probe(op[0], op[1], document, f);
            rows.add(row);
            failures.addAll(judge(row));
        }
        write(rows);
        assertThat(failures)
                .as("operations that do not enforce their role (docs/role-matrix.md)")
                .isEmpty();
    }

    private Row probe(String method, String path, JsonNode document, Fixture f) {
        JsonNode operation = document.path("paths").path(path).path(method.toLowerCase(Locale.ROOT));
        String minimum = ADMIN_ONLY.stream().anyMatch(a -> a.matches(method, path))
                ? "ADMIN"
                : method.equals("GET") ? "VIEWER" : "EDITOR";
        @Nullable Object body = body(operation, document, f);
        String ours = url(path, operation, f.workspace(), f);
        int anonymous = anonymous().call(method, ours, body).status();
        int otherWorkspace = f.otherAdmin().call(method, ours, body).status();
        Integer withOurIds = null;
        if (VARIABLE.matcher(path.substring(PREFIX.length())).find())
            withOurIds = f.otherAdmin()
                    .call(method, url(path, operation, f.other(), f), body)
                    .status();
        Map<String, Integer> byRole = new LinkedHashMap<>();
        for (String role : ROLES) {
            Api.Reply reply = f.members().get(role).call(method, ours, body);
            byRole.put(role, reply.status());
        }
        return new Row(method, path, minimum, anonymous, otherWorkspace, withOurIds, byRole);
    }

    private static List<String> judge(Row row) {
        List<String> problems = new ArrayList<>();
        String op = row.method() + " " + row.path();
        if (row.anonymous() != 401) problems.add(op + " without a token answered " + row.anonymous());
        if (row.otherWorkspace() != 403 && row.otherWorkspace() != 404)
            problems.add(op + " by another workspace's admin answered " + row.otherWorkspace());
        if (row.otherWorkspaceWithOurIds() != null && row.otherWorkspaceWithOurIds() / 100 == 2)
            problems.add(op + " by another workspace's admin, in their workspace with our ids, answered "
                    + row.otherWorkspaceWithOurIds());
        int minimum = ROLES.indexOf(row.minimum());
        for (int i = 0; i < ROLES.size(); i++) {
            int status = row.byRole().get(ROLES.get(i));
            String who = op + " as " + ROLES.get(i) + " answered " + status;
            if (i < minimum && status != 403) problems.add(who + ", expected 403 (needs " + row.minimum() + ")");
            if (i == minimum && status / 100 != 2)
                problems.add(who + ", expected 2xx (the lowest role allowed; a 4xx here proves nothing about roles)");
            if (i > minimum && (status == 401 || status == 403 || status >= 500))
                problems.add(who + ", expected neither 401, 403 nor 5xx");
        }
        return problems;
    }

    /** The path with this fixture's ids (the workspace given), and the required query parameters. */
    private static String url(String path, JsonNode operation, String workspace, Fixture f) {
        List<String> segments = List.of(path.split("/"));
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < segments.size(); i++) {
            String s = segments.get(i);
            Matcher m = VARIABLE.matcher(s);
            out.append('/');
            if (!m.matches()) out.append(s);
            else if (m.group(1).equals("workspaceId")) out.append(workspace);
            // another id: the fixture's resource of the collection it follows (…/sources/{sourceId})
            else out.append(f.ids().getOrDefault(segments.get(i - 1), "no-such-" + m.group(1)));
        }
        List<String> query = new ArrayList<>();
        for (JsonNode p : operation.path("parameters")) {
            if (p.path("in").asString().equals("query") && p.path("required").asBoolean(false)) {
                String name = p.path("name").asString();
                query.add(name + "=" + f.queryValues().getOrDefault(name, "x"));
            }
        }
        return out + (query.isEmpty() ? "" : "?" + String.join("&", query));
    }

    /**
     * A request body the lowest allowed role's call is accepted with: the workspace's own export for an import,
     * else the required properties of the body's schema, filled by name from the fixture or by type.
     */
    private @Nullable Object body(JsonNode operation, JsonNode document, Fixture f) {
        JsonNode schema = operation
                .path("requestBody")
                .path("content")
                .path("application/json")
                .path("schema");
        if (schema.isMissingNode()) return null;
        String name = schema.path("$ref").asString("").replaceAll(".*/", "");
        if (name.equals("WorkspaceExport")) return f.export();
        if (name.equals("DestinationRequest"))
            return Map.of(
                    "name",
                    "Matrix " + unique.incrementAndGet(),
                    "type",
                    "WEBHOOK",
                    "config",
                    Map.of("webhookUrl", "https://example.com/matrix"));
        return example(resolve(schema, document), document, "", f);
    }

    private Object example(JsonNode schema, JsonNode document, String property, Fixture f) {
        switch (property) {
            case "sourceId" -> {
                return f.ids().get("sources");
            }
            case "destinationId" -> {
                return f.ids().get("unconnected-destination");
            }
            case "email" -> {
                return "matrix" + unique.incrementAndGet() + "@test.local";
            }
            case "code" -> {
                return CODE;
            }
            case "name" -> {
                return "Matrix " + unique.incrementAndGet();
            }
            default -> {}
        }
        if (schema.has("enum")) return schema.path("enum").get(0).asString();
        String type = type(schema);
        return switch (type) {
            case "object" -> {
                ObjectNode out = Json.mapper().createObjectNode();
                for (JsonNode required : schema.path("required")) {
                    String key = required.asString();
                    out.set(
                            key,
                            Json.mapper()
                                    .valueToTree(example(
                                            resolve(schema.path("properties").path(key), document), document, key, f)));
                }
                yield out;
            }
            case "boolean" -> true;
            case "integer", "number" -> 1;
            case "array" -> List.of();
            default -> "matrix";
        };
    }

    private static String type(JsonNode schema) {
        JsonNode type = schema.path("type");
        if (type.isArray()) {
            for (JsonNode t : type) if (!t.asString().equals("null")) return t.asString();
        }
        if (type.isString()) return type.asString();
        return schema.has("properties") ? "object" : "string";
    }

    private static JsonNode resolve(JsonNode schema, JsonNode document) {
        String ref = schema.path("$ref").asString("");
        if (ref.isEmpty()) return schema;
        return document.at(ref.substring(1));
    }

    private Fixture fixture(Api root) {
        String workspace = newWorkspace(root, "Matrix " + System.nanoTime());
        String other = newWorkspace(root, "Matrix other " + System.nanoTime());
        Map<String, Api> members = new LinkedHashMap<>();
        for (String role : ROLES)
            members.put(
                    role,
                    member(root, workspace, role.toLowerCase(Locale.ROOT) + System.nanoTime() + "@test.local", role));
        Api otherAdmin = member(root, other, "other-admin" + System.nanoTime() + "@test.local", "ADMIN");

        Map<String, String> ids = new LinkedHashMap<>();
        String base = "/api/v1/workspaces/" + workspace;
        ids.put("sources", id(root.post(base + "/sources", Map.of("name", "Matrix source"))));
        Map<String, Object> hook = Map.of("webhookUrl", "https://example.com/matrix");
        ids.put(
                "destinations",
                id(root.post(
                        base + "/destinations", Map.of("name", "Matrix hook", "type", "WEBHOOK", "config", hook))));
        ids.put(
                "unconnected-destination",
                id(root.post(
                        base + "/destinations", Map.of("name", "Matrix spare", "type", "WEBHOOK", "config", hook))));
        ids.put(
                "connections",
                id(root.post(
                        base + "/connections",
                        Map.of("sourceId", ids.get("sources"), "destinationId", ids.get("destinations")))));
        Api.Reply transformation =
                root.post(base + "/transformations", Map.of("name", "Matrix transformation", "code", CODE));
        ids.put("transformations", id(transformation));
        String version = id(
                root.post(base + "/transformations/" + ids.get("transformations") + "/versions", Map.of("code", CODE)));
        ids.put("versions", version);
        String victimEmail = "victim" + System.nanoTime() + "@test.local";
        Api.Reply victim = root.post(
                base + "/members", Map.of("email", victimEmail, "role", "VIEWER", "password", "victim-password-123"));
        assertThat(victim.status()).as(victim.text()).isEqualTo(201);
        ids.put("members", victim.body().path("member").path("userId").asString());
        ids.put("api-tokens", id(root.post(base + "/api-tokens", Map.of("name", "matrix", "role", "VIEWER"))));
        ids.put("workspace-tokens", id(root.post(base + "/workspace-tokens", Map.of("name", "matrix"))));
        Map<String, String> query = Map.of("from", version, "to", version);
        JsonNode export = root.get(base + "/export").body();
        return new Fixture(workspace, other, members, otherAdmin, ids, query, export);
    }

    private static String id(Api.Reply reply) {
        assertThat(reply.status()).as(reply.text()).isBetween(200, 201);
        // a token is answered as {token: {id, …}, value}
        String id = reply.body()
                .path("id")
                .asString(reply.body().path("token").path("id").asString(""));
        assertThat(id).as(reply.text()).isNotEmpty();
        return id;
    }

    private static void write(List<Row> rows) throws IOException {
        StringBuilder out = new StringBuilder();
        out.append("# Role × endpoint matrix of the config backend\n\n")
                .append(
                        "Generated by `RoleMatrixIT` (config-backend) from the running backend's `/v3/api-docs`; do not")
                .append(" edit by hand: run\n`./mvnw -B verify -pl config-backend -am -Dtest=none")
                .append(" -Dit.test=RoleMatrixIT -Dsurefire.failIfNoSpecifiedTests=false` and commit the result.\n\n")
                .append("Each cell is the HTTP status one caller got. *other ws* is an admin of another workspace on")
                .append(" this workspace's path; *other ws, our ids* the same admin on their own workspace's path")
                .append(" with this workspace's resource ids (paths with ids only). Calls run in the order listed,")
                .append(" each row's callers left to right, so an editor's successful DELETE leaves the admin a 404.")
                .append(" The test fails unless: no token is 401; another workspace is 403/404 and never 2xx; a role")
                .append(" below the minimum is 403; the minimum role gets 2xx; higher roles are not 401/403/5xx.\n\n")
                .append("| operation | minimum | no token | other ws | other ws, our ids | viewer | editor | admin |\n")
                .append("|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            out.append("| `")
                    .append(r.method())
                    .append(' ')
                    .append(r.path().replace(PREFIX, "…"))
                    .append("` | ")
                    .append(r.minimum())
                    .append(" | ")
                    .append(r.anonymous())
                    .append(" | ")
                    .append(r.otherWorkspace())
                    .append(" | ")
                    .append(r.otherWorkspaceWithOurIds() == null ? "–" : r.otherWorkspaceWithOurIds())
                    .append(" | ")
                    .append(r.byRole().get("VIEWER"))
                    .append(" | ")
                    .append(r.byRole().get("EDITOR"))
                    .append(" | ")
                    .append(r.byRole().get("ADMIN"))
                    .append(" |\n");
        }
        out.append("\n`…` stands for `").append(PREFIX).append("`.\n");
        Path docs = Path.of("..", "docs");
        if (Files.isDirectory(docs)) Files.writeString(docs.resolve("role-matrix.md"), out.toString());
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "role-matrix.md"), out.toString());
    }
}
