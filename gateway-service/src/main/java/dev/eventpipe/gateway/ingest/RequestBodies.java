package dev.eventpipe.gateway.ingest;

import dev.eventpipe.gateway.reply.Reply;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a request body into memory, never more than the size limit: {@code Content-Encoding: gzip} bodies are
 * gunzipped on the fly and the limit applies to the inflated bytes (a zip bomb stops at the limit). A body over
 * the limit is answered 413 without being parsed, so megabytes of whitespace cost one bounded read. A corrupt
 * gzip stream is the client's fault: 400 {@code invalid json} (it holds no JSON we can read).
 */
final class RequestBodies {
    private final int maxBytes;

    RequestBodies(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    BodyRead read(HttpServletRequest request) {
        boolean gzip = "gzip".equalsIgnoreCase(request.getHeader("Content-Encoding"));
        if (!gzip && request.getContentLengthLong() > maxBytes) return new BodyRead.Refused(Reply.TOO_LARGE);
        try (InputStream raw = request.getInputStream();
                InputStream in = gzip ? new GZIPInputStream(raw, 8192) : raw) {
            return readBounded(in);
        } catch (ZipException | EOFException e) {
            return new BodyRead.Refused(gzip ? Reply.INVALID_JSON : Reply.READ_FAILED);
        } catch (IOException e) {
            return new BodyRead.Refused(Reply.READ_FAILED);
        }
    }

    private BodyRead readBounded(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        byte[] buffer = new byte[8192];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
            total += n;
            if (total > maxBytes) return new BodyRead.Refused(Reply.TOO_LARGE);
            out.write(buffer, 0, n);
        }
        return new BodyRead.Body(out.toByteArray());
    }
}
