package dev.eventpipe.jobsdb;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import org.postgresql.PGConnection;

/**
 * Builds the body of a PostgreSQL {@code COPY ... FROM STDIN} in text format and sends it. Text format needs
 * backslash, tab, newline and carriage return escaped; a raw NUL (never valid in JSON text) is written as the JSON
 * escape {@code \u0000}, the same value inside a JSON string.
 */
final class CopyRows {
    private final StringBuilder body = new StringBuilder(4096);
    private boolean rowStarted;

    CopyRows text(String value) {
        separator();
        int first = firstSpecial(value);
        if (first < 0) {
            body.append(value); // the common case: nothing to escape, one bulk copy
            return this;
        }
        body.append(value, 0, first);
        for (int i = first; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> body.append("\\\\");
                case '\t' -> body.append("\\t");
                case '\n' -> body.append("\\n");
                case '\r' -> body.append("\\r");
                case '\0' -> body.append("\\\\u0000");
                default -> body.append(c);
            }
        }
        return this;
    }

    private static int firstSpecial(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' || c == '\t' || c == '\n' || c == '\r' || c == '\0') return i;
        }
        return -1;
    }

    CopyRows number(long value) {
        separator();
        body.append(value);
        return this;
    }

    CopyRows time(Instant value) {
        separator();
        body.append(value);
        return this;
    }

    void endRow() {
        body.append('\n');
        rowStarted = false;
    }

    private void separator() {
        if (rowStarted) body.append('\t');
        rowStarted = true;
    }

    long copyInto(Connection connection, String copySql) throws SQLException {
        try (Reader reader = new StringReader(body.toString())) {
            return connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql, reader);
        } catch (IOException e) {
            throw new SQLException("COPY failed", e);
        }
    }
}
