package dev.eventpipe.warehouse.load;

import static dev.eventpipe.warehouse.load.WarehouseSchema.q;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code users} table as RudderStack keeps it: one row per user id, each column holding the newest non-null
 * value (by {@code received_at}) among the user's existing row and the identifies of this upload. Runs inside the
 * identifies load's transaction, on its staged rows; merging the same rows again gives the same row, so a retry is
 * harmless. On a tie the staged value wins.
 */
final class UsersMerge {
    private UsersMerge() {}

    /** Returns the number of users rows written. */
    static long run(
            Connection c,
            String ns,
            Map<String, String> identifies,
            Map<String, String> users,
            String stage,
            String usersFlag)
            throws SQLException {
        if (!identifies.containsKey("user_id") || !users.containsKey("id")) return 0;
        TableLoad.lock(c, ns, "users");
        String t = q(ns) + "." + q("users");
        List<String> columns = new ArrayList<>();
        List<String> fromStage = new ArrayList<>();
        for (Map.Entry<String, String> col : users.entrySet()) {
            if (col.getKey().equals("id")) continue;
            columns.add(col.getKey());
            fromStage.add(
                    identifies.containsKey(col.getKey()) && !col.getKey().equals("user_id")
                            ? "CAST(s." + q(col.getKey()) + " AS " + col.getValue() + ")"
                            : "NULL::" + col.getValue());
        }
        String cols = TableLoad.list(columns);
        String newest = columns.stream()
                .map(col -> "(array_agg(" + q(col) + " ORDER BY received_at DESC NULLS LAST, eventpipe_src DESC) FILTER"
                        + " (WHERE " + q(col) + " IS NOT NULL))[1]")
                .reduce((a, b) -> a + ", " + b)
                .orElse("");
        String union = "CREATE TEMP TABLE eventpipe_users ON COMMIT DROP AS "
                + "SELECT id" + (cols.isEmpty() ? "" : ", " + cols) + ", 0 AS eventpipe_src FROM " + t
                + " WHERE id IN (SELECT CAST(user_id AS " + users.get("id") + ") FROM " + stage + " WHERE "
                + q(usersFlag)
                + " AND user_id IS NOT NULL)"
                + " UNION ALL SELECT CAST(s.user_id AS " + users.get("id") + ")"
                + (fromStage.isEmpty() ? "" : ", " + String.join(", ", fromStage)) + ", 1 FROM " + stage + " s WHERE s."
                + q(usersFlag) + " AND s.user_id IS NOT NULL";
        try (Statement st = c.createStatement()) {
            st.execute(union);
            st.execute("DELETE FROM " + t + " USING (SELECT DISTINCT id FROM eventpipe_users) u WHERE " + t
                    + ".id = u.id");
            return st.executeLargeUpdate("INSERT INTO " + t + " (id" + (cols.isEmpty() ? "" : ", " + cols)
                    + ") SELECT id" + (newest.isEmpty() ? "" : ", " + newest) + " FROM eventpipe_users GROUP BY id");
        }
    }
}
