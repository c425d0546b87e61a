package dev.eventpipe.jobsdb;

import java.sql.SQLException;
import java.util.Optional;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Tells a database error caused by the data written (the same rows would fail again, whatever the moment) from one
 * caused by the moment (connection lost, timeout, deadlock, disk full, lock wait), so that a caller can isolate a
 * poison row instead of retrying it forever, without ever discarding work because the database was unavailable.
 *
 * <p>Data refusals are the SQLSTATE classes 22 (data exception: invalid text, bad escape, value too long, out of
 * range), 23 (integrity constraint) and 54 (program limit exceeded: a row or value too large). Everything else,
 * including 53 (insufficient resources: disk full, out of memory), is treated as transient.
 */
public final class DataRefusal {
    private DataRefusal() {}

    /** The database's reason when {@code error} (or one of its causes) is a data refusal, else empty. */
    public static Optional<String> reason(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && isDataState(sql.getSQLState())) return Optional.of(describe(sql));
        }
        return Optional.empty();
    }

    static boolean isDataState(String state) {
        return state != null
                && state.length() == 5
                && (state.startsWith("22") || state.startsWith("23") || state.startsWith("54"));
    }

    /** The primary message and detail, never the server's context line (it may quote other rows' values). */
    private static String describe(SQLException e) {
        String text;
        if (e instanceof PSQLException p && p.getServerErrorMessage() != null) {
            ServerErrorMessage m = p.getServerErrorMessage();
            text = m.getMessage() + (m.getDetail() == null ? "" : " (" + m.getDetail() + ")");
        } else {
            String message = e.getMessage() == null ? "" : e.getMessage();
            int newline = message.indexOf('\n');
            text = newline < 0 ? message : message.substring(0, newline);
        }
        text = "database refused the data: " + text + " [SQLSTATE " + e.getSQLState() + "]";
        return text.length() > 500 ? text.substring(0, 500) : text;
    }
}
