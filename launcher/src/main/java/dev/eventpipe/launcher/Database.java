package dev.eventpipe.launcher;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * The PostgreSQL of a local run: the server named by {@code JOBS_DB_HOST} (and the other {@code JOBS_DB_*}
 * variables, which the services then read themselves), or else an embedded PostgreSQL (real binaries) whose data
 * stays in {@code .data/postgres}, so queued events survive a restart.
 */
final class Database implements AutoCloseable {
    private static final String DB_NAME = "eventpipe";
    private final EmbeddedPostgres embedded;

    private Database(EmbeddedPostgres embedded) {
        this.embedded = embedded;
    }

    static Database startOrUse(Path data, Map<String, String> env) {
        if (env.get("JOBS_DB_HOST") != null && !env.get("JOBS_DB_HOST").isBlank()) {
            System.out.println("[launcher] using PostgreSQL at " + env.get("JOBS_DB_HOST") + " (JOBS_DB_*)");
            return new Database(null);
        }
        int port = Integer.parseInt(env.getOrDefault("EMBEDDED_PG_PORT", "15432"));
        try {
            Path dir = data.resolve("postgres");
            Files.createDirectories(dir);
            System.out.println("[launcher] starting embedded PostgreSQL on 127.0.0.1:" + port + ", data in " + dir);
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .start();
            createDatabase(pg);
            return new Database(pg);
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start", e);
        }
    }

    private static void createDatabase(EmbeddedPostgres pg) {
        try (Connection c = pg.getPostgresDatabase().getConnection();
                Statement st = c.createStatement()) {
            var rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DB_NAME + "'");
            if (!rs.next()) st.execute("CREATE DATABASE " + DB_NAME);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + DB_NAME, e);
        }
    }

    /** The JOBS_DB_* variables for the services (empty when the operator set them already). */
    Map<String, String> environment() {
        if (embedded == null) return Map.of();
        return Map.of(
                "JOBS_DB_HOST", "127.0.0.1",
                "JOBS_DB_PORT", String.valueOf(embedded.getPort()),
                "JOBS_DB_USER", "postgres",
                "JOBS_DB_PASSWORD", "",
                "JOBS_DB_DB_NAME", DB_NAME);
    }

    @Override
    public void close() {
        if (embedded == null) return;
        try {
            embedded.close();
        } catch (IOException e) {
            System.err.println("[launcher] embedded PostgreSQL did not stop cleanly: " + e);
        }
    }
}
