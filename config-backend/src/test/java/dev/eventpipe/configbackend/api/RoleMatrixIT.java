package dev.eventpipe.configbackend.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.configbackend.Api;
import dev.eventpipe.configbackend.BackendIT;
import dev.eventpipe.configbackend.access.SessionCookie;
import dev.eventpipe.model.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The role × endpoint matrix (issue 14, "Prove it"), derived from the running backend's own OpenAPI document. Every
 * operation of {@code /v3/api-docs} is checked, in one of two ways:
 *
 * <ol>
 *   <li><b>The generated rule</b>, for every operation under {@code /api/v1/workspaces/{workspaceId}}: it is called
 *       without a token, with the web app's session cookie but without its CSRF header (state-changing methods), as
 *       an admin of another workspace (on this workspace's path, and on their own path with this workspace's ids),
 *       and as a viewer, an editor and an admin (not an instance admin) of the workspace. Expected:
 *       <ul>
 *         <li>no token: 401; the cookie without {@value SessionCookie#CSRF_HEADER}: 403 (and the session is still
 *             live afterwards, so the 403 is the CSRF check);
 *         <li>another workspace's admin: 403 or 404, never 2xx, also with this workspace's ids under their own, and
 *             their answer never holds this workspace's name, write key or code;
 *         <li>a role below the operation's minimum: 403;
 *         <li>the lowest role allowed: 2xx (so the 403s below it are the role check, not a bad request), higher
 *             roles: neither 401 nor 403 nor 5xx.
 *       </ul>
 *       The minimum is VIEWER to read (GET) and EDITOR to change, except the admin-only operations listed in
 *       {@link #ADMIN_ONLY}. An endpoint added there without a role check fails without anyone listing it.
 *   <li><b>The table</b> {@link #TABLE}, for every other operation: one or more concrete requests each, with the
 *       status every {@link Who caller} must get. An operation of the document in neither fails
 *       {@link #everyOperationOfTheApiDocumentIsInTheGeneratedRuleOrTheTable()}: a new endpoint cannot go unchecked.
 * </ol>
 *
 * Both are written into {@code docs/role-matrix.md}, and each test fails when its section there differs from what it
 * generated (the test then rewrites the section: review and commit it).
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
    /** The methods the generated rule covers under {@link #PREFIX}; any other method there must be in the table. */
    private static final List<String> RULE_METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE");

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");
    private static final Pattern VARIABLE = Pattern.compile("\\{([^}]+)}");
    private static final List<String> ROLES = List.of("VIEWER", "EDITOR", "ADMIN");
    private static final String CODE = "export function transformEvent(event, metadata) { return event; }";
    private static final Path DOC = Path.of("..", "docs", "role-matrix.md");

    // ---------------------------------------------------------------------------------------------------------------
    // The table: every operation outside /api/v1/workspaces/{workspaceId}
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * The callers of the table, in the order of its columns (and of the calls). "W" is the workspace under test;
     * the instance administrator created it and so is an admin of it as well.
     */
    enum Who {
        NONE("no credentials"),
        COOKIE_NO_CSRF("session cookie, no CSRF header"),
        VIEWER("viewer"),
        EDITOR("editor"),
        ADMIN("admin"),
        OTHER_ADMIN("other ws admin"),
        INSTANCE_ADMIN("instance admin"),
        API_TOKEN("API token (ADMIN)"),
        WRITE_KEY("write key"),
        WORKSPACE_TOKEN("ws token"),
        OTHER_WORKSPACE_TOKEN("other ws token"),
        INSTANCE_SECRET("instance secret");

        final String column;

        Who(String column) {
            this.column = column;
        }

        boolean isPerson() {
            return this == VIEWER || this == EDITOR || this == ADMIN || this == OTHER_ADMIN || this == INSTANCE_ADMIN;
        }

        /** Callers outside W: whatever they are answered must not hold W's data they did not send themselves. */
        boolean outsider() {
            return this == NONE || this == OTHER_ADMIN || this == OTHER_WORKSPACE_TOKEN;
        }
    }

    /** The body of one case's request for one caller (null: none). */
    @FunctionalInterface
    interface BodyFor {
        @Nullable
        Object of(Who who, Global g);
    }

    /**
     * One request of the table: the document's operation (method and path), the concrete URL ({@code {W}} is the
     * workspace under test, {@code {V}} a transformation version of it), what each caller must get (one cell per
     * {@link Who}, in order: a status, {@code a|b} for either, {@code –} for "not called": the cookie column on a safe
     * method), and why.
     */
    record Case(
            String method,
            String operation,
            String url,
            String cells,
            @Nullable BodyFor body,
            boolean freshSession,
            String why) {
        List<String> expected() {
            List<String> out = List.of(cells.trim().split("\\s+"));
            if (out.size() != Who.values().length)
                throw new IllegalStateException(
                        method + " " + url + ": " + out.size() + " cells, not " + Who.values().length);
            return out;
        }

        String expected(Who who) {
            return expected().get(who.ordinal());
        }
    }

    /**
     * A row: {@code spec} is the method and the document's path, then the URL called when it is not that path;
     * {@code cells} one expected answer per {@link Who}, in order.
     */
    private static Case row(String spec, String cells, String why) {
        return row(spec, cells, null, why);
    }

    private static Case row(String spec, String cells, @Nullable BodyFor body, String why) {
        String[] s = spec.split(" ");
        return new Case(s[0], s[1], s.length > 2 ? s[2] : s[1], cells, body, false, why);
    }

    /** A row whose people each call with a session of their own, opened for it (the call ends it). */
    private static Case ending(String spec, String cells, String why) {
        Case c = row(spec, cells, why);
        return new Case(c.method(), c.operation(), c.url(), c.cells(), null, true, why);
    }

    private static final String RELAY = "/api/v1/dataplane/{service}/**";
    private static final String RECENT_JOBS = " /api/v1/dataplane/router/api/v1/jobs/recent";
    private static final String REPLAY = " /api/v1/dataplane/router/api/v1/failed-events/replay";

    /**
     * Every operation of the document outside the generated rule, with what each caller must get. The columns (see
     * {@link Who}): no credentials | session cookie without the CSRF header (state-changing methods only) | viewer
     * | editor | admin of W | admin of another workspace | instance admin | W's ADMIN API token | W's write key
     * (Basic) | W's workspace token (Basic) | another workspace's token (Basic) | the instance-wide data-plane secret
     * (Basic). The rows run in this order; the log-outs come last (log-out-all ends every session of the account).
     */
    static final List<Case> TABLE = List.of(
            // cells: none, cookie, viewer, editor, admin, other ws admin, instance admin, API token, write key,
            // workspace token, other workspace's token, instance secret
            row("GET /api/v1/workspaces", "401 – 200 200 200 200 200 200 401 401 401 401", "each caller sees its own"),
            row(
                    "POST /api/v1/workspaces",
                    "401 403 403 403 403 403 201 403 401 401 401 401",
                    (who, g) -> Map.of("name", "Matrix made by " + who),
                    "instance administrators only"),
            row("GET /api/v1/instance", "401 – 200 200 200 200 200 200 401 401 401 401", "the gateway's address"),
            row(
                    "GET /api/v1/suite/health",
                    "401 – 200 200 200 200 200 200 401 401 401 401",
                    "config versions of the caller's own workspaces only"),
            row("GET /api/v1/destination-definitions", "401 – 200 200 200 200 200 200 401 401 401 401", "catalogue"),
            row(
                    "GET /api/v1/destination-definitions/{name} /api/v1/destination-definitions/WEBHOOK",
                    "401 – 200 200 200 200 200 200 401 401 401 401",
                    "catalogue"),
            row("GET /api/v1/auth/session", "200 – 200 200 200 200 200 200 200 200 200 200", "open; user or null"),
            row("GET /api/v1/auth/me", "401 – 200 200 200 200 200 200 401 401 401 401", "the caller itself"),
            row(
                    "POST /api/v1/auth/login",
                    "200 403 200 200 200 200 200 200 200 200 200 200",
                    (who, g) -> Map.of("email", g.otherAdminEmail(), "password", "password-of-" + g.otherAdminEmail()),
                    "open (sent: the other workspace admin's e-mail and password)"),
            row(
                    "PUT /api/v1/auth/password",
                    "401 403 400 400 400 400 400 403 401 401 401 401",
                    (who, g) -> Map.of("currentPassword", "not-the-password", "newPassword", "matrix-new-password"),
                    "people only (400: the current password sent is wrong, so nothing changes)"),
            row(
                    "POST /api/v1/invitations/accept",
                    "202 403 404 404 404 404 404 403 202 202 202 202",
                    (who, g) -> Map.of("token", g.invitationFor(who), "password", "takeover-password"),
                    "a new invitation to W per caller, for an existing account that is not the caller's: only its"
                            + " owner, logged in, joins; anonymously (Basic is no log-in here) the same 202 as for an"
                            + " address without an account, and no session, membership or password change"),
            row(
                    "GET /workspaceConfig /workspaceConfig?fetchAll=true",
                    "401 – 401 401 401 401 401 401 401 200 200 403",
                    "a workspace token: its own workspace's config (another workspace's token: its own, without W)"),
            row(
                    "GET /transformation/getByVersionId /transformation/getByVersionId?versionId={V}",
                    "401 – 401 401 401 401 401 401 401 200 404 200",
                    "a version of W: W's token or the instance secret"),
            row(
                    "GET /data-plane/v1/namespaces/{namespace}/config /data-plane/v1/namespaces/default/config",
                    "401 – 401 401 401 401 401 401 401 403 403 200",
                    "every workspace's config: the instance secret only"),
            row("GET /sourceConfig", "401 – 401 401 401 401 401 401 200 401 401 401", "a write key only"),
            row("GET /sourceConfig/", "401 – 401 401 401 401 401 401 200 401 401 401", "a write key only"),
            row("GET /health", "200 – 200 200 200 200 200 200 200 200 200 200", "open: readiness"),
            row("GET /health/live", "200 – 200 200 200 200 200 200 200 200 200 200", "open: liveness"),
            row(
                    "GET " + RELAY + RECENT_JOBS + "?workspaceId={W}",
                    "401 – 200 200 200 404 200 200 401 401 401 401",
                    "relay, a listed read: VIEWER in the workspace named"),
            row(
                    "GET " + RELAY + RECENT_JOBS,
                    "401 – 400 400 400 400 400 400 401 401 401 401",
                    "relay: a workspace is required"),
            row(
                    "GET " + RELAY + " /api/v1/dataplane/router/api/v1/jobs?workspaceId={W}",
                    "401 – 404 404 404 404 404 404 401 401 401 401",
                    "relay: a route not on the allow-list is not forwarded"),
            row(
                    "HEAD " + RELAY + RECENT_JOBS + "?workspaceId={W}",
                    "401 – 404 404 404 404 404 404 401 401 401 401",
                    "relay: only the listed methods"),
            row(
                    "OPTIONS " + RELAY + RECENT_JOBS + "?workspaceId={W}",
                    "401 – 200 200 200 200 200 200 401 401 401 401",
                    "relay: Spring answers OPTIONS itself (an Allow header, no body); nothing is forwarded"),
            row(
                    "POST " + RELAY + REPLAY + "?workspaceId={W}",
                    "401 403 403 200 200 404 200 200 401 401 401 401",
                    (who, g) -> Map.of("ids", List.of()),
                    "relay, a listed change: EDITOR in the workspace named"),
            row(
                    "POST " + RELAY + " /api/v1/dataplane/transformer/transformation/test",
                    "401 403 403 200 200 200 200 200 401 401 401 401",
                    (who, g) -> Map.of("code", CODE, "events", List.of()),
                    "relay, the code test: EDITOR in any workspace (it reads no workspace's data)"),
            row(
                    "PUT " + RELAY + REPLAY + "?workspaceId={W}",
                    "401 403 404 404 404 404 404 404 401 401 401 401",
                    (who, g) -> Map.of(),
                    "relay: only the listed methods"),
            row(
                    "PATCH " + RELAY + REPLAY + "?workspaceId={W}",
                    "401 403 404 404 404 404 404 404 401 401 401 401",
                    (who, g) -> Map.of(),
                    "relay: only the listed methods"),
            row(
                    "DELETE " + RELAY + REPLAY + "?workspaceId={W}",
                    "401 403 404 404 404 404 404 404 401 401 401 401",
                    "relay: only the listed methods"),
            ending(
                    "POST /api/v1/auth/logout",
                    "401 403 204 204 204 204 204 403 401 401 401 401",
                    "people only (each with a session opened for this call)"),
            ending(
                    "POST /api/v1/auth/logout-all",
                    "401 403 204 204 204 204 204 403 401 401 401 401",
                    "people only; ends every session of the account, so it runs last"));

    private final AtomicInteger unique = new AtomicInteger();

    // ---------------------------------------------------------------------------------------------------------------
    // 1. The generated rule: every operation under /api/v1/workspaces/{workspaceId}
    // ---------------------------------------------------------------------------------------------------------------

    /** What one operation answered to each caller; {@code cookieWithoutCsrf} only for state-changing methods. */
    private record Row(
            String method,
            String path,
            String minimum,
            int anonymous,
            @Nullable Integer cookieWithoutCsrf,
            int otherWorkspace,
            @Nullable Integer otherWorkspaceWithOurIds,
            Map<String, Integer> byRole,
            List<String> problems) {}

    /**
     * The workspace under test, its members and one of each resource, another workspace with its admin, and the
     * session cookie of the instance administrator (an admin of the workspace, who created it).
     */
    private record Fixture(
            String workspace,
            String other,
            Map<String, Api> members,
            Api otherAdmin,
            String cookie,
            Map<String, String> ids,
            Map<String, String> queryValues,
            JsonNode export,
            List<String> secrets) {}

    @Test
    void everyWorkspaceOperationEnforcesItsRoleAndNoOtherWorkspaceReachesIt() throws IOException {
        Api root = admin();
        JsonNode document = anonymous().get("/v3/api-docs").body();
        Fixture f = fixture(root);

        List<String[]> operations = new ArrayList<>();
        for (String[] op : operations(document)) if (inRule(op[0], op[1])) operations.add(op);
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
        failures.addAll(checkDoc("workspace operations", workspaceSection(rows)));
        assertThat(failures)
                .as("operations that do not enforce their role, or docs/role-matrix.md out of date")
                .isEmpty();
    }

    /** Whether the generated rule covers the operation: under {@link #PREFIX}, with one of {@link #RULE_METHODS}. */
    private static boolean inRule(String method, String path) {
        return (path.equals(PREFIX) || path.startsWith(PREFIX + "/")) && RULE_METHODS.contains(method);
    }

    /** Every operation of the document as (method, path), methods upper-case, in the document's order. */
    private static List<String[]> operations(JsonNode document) {
        List<String[]> out = new ArrayList<>();
        document.path("paths")
                .properties()
                .forEach(p -> p.getValue().properties().forEach(m -> {
                    String key = m.getKey().toUpperCase(Locale.ROOT);
                    // a path item may also hold "parameters", "summary", …: only HTTP methods are operations
                    if (Set.of("GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE")
                            .contains(key)) out.add(new String[] {key, p.getKey()});
                }));
        return out;
    }

    private Row probe(String method, String path, JsonNode document, Fixture f) {
        JsonNode operation = document.path("paths").path(path).path(method.toLowerCase(Locale.ROOT));
        String minimum = ADMIN_ONLY.stream().anyMatch(a -> a.matches(method, path))
                ? "ADMIN"
                : method.equals("GET") ? "VIEWER" : "EDITOR";
        String op = method + " " + path;
        List<String> problems = new ArrayList<>();
        @Nullable Object body = body(operation, document, f);
        String ours = url(path, operation, f.workspace(), f);
        int anonymous = anonymous().call(method, ours, body).status();
        Integer cookie = null;
        if (!SAFE_METHODS.contains(method)) {
            cookie =
                    anonymous().call(method, ours, body, cookieOnly(f.cookie())).status();
            problems.addAll(sessionStillLive(op, f.cookie()));
        }
        Api.Reply other = f.otherAdmin().call(method, ours, body);
        problems.addAll(leaks(op + " by another workspace's admin", ours, body, other, f.secrets()));
        Integer withOurIds = null;
        if (VARIABLE.matcher(path.substring(PREFIX.length())).find()) {
            String theirs = url(path, operation, f.other(), f);
            Api.Reply reply = f.otherAdmin().call(method, theirs, body);
            withOurIds = reply.status();
            problems.addAll(
                    leaks(op + " by another workspace's admin, with our ids", theirs, body, reply, f.secrets()));
        }
        Map<String, Integer> byRole = new LinkedHashMap<>();
        for (String role : ROLES) {
            Api.Reply reply = f.members().get(role).call(method, ours, body);
            byRole.put(role, reply.status());
        }
        return new Row(method, path, minimum, anonymous, cookie, other.status(), withOurIds, byRole, problems);
    }

    private static List<String> judge(Row row) {
        List<String> problems = new ArrayList<>(row.problems());
        String op = row.method() + " " + row.path();
        if (row.anonymous() != 401) problems.add(op + " without a token answered " + row.anonymous());
        if (row.cookieWithoutCsrf() != null && row.cookieWithoutCsrf() != 403)
            problems.add(op + " with the session cookie but no " + SessionCookie.CSRF_HEADER + " answered "
                    + row.cookieWithoutCsrf() + ", expected 403");
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

    // ---------------------------------------------------------------------------------------------------------------
    // 2. The table: every other operation
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * The table's world: workspace W (with a source, a transformation version and an ADMIN API token) and its viewer,
     * editor and admin; another workspace with its admin and token; the instance administrator's session cookie; an
     * existing account outside W (the invitations' addressee); and the invitations made for each caller.
     */
    record Global(
            Api root,
            String workspace,
            String version,
            String otherAdminEmail,
            String victimEmail,
            Map<Who, Api> callers,
            Map<Who, String> emails,
            String cookie,
            List<String> secrets,
            Map<Who, String> invitations) {
        /** A new invitation to W, for the victim's address, kept for the checks after the row. */
        String invitationFor(Who who) {
            Api.Reply invited = root.post(
                    "/api/v1/workspaces/" + workspace + "/members", Map.of("email", victimEmail, "role", "EDITOR"));
            assertThat(invited.status()).as(invited.text()).isEqualTo(201);
            String token = invited.body().at("/invitation/token").asString();
            assertThat(token).as(invited.text()).startsWith("epi_");
            invitations.put(who, token);
            return token;
        }
    }

    @Test
    void everyOtherOperationAnswersEachCallerAsTheTableSays() throws IOException {
        Global g = global();
        List<String> failures = new ArrayList<>();
        for (Case c : TABLE) {
            String url = c.url().replace("{W}", g.workspace()).replace("{V}", g.version());
            for (Who who : Who.values()) {
                String expected = c.expected(who);
                String op = c.method() + " " + c.url() + " as " + who.column;
                if (expected.equals("–")) {
                    if (!SAFE_METHODS.contains(c.method()))
                        failures.add(op + ": a state-changing method must be tried with the cookie (expect 403)");
                    continue;
                }
                if (who == Who.COOKIE_NO_CSRF && !expected.equals("403"))
                    failures.add(op + ": the cookie without the CSRF header must be refused (403), the table says "
                            + expected);
                @Nullable Object body = c.body() == null ? null : c.body().of(who, g);
                Api.Reply reply;
                if (who == Who.COOKIE_NO_CSRF) {
                    reply = anonymous().call(c.method(), url, body, cookieOnly(g.cookie()));
                    failures.addAll(sessionStillLive(op, g.cookie()));
                } else {
                    Api caller = c.freshSession() && who.isPerson()
                            ? anonymous()
                                    .login(
                                            g.emails().get(who),
                                            password(who, g.emails().get(who)))
                            : g.callers().get(who);
                    reply = caller.call(c.method(), url, body);
                }
                if (!List.of(expected.split("\\|")).contains(String.valueOf(reply.status())))
                    failures.add(op + " answered " + reply.status() + ", the table says " + expected + ": "
                            + abbreviate(reply.text()));
                if (who.outsider()) {
                    // an invitation to W is W's credential: it names W's id to whoever holds it, nothing else of W
                    List<String> secrets = c.operation().equals("/api/v1/invitations/accept")
                            ? g.secrets().stream()
                                    .filter(x -> !x.equals(g.workspace()))
                                    .toList()
                            : g.secrets();
                    failures.addAll(leaks(op, url, body, reply, secrets));
                }
                if (c.operation().equals("/api/v1/invitations/accept")) {
                    if (reply.headers().allValues("Set-Cookie").stream().anyMatch(s -> s.contains(SessionCookie.NAME)))
                        failures.add(op + " set a session cookie");
                    if (reply.body().has("token")) failures.add(op + " answered a token");
                }
            }
            if (c.operation().equals("/api/v1/invitations/accept")) failures.addAll(onlyTheOwnerJoins(g));
        }
        failures.addAll(checkDoc("every other operation", tableSection()));
        assertThat(failures)
                .as("operations that do not answer as the table says, or docs/role-matrix.md out of date")
                .isEmpty();
    }

    /**
     * After every caller tried an invitation for the victim's address: the victim is no member of W and their password
     * is theirs; the invitation a viewer was refused still works for the victim, logged in (so the 404s above were
     * about who called, not a broken token).
     */
    private List<String> onlyTheOwnerJoins(Global g) {
        List<String> problems = new ArrayList<>();
        String members =
                g.root().get("/api/v1/workspaces/" + g.workspace() + "/members").text();
        if (members.contains(g.victimEmail())) problems.add("an invitation made the victim a member of W: " + members);
        int takeover = anonymous()
                .post("/api/v1/auth/login", Map.of("email", g.victimEmail(), "password", "takeover-password"))
                .status();
        if (takeover != 401) problems.add("the password sent with an invitation logs the victim in: " + takeover);
        Api victim = anonymous().login(g.victimEmail(), "password-of-" + g.victimEmail());
        Api.Reply joined = victim.post(
                "/api/v1/invitations/accept", Map.of("token", g.invitations().get(Who.VIEWER)));
        if (joined.status() != 200)
            problems.add(
                    "the invitation's owner, logged in, could not accept it: " + joined.status() + " " + joined.text());
        return problems;
    }

    @Test
    void everyOperationOfTheApiDocumentIsInTheGeneratedRuleOrTheTable() {
        JsonNode document = anonymous().get("/v3/api-docs").body();
        List<String[]> operations = operations(document);
        assertThat(operations).as("the document's operations").hasSizeGreaterThan(50);
        Set<String> inTable = new LinkedHashSet<>();
        for (Case c : TABLE) inTable.add(c.method() + " " + c.operation());
        Set<String> inDocument = new LinkedHashSet<>();
        List<String> unchecked = new ArrayList<>();
        for (String[] op : operations) {
            String key = op[0] + " " + op[1];
            inDocument.add(key);
            if (!inRule(op[0], op[1]) && !inTable.contains(key)) unchecked.add(key);
        }
        assertThat(unchecked)
                .as("operations of /v3/api-docs in neither the generated rule nor RoleMatrixIT.TABLE: add them")
                .isEmpty();
        assertThat(inTable.stream().filter(k -> !inDocument.contains(k)).toList())
                .as("rows of RoleMatrixIT.TABLE for operations the document no longer has")
                .isEmpty();
        assertThat(TABLE.stream()
                        .filter(c -> inRule(c.method(), c.operation()))
                        .map(c -> c.method() + " " + c.operation())
                        .toList())
                .as("rows of the table that the generated rule already covers")
                .isEmpty();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Helpers of both
    // ---------------------------------------------------------------------------------------------------------------

    /** Only the web app's session cookie: no Authorization, no CSRF header. */
    private static Map<String, String> cookieOnly(String cookie) {
        return Map.of("Cookie", SessionCookie.NAME + "=" + cookie);
    }

    /** The refused cookie's session still works for a read: the 403 was the CSRF check, not a dead session. */
    private List<String> sessionStillLive(String op, String cookie) {
        int status = anonymous().get("/api/v1/auth/me", cookieOnly(cookie)).status();
        return status == 200
                ? List.of()
                : List.of(op + ": the cookie's session no longer reads /api/v1/auth/me (" + status + ")");
    }

    /** The web app's log-in: the session token from the cookie the answer sets. */
    private String webSession(String email, String password) {
        Api.Reply login = anonymous()
                .post(
                        "/api/v1/auth/login",
                        Map.of("email", email, "password", password),
                        Map.of(SessionCookie.CSRF_HEADER, "1"));
        assertThat(login.status()).as(login.text()).isEqualTo(200);
        String prefix = SessionCookie.NAME + "=";
        String cookie = login.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith(prefix))
                .findFirst()
                .orElseThrow();
        return cookie.substring(prefix.length(), cookie.indexOf(';'));
    }

    /**
     * What an outsider must not be answered: W's data (its name, a source's id and write key, its code) unless the
     * caller sent it in the request.
     */
    private static List<String> leaks(
            String op, String url, @Nullable Object body, Api.Reply reply, List<String> secrets) {
        String sent = url + (body == null ? "" : Json.writeString(body));
        return secrets.stream()
                .filter(s -> reply.text().contains(s) && !sent.contains(s))
                .map(s -> op + " answered W's " + s + ": " + abbreviate(reply.text()))
                .toList();
    }

    private static String password(Who who, String email) {
        return who == Who.INSTANCE_ADMIN ? ADMIN_PASSWORD : "password-of-" + email;
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }

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
        String name = "Matrix " + System.nanoTime();
        String workspace = newWorkspace(root, name);
        String other = newWorkspace(root, "Matrix other " + System.nanoTime());
        Map<String, Api> members = new LinkedHashMap<>();
        for (String role : ROLES)
            members.put(
                    role,
                    member(root, workspace, role.toLowerCase(Locale.ROOT) + System.nanoTime() + "@test.local", role));
        Api otherAdmin = member(root, other, "other-admin" + System.nanoTime() + "@test.local", "ADMIN");

        Map<String, String> ids = new LinkedHashMap<>();
        String base = "/api/v1/workspaces/" + workspace;
        Api.Reply source = root.post(base + "/sources", Map.of("name", "Matrix source"));
        ids.put("sources", id(source));
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
        String writeKey = source.body().path("writeKey").asString();
        assertThat(writeKey).as(source.text()).isNotBlank();
        return new Fixture(
                workspace,
                other,
                members,
                otherAdmin,
                webSession(ADMIN_EMAIL, ADMIN_PASSWORD),
                ids,
                query,
                export,
                List.of(name, writeKey));
    }

    /** The world of the table; see {@link Global}. */
    private Global global() {
        Api root = admin();
        String marker = "matrix-marker-" + System.nanoTime();
        String name = "Matrix table " + System.nanoTime();
        String workspace = newWorkspace(root, name);
        String other = newWorkspace(root, "Matrix table other " + System.nanoTime());
        Map<Who, Api> callers = new EnumMap<>(Who.class);
        Map<Who, String> emails = new EnumMap<>(Who.class);
        for (Who who : List.of(Who.VIEWER, Who.EDITOR, Who.ADMIN, Who.OTHER_ADMIN)) {
            String email = who.name().toLowerCase(Locale.ROOT).replace('_', '-') + System.nanoTime() + "@test.local";
            String role = who == Who.VIEWER ? "VIEWER" : who == Who.EDITOR ? "EDITOR" : "ADMIN";
            callers.put(who, member(root, who == Who.OTHER_ADMIN ? other : workspace, email, role));
            emails.put(who, email);
        }
        emails.put(Who.INSTANCE_ADMIN, ADMIN_EMAIL);
        callers.put(Who.INSTANCE_ADMIN, root);
        callers.put(Who.NONE, anonymous());

        String base = "/api/v1/workspaces/" + workspace;
        Api.Reply source = root.post(base + "/sources", Map.of("name", "Matrix table source"));
        assertThat(source.status()).as(source.text()).isEqualTo(201);
        String code = "// " + marker + "\n" + CODE;
        Api.Reply transformation = root.post(base + "/transformations", Map.of("name", "Matrix table", "code", code));
        assertThat(transformation.status()).as(transformation.text()).isEqualTo(201);
        Api.Reply version = root.post(
                base + "/transformations/" + transformation.body().path("id").asString() + "/versions",
                Map.of("code", code));
        assertThat(version.status()).as(version.text()).isEqualTo(201);
        Api.Reply apiToken = root.post(base + "/api-tokens", Map.of("name", "matrix table", "role", "ADMIN"));
        assertThat(apiToken.status()).as(apiToken.text()).isEqualTo(201);
        callers.put(
                Who.API_TOKEN, anonymous().bearer(apiToken.body().path("value").asString()));
        String writeKey = source.body().path("writeKey").asString();
        callers.put(Who.WRITE_KEY, anonymous().basic(writeKey));
        callers.put(Who.WORKSPACE_TOKEN, anonymous().basic(workspaceToken(root, workspace)));
        callers.put(Who.OTHER_WORKSPACE_TOKEN, anonymous().basic(workspaceToken(root, other)));
        callers.put(Who.INSTANCE_SECRET, anonymous().basic(INSTANCE_SECRET));

        String victimEmail = "victim" + System.nanoTime() + "@test.local";
        member(root, other, victimEmail, "VIEWER");
        return new Global(
                root,
                workspace,
                version.body().path("id").asString(),
                emails.get(Who.OTHER_ADMIN),
                victimEmail,
                callers,
                emails,
                webSession(ADMIN_EMAIL, ADMIN_PASSWORD),
                List.of(workspace, name, source.body().path("id").asString(), writeKey, marker),
                new EnumMap<>(Who.class));
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

    // ---------------------------------------------------------------------------------------------------------------
    // docs/role-matrix.md
    // ---------------------------------------------------------------------------------------------------------------

    private static String workspaceSection(List<Row> rows) {
        StringBuilder out = new StringBuilder();
        out.append("Generated from `/v3/api-docs`: every operation under `")
                .append(PREFIX)
                .append("` (written `…` below). Each cell is the HTTP status one caller got. *cookie* is the")
                .append(" instance administrator's session cookie (an admin of the workspace) without the")
                .append(" `")
                .append(SessionCookie.CSRF_HEADER)
                .append("` header, state-changing methods only. *other ws* is an admin of another workspace on")
                .append(" this workspace's path; *other ws, our ids* the same admin on their own workspace's path with")
                .append(" this workspace's resource ids (paths with ids only). Calls run in the order listed, each")
                .append(
                        " row's callers left to right, so an editor's successful DELETE leaves the admin a 404. The test")
                .append(" fails unless: no token is 401; the cookie without the header is 403 (and its session still")
                .append(" reads afterwards); another workspace is 403/404, never 2xx, and is never answered this")
                .append(" workspace's name or write key; a role below the minimum is 403; the minimum role gets 2xx;")
                .append(" higher roles are not 401/403/5xx.\n\n")
                .append("| operation | minimum | no token | cookie, no CSRF header | other ws | other ws, our ids")
                .append(" | viewer | editor | admin |\n")
                .append("|---|---|---|---|---|---|---|---|---|\n");
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
                    .append(r.cookieWithoutCsrf() == null ? "–" : r.cookieWithoutCsrf())
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
        return out.toString();
    }

    /** The table as the test holds it: expected answers (the test fails on any other). */
    static String tableSection() {
        StringBuilder out = new StringBuilder();
        out.append("The test's own table (`RoleMatrixIT.TABLE`) of the answer each caller must get; the test fails on")
                .append(" any other answer, and on any operation of `/v3/api-docs` that is neither under `")
                .append(PREFIX)
                .append("` nor in this table. `W` is the workspace under test; `a|b`: either; `–`: not called (the")
                .append(" cookie column is for state-changing methods). Columns: no credentials; the instance")
                .append(" administrator's session cookie without `")
                .append(SessionCookie.CSRF_HEADER)
                .append("`; viewer, editor, admin of W (people logged in, bearer session); an admin of another")
                .append(" workspace; the instance administrator (an admin of W too); an ADMIN API token of W; W's")
                .append(" write key, W's workspace token, another workspace's token and the instance-wide data-plane")
                .append(" secret (`HOSTED_SERVICE_SECRET`), each as Basic auth. Callers outside W (no credentials,")
                .append(
                        " the other workspace's admin and token) must never be answered W's id, name, source, write key")
                .append(" or code unless they sent it (an invitation to W names W's id to whoever holds it).\n\n")
                .append("| operation | request |");
        for (Who who : Who.values()) out.append(' ').append(who.column).append(" |");
        out.append(" why |\n|---|---|");
        for (int i = 0; i < Who.values().length; i++) out.append("---|");
        out.append("---|\n");
        for (Case c : TABLE) {
            out.append("| `")
                    .append(c.method())
                    .append(' ')
                    .append(c.operation())
                    .append("` | `")
                    .append(c.url())
                    .append("` |");
            for (String cell : c.expected())
                out.append(' ').append(cell.replace("|", "\\|")).append(" |");
            out.append(' ').append(c.why().replace("|", "\\|")).append(" |\n");
        }
        return out.toString();
    }

    /**
     * Compares the doc's section with what the test made; when they differ, rewrites the section and answers the
     * difference as a failure (review and commit the file). Outside the repository (no {@code ../docs}), nothing.
     */
    private static List<String> checkDoc(String section, String content) throws IOException {
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "role-matrix-" + section.replace(' ', '-') + ".md"), content);
        if (!Files.isDirectory(DOC.getParent())) return List.of();
        String begin = "<!-- RoleMatrixIT: " + section + " -->\n";
        String end = "<!-- RoleMatrixIT: end of " + section + " -->";
        String doc = Files.exists(DOC) ? Files.readString(DOC) : "";
        int from = doc.indexOf(begin);
        int to = doc.indexOf(end);
        if (from < 0 || to < from)
            return List.of("docs/role-matrix.md has no section '" + begin.trim() + "' … '" + end + "'");
        String current = doc.substring(from + begin.length(), to);
        if (current.equals(content)) return List.of();
        Files.writeString(DOC, doc.substring(0, from + begin.length()) + content + doc.substring(to));
        return List.of("docs/role-matrix.md's section '" + section
                + "' differed from what the test found; the test rewrote it: review and commit it");
    }
}
