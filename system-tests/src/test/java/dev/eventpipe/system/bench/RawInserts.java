package dev.eventpipe.system.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;

/**
 * The PostgreSQL server's raw ingest rate, the yardstick every figure of the benchmark is divided by: one
 * connection, multi-row INSERTs of 100 rows shaped like gw jobs (same columns, a real event payload), each
 * statement its own commit. Nothing in the pipeline can write faster than this.
 */
public final class RawInserts {
    private static final String TABLE = """
            CREATE TABLE raw_insert_bench (
                job_id bigserial PRIMARY KEY, workspace_id text NOT NULL DEFAULT '', uuid uuid NOT NULL,
                user_id text NOT NULL, partition_id smallint NOT NULL DEFAULT 0, parameters jsonb NOT NULL,
                custom_val varchar(64) NOT NULL, event_payload text NOT NULL, event_count integer NOT NULL DEFAULT 1,
                payload_size integer NOT NULL, created_at timestamptz NOT NULL DEFAULT now(),
                expire_at timestamptz NOT NULL DEFAULT now())""";
    private static final String PAYLOAD = """
            {"type":"track","event":"Bench Event","userId":"user-1","anonymousId":"anon-1",\
            "messageId":"m-0000000000-1-1","properties":{"bench":"1:1:1764400000000","plan":"pro","price":12.5},\
            "context":{"library":{"name":"eventpipe-bench","version":"1.0"},"ip":"127.0.0.1"},\
            "receivedAt":"2026-11-29T20:00:00.000Z","sentAt":"2026-11-29T20:00:00.000Z",\
            "timestamp":"2026-11-29T20:00:00.000Z","originalTimestamp":"2026-11-29T20:00:00.000Z",\
            "rudderId":"8f1c2a4e-0000-4000-8000-000000000000","request_ip":"127.0.0.1"}""";
    private static final String PARAMETERS = "{\"source_id\":\"src-bench\",\"source_job_run_id\":\"\"}";
    private static final int ROWS = 100;

    private RawInserts() {}

    public static double rowsPerSecond(String url, String user, String password, Duration duration)
            throws SQLException {
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            try (Statement st = c.createStatement()) {
                st.execute("DROP TABLE IF EXISTS raw_insert_bench");
                st.execute(TABLE);
            }
            StringBuilder sql = new StringBuilder("INSERT INTO raw_insert_bench (uuid, user_id, workspace_id,"
                    + " partition_id, parameters, custom_val, event_payload, payload_size) VALUES ");
            for (int i = 0; i < ROWS; i++)
                sql.append(i == 0 ? "" : ",").append("(?::uuid, ?, ?, ?, ?::jsonb, ?, ?, ?)");
            long rows = 0;
            long start = System.nanoTime();
            long end = start + duration.toNanos();
            try (PreparedStatement insert = c.prepareStatement(sql.toString())) {
                while (System.nanoTime() < end) {
                    int p = 1;
                    for (int i = 0; i < ROWS; i++) {
                        insert.setString(p++, UUID.randomUUID().toString());
                        insert.setString(p++, "<<>>anon-" + (rows + i) % 192 + "<<>>user-" + (rows + i) % 192);
                        insert.setString(p++, "ws-bench");
                        insert.setShort(p++, (short) ((rows + i) % 64));
                        insert.setString(p++, PARAMETERS);
                        insert.setString(p++, "GW");
                        insert.setString(p++, PAYLOAD);
                        insert.setInt(p++, PAYLOAD.length());
                    }
                    insert.executeUpdate();
                    rows += ROWS;
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
