package dev.eventpipe.configbackend.seed;

import dev.eventpipe.configbackend.Identifiers;
import dev.eventpipe.configbackend.access.Caller;
import dev.eventpipe.configbackend.account.User;
import dev.eventpipe.configbackend.account.Users;
import dev.eventpipe.configbackend.source.Source;
import dev.eventpipe.configbackend.source.Sources;
import dev.eventpipe.configbackend.token.Tokens;
import dev.eventpipe.configbackend.workspace.Workspace;
import dev.eventpipe.configbackend.workspace.Workspaces;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * On first start: creates the first admin when no user exists (from the environment, else with a generated password
 * written to a file only its owner may read, never to the log) and, when no workspace exists, the demo workspace with an HTTP source. Several replicas starting
 * together are serialized by a transaction-scoped advisory lock.
 */
@Component
class FirstStart implements ApplicationRunner {
    private static final Logger log = LoggerFactory.getLogger(FirstStart.class);
    private static final long LOCK_KEY = 0x6570636266L; // "epcbf"

    private final Users users;
    private final Workspaces workspaces;
    private final Sources sources;
    private final Tokens tokens;
    private final AdminProperties admin;
    private final SeedProperties seed;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;

    FirstStart(
            Users users,
            Workspaces workspaces,
            Sources sources,
            Tokens tokens,
            AdminProperties admin,
            SeedProperties seed,
            JdbcClient jdbc,
            TransactionTemplate transactions) {
        this.users = users;
        this.workspaces = workspaces;
        this.sources = sources;
        this.tokens = tokens;
        this.admin = admin;
        this.seed = seed;
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    @Override
    public void run(ApplicationArguments args) {
        transactions.executeWithoutResult(tx -> {
            jdbc.sql("SELECT pg_advisory_xact_lock(:key)")
                    .param("key", LOCK_KEY)
                    .query()
                    .singleRow();
            User first = users.anyExists() ? null : createAdmin();
            if (seed.demoWorkspace() && !workspaces.anyExists()) {
                User owner = first != null ? first : users.byEmail(adminEmail()).orElse(null);
                if (owner != null) seedDemo(owner);
            }
        });
    }

    private User createAdmin() {
        String password = admin.adminPassword();
        boolean generated = password.isBlank();
        if (generated) password = Identifiers.newSecret("");
        User user = users.create(adminEmail(), "Admin", password, true, false);
        if (generated) {
            // never in the log (review P2-4): logs are shipped and kept far longer than a first password
            Path file = keepGeneratedPassword(Path.of(admin.adminPasswordFile()), password);
            log.atWarn()
                    .log(
                            "First admin created: e-mail {}, generated password in {} (readable by this user only;"
                                    + " change the password after logging in, then delete the file)",
                            user.email(),
                            file.toAbsolutePath());
        } else {
            log.atInfo().addKeyValue("email", user.email()).log("first admin created from ADMIN_EMAIL/ADMIN_PASSWORD");
        }
        return user;
    }

    /** Writes the generated first password to a file only its owner may read (0600 where POSIX permissions exist). */
    static Path keepGeneratedPassword(Path file, String password) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            Files.deleteIfExists(file);
            if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(
                        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(file);
            }
            Files.writeString(file, password + "\n");
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot write the first admin's generated password to " + file
                            + ": set ADMIN_PASSWORD, or ADMIN_PASSWORD_FILE to a writable path",
                    e);
        }
    }

    private void seedDemo(User owner) {
        Caller.Person person = new Caller.Person(owner.id(), owner.email(), owner.instanceAdmin(), false);
        Workspace demo = workspaces.create("Demo", person);
        tokens.createWorkspaceToken(demo.id(), "demo data plane", blankToNull(seed.workspaceToken()), person);
        Source source = sources.create(
                demo.id(),
                new Sources.Spec("Demo HTTP source", "HTTP", "", true, "{}"),
                blankToNull(seed.writeKey()),
                person);
        log.atInfo().log(
                """
                        Demo workspace created.
                          UI:              {}
                          write key:       {}   (source "Demo HTTP source")
                          workspace token: {}
                          log in as:       {}""",
                seed.uiAddress(),
                source.writeKey(),
                seed.workspaceToken().isBlank()
                        ? "generated, not shown: the data plane needs WORKSPACE_TOKEN set, or a new workspace token"
                                + " made in the web app"
                        : "from WORKSPACE_TOKEN",
                owner.email());
    }

    private String adminEmail() {
        return admin.adminEmail().isBlank() ? "admin@localhost" : admin.adminEmail();
    }

    private static String blankToNull(String value) {
        return value.isBlank() ? null : value;
    }
}
