package dev.eventpipe.warehouse.load;

import dev.eventpipe.model.egress.EgressPolicy;
import dev.eventpipe.model.egress.EgressRefusedException;
import dev.eventpipe.warehouse.schema.Names;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * A POSTGRES destination's connection, from its config as RudderStack names it: {@code host}, {@code port},
 * {@code database}, {@code user}, {@code password}, {@code namespace} (the schema; default the source name in
 * snake case), {@code sslMode} ({@code disable}, {@code require}: encrypted, server not verified, or
 * {@code verify-ca}: encrypted and the server's certificate checked against {@code serverCA}). The host is a
 * tenant's choice: every connection is checked against the egress policy at connect time ({@link #connect}).
 */
public record WarehouseSettings(
        String host, int port, String database, String user, String password, String sslMode, String serverCa) {

    private static final Pattern HOST_NAME = Pattern.compile(
            "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?");
    private static final Pattern IP_V6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    public static WarehouseSettings of(Map<String, Object> config) {
        String host = text(config, "host").strip();
        if (host.isBlank()) throw new IllegalArgumentException("the destination has no host");
        // the host goes into the JDBC URL: anything but a name or an address could add driver parameters to it
        // (a socketFactory of the tenant's choosing would bypass the egress check), or name several hosts
        if (!HOST_NAME.matcher(host).matches() && !IP_V6.matcher(host).matches())
            throw new IllegalArgumentException("host must be a host name or an IP address");
        String portText = text(config, "port").isBlank() ? "5432" : text(config, "port");
        int port;
        try {
            port = Integer.parseInt(portText.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port " + portText + " is not a number");
        }
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port " + port + " is out of range");
        String database = text(config, "database");
        if (database.isBlank()) throw new IllegalArgumentException("the destination has no database");
        String ssl = text(config, "sslMode").isBlank() ? "disable" : text(config, "sslMode");
        if (!ssl.equals("disable") && !ssl.equals("require") && !ssl.equals("verify-ca"))
            throw new IllegalArgumentException("sslMode must be disable, require or verify-ca");
        return new WarehouseSettings(
                host.strip(),
                port,
                database,
                text(config, "user"),
                text(config, "password"),
                ssl,
                text(config, "serverCA"));
    }

    /** The schema to load into: the configured namespace, else the source's name, made safe. */
    public static String namespace(Map<String, Object> config, String sourceName) {
        String configured = text(config, "namespace");
        return Names.namespace(configured.isBlank() ? sourceName : configured);
    }

    public String jdbcUrl(Duration connectTimeout, Duration socketTimeout) {
        return "jdbc:postgresql://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/"
                + URLEncoder.encode(database, StandardCharsets.UTF_8) + "?sslmode=" + sslMode + "&connectTimeout="
                + Math.max(1, connectTimeout.toSeconds()) + "&socketTimeout=" + Math.max(0, socketTimeout.toSeconds())
                + "&tcpKeepAlive=true&ApplicationName=eventpipe-warehouse";
    }

    /**
     * Connects through sockets that ask {@code egress} about the resolved address before dialling it
     * ({@link EgressSocketFactory}): a refused address fails with the policy's reason, which names
     * {@code EGRESS_ALLOW}, and nothing is sent to it.
     */
    public Connection connect(Duration connectTimeout, Duration socketTimeout, EgressPolicy egress)
            throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("socketFactory", EgressSocketFactory.class.getName());
        props.setProperty("socketFactoryArg", EgressSocketFactory.key(egress));
        if (sslMode.equals("verify-ca")) props.setProperty("sslrootcert", caFile());
        try {
            return DriverManager.getConnection(jdbcUrl(connectTimeout, socketTimeout), props);
        } catch (SQLException e) {
            EgressRefusedException refused = EgressRefusedException.in(e);
            if (refused == null) throw e;
            throw new SQLException("the warehouse's host is not allowed: " + refused.getMessage(), "08004", refused);
        }
    }

    private String caFile() {
        if (serverCa.isBlank()) throw new IllegalArgumentException("sslMode verify-ca needs the server CA");
        try {
            Path file = Files.createTempFile("warehouse-ca", ".pem");
            file.toFile().deleteOnExit();
            Files.writeString(file, serverCa);
            return file.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "WarehouseSettings[" + user + "@" + host + ":" + port + "/" + database + ", sslMode=" + sslMode + "]";
    }

    private static String text(Map<String, Object> config, String key) {
        Object value = config.get(key);
        return value == null ? "" : String.valueOf(value);
    }
}
