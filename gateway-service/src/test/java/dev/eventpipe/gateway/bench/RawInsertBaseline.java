package dev.eventpipe.gateway.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;

/**
 * The same PostgreSQL's raw ingest rate: one connection, multi-row INSERT statements of {@code rowsPerStatement}
 * rows (each its own commit), rows equivalent to gw jobs (same columns, a real stored payload). This is what the
 * gateway's single writer could do with no HTTP, JSON or enrichment work, so gateway/raw is a machine-independent
 * figure.
 */
final class RawInsertBaseline {
    private static final String TABLE = """
            CREATE TABLE raw_insert_bench (
                job_id bigserial PRIMARY KEY, workspace_id text NOT NULL DEFAULT '', uuid uuid NOT NULL,
                user_id text NOT NULL, partition_id smallint NOT NULL DEFAULT 0, parameters jsonb NOT NULL,
                custom_val varchar(64) NOT NULL, event_payload text NOT NULL, event_count integer NOT NULL DEFAULT 1,
                payload_size integer NOT NULL, created_at timestamptz NOT NULL DEFAULT now(),
                expire_at timestamptz NOT NULL DEFAULT now())""";

    private RawInsertBaseline() {}

    static double rowsPerSecond(
            String url,
            String user,
            String password,
            String payload,
            String parameters,
            int rowsPerStatement,
            Duration duration)
            throws SQLException {
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            try (Statement st = c.createStatement()) {
                st.execute("DROP TABLE IF EXISTS raw_insert_bench");
                st.execute(TABLE);
            }
            StringBuilder sql = new StringBuilder("INSERT INTO raw_insert_bench (uuid, user_id, workspace_id,"
                    + " partition_id, parameters, custom_val, event_payload, payload_size) VALUES ");
            for (int i = 0; i < rowsPerStatement; i++) {
                sql.append(i == 0 ? "" : ",").append("(?::uuid, ?, ?, ?, ?::jsonb, ?, ?, ?)");
            }
            long rows = 0;
            long start = System.nanoTime();
            long end = start + duration.toNanos();
            try (PreparedStatement insert = c.prepareStatement(sql.toString())) {
                while (System.nanoTime() < end) {
                    int p = 1;
                    for (int i = 0; i < rowsPerStatement; i++) {
                        insert.setString(p++, UUID.randomUUID().toString());
                        insert.setString(p++, "<<>>anon-" + (rows + i) % 1000 + "<<>>user-" + (rows + i) % 1000);
                        insert.setString(p++, "ws-bench");
                        insert.setShort(p++, (short) ((rows + i) % 64));
                        insert.setString(p++, parameters);
                        insert.setString(p++, "GW");
                        insert.setString(p++, payload);
                        insert.setInt(p++, payload.length());
                    }
                    insert.executeUpdate();
                    rows += rowsPerStatement;
                }
            }
            double rate = rows / ((System.nanoTime() - start) / 1e9);
            try (Statement st = c.createStatement()) {
                st.execute("DROP TABLE raw_insert_bench");
            }
            return rate;
        }
    }
}
