package dev.eventpipe.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * A real PostgreSQL for tests, found in this order: the server named by {@code TEST_JDBC_URL} (CI starts the
 * machine's server); else a Testcontainers PostgreSQL when a Docker engine exists; else an embedded PostgreSQL
 * (zonky, real binaries). The server is started once per JVM; every call of {@link #newDatabase()} creates a fresh,
 * empty database on it, so test classes never see each other's rows.
 */
public final class TestPostgres {
    private static final Logger log = LoggerFactory.getLogger(TestPostgres.class);
    private static final Pattern URL = Pattern.compile("jdbc:postgresql://([^/]+)/([^?]*)(\\?.*)?");
    private static volatile Server server;
    private static final java.util.List<String> created = new java.util.concurrent.CopyOnWriteArrayList<>();

    private record Server(String hostPort, String adminDb, String params, String user, String password) {
        String url(String db) {
            return "jdbc:postgresql://" + hostPort + "/" + db + params;
        }
    }

    /** A database, ready to use. */
    public record Database(String url, String user, String password) {
        public Connection connect() throws SQLException {
            return DriverManager.getConnection(url, user, password);
        }
    }

    private TestPostgres() {}

    /** Creates an empty database on the shared test server. */
    public static Database newDatabase() {
        Server s = server();
        String name = "t_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        try (Connection c = DriverManager.getConnection(s.url(s.adminDb()), s.user(), s.password());
                Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
            created.add(name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database on " + s.hostPort(), e);
        }
        return new Database(s.url(name), s.user(), s.password());
    }

    /** Points a Spring test context at a new database. */
    public static Database register(DynamicPropertyRegistry registry) {
        Database db = newDatabase();
        registry.add("spring.datasource.url", db::url);
        registry.add("spring.datasource.username", db::user);
        registry.add("spring.datasource.password", db::password);
        return db;
    }

    /** Where the test server was found: for the log line that tells a reader how the suite ran. */
    public static String describe() {
        return server().hostPort();
    }

    private static Server server() {
        Server s = server;
        if (s != null) return s;
        synchronized (TestPostgres.class) {
            if (server == null) server = start();
            return server;
        }
    }

    /** Drops the databases this JVM created, so a shared server does not fill up run after run. */
    private static void dropCreated(Server s) {
        try (Connection c = DriverManager.getConnection(s.url(s.adminDb()), s.user(), s.password());
                Statement st = c.createStatement()) {
            for (String name : created) st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            log.warn("could not drop test databases: {}", e.getMessage());
        }
    }

    private static Server start() {
        Server s = find();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> dropCreated(s), "drop-test-databases"));
        return s;
    }

    private static Server find() {
        String url = System.getenv("TEST_JDBC_URL");
        if (url != null && !url.isBlank()) {
            Matcher m = URL.matcher(url);
            if (!m.matches())
                throw new IllegalArgumentException("TEST_JDBC_URL must look like jdbc:postgresql://host:port/db");
            String user = envOr("TEST_JDBC_USER", "postgres");
            String password = envOr("TEST_JDBC_PASSWORD", "");
            log.info("tests use the PostgreSQL at {} (TEST_JDBC_URL)", m.group(1));
            return new Server(m.group(1), m.group(2), m.group(3) == null ? "" : m.group(3), user, password);
        }
        if (dockerAvailable()) {
            PostgreSQLContainer container = new PostgreSQLContainer("postgres:17");
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
            log.info("tests use a Testcontainers PostgreSQL");
            return new Server(
                    container.getHost() + ":" + container.getMappedPort(5432),
                    container.getDatabaseName(),
                    "",
                    container.getUsername(),
                    container.getPassword());
        }
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    pg.close();
                } catch (IOException ignored) {
                    // the JVM is exiting; the temporary cluster goes with it
                }
            }));
            log.info("tests use an embedded PostgreSQL on port {}", pg.getPort());
            return new Server("localhost:" + pg.getPort(), "postgres", "", "postgres", "");
        } catch (IOException e) {
            throw new IllegalStateException("no TEST_JDBC_URL, no Docker, and embedded PostgreSQL failed", e);
        }
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    private static String envOr(String name, String fallback) {
        String v = System.getenv(name);
        return v == null ? fallback : v;
    }
}
