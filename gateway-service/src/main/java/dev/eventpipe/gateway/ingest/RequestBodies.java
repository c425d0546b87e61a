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
 * Reads a request body into memory, never more than the size limit and never more than its reservation in the
 * memory budget: {@code Content-Length} is reserved before the first byte is read (a body that does not fit is
 * answered 503 unread); a body of unknown length (chunked, or gzip, whose inflated size is unknown) reserves 64
 * KiB more each time it outgrows its reservation. {@code Content-Encoding: gzip} bodies are gunzipped on the fly
 * and the limit applies to the inflated bytes (a zip bomb stops at the limit). A body over the limit is answered
 * 413 without being parsed, so megabytes of whitespace cost one bounded read. A corrupt gzip stream is the
 * client's fault: 400 {@code invalid json} (it holds no JSON we can read).
 */
final class RequestBodies {
    private static final int STEP = 64 * 1024;

    private final int maxBytes;
    private final MemoryBudget budget;

    RequestBodies(int maxBytes, MemoryBudget budget) {
        this.maxBytes = maxBytes;
        this.budget = budget;
    }

    BodyRead read(HttpServletRequest request) {
        boolean gzip = "gzip".equalsIgnoreCase(request.getHeader("Content-Encoding"));
        long declared = gzip ? -1 : request.getContentLengthLong();
        if (declared > maxBytes) return new BodyRead.Refused(Reply.TOO_LARGE);
        MemoryBudget.Reservation reservation = budget.reservation();
        if (declared > 0 && !reservation.cover(declared)) return new BodyRead.Refused(Reply.UNAVAILABLE);
        BodyRead read;
        try (InputStream raw = request.getInputStream();
                InputStream in = gzip ? new GZIPInputStream(raw, 8192) : raw) {
            read = readBounded(in, reservation, declared);
        } catch (ZipException | EOFException e) {
            read = new BodyRead.Refused(gzip ? Reply.INVALID_JSON : Reply.READ_FAILED);
        } catch (IOException e) {
            read = new BodyRead.Refused(Reply.READ_FAILED);
        }
        if (read instanceof BodyRead.Refused) reservation.close();
        return read;
    }

    private BodyRead readBounded(InputStream in, MemoryBudget.Reservation reservation, long declared)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.clamp(declared, 1024, STEP));
        byte[] buffer = new byte[8192];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
            total += n;
            if (total > maxBytes) return new BodyRead.Refused(Reply.TOO_LARGE);
            if (total > reservation.coveredBytes() && !reservation.cover(Math.min(maxBytes, total + STEP)))
                return new BodyRead.Refused(Reply.UNAVAILABLE);
            out.write(buffer, 0, n);
        }
        return new BodyRead.Body(out.toByteArray(), reservation);
    }
}
