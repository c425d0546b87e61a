package dev.eventpipe.transformer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Request bodies are bounded (issue 14, P2-20): over {@code transformer.max-request-body} (1 MB in the tests, 200 MB
 * by default) the answer is 413 with a problem document naming the setting, whether the body declares its length
 * or comes chunked; a chunked body within the limit is served as before. Raw HTTP/1.1 over a socket, so the body
 * is sent exactly as written (a client library might buffer it or set the length itself).
 */
class RequestBodyLimitIT extends HttpTestBase {
    private static final int LIMIT = 1024 * 1024;

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedBeforeTheBodyIsRead() throws IOException {
        byte[] body = oversized();
        Answer answer = exchange("Content-Length: " + body.length + "\r\n", sender -> sender.write(body));
        assertThat(answer.head()).startsWith("HTTP/1.1 413");
        assertThat(answer.head()).containsIgnoringCase("Content-Type: application/problem+json");
        assertThat(answer.body())
                .contains("\"status\":413", "(" + body.length + " bytes)", "TRANSFORMER_MAX_REQUEST_BODY")
                .contains("\"maxBytes\":" + LIMIT);
    }

    @Test
    void aChunkedBodyIsCountedAsItArrivesAndRefusedPastTheLimit() throws IOException {
        byte[] body = oversized();
        Answer answer = exchange("Transfer-Encoding: chunked\r\n", sender -> {
            for (int off = 0; off < body.length; off += 16 * 1024) {
                int n = Math.min(16 * 1024, body.length - off);
                sender.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                sender.write(body, off, n);
                sender.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            sender.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        });
        assertThat(answer.head()).startsWith("HTTP/1.1 413");
        assertThat(answer.head()).containsIgnoringCase("Content-Type: application/problem+json");
        assertThat(answer.body())
                .contains("\"status\":413", "more than " + LIMIT + " bytes", "TRANSFORMER_MAX_REQUEST_BODY");
    }

    @Test
    void aChunkedBodyWithinTheLimitIsServed() throws IOException {
        byte[] body = "[]".getBytes(StandardCharsets.UTF_8);
        Answer answer = exchange("Transfer-Encoding: chunked\r\n", sender -> {
            sender.write("2\r\n".getBytes(StandardCharsets.US_ASCII));
            sender.write(body);
            sender.write("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        });
        assertThat(answer.head()).startsWith("HTTP/1.1 200");
        assertThat(answer.body()).startsWith("[");
    }

    /** A well-formed /v0/destinations body half again as large as the limit (within Tomcat's 2 MB swallow). */
    private static byte[] oversized() {
        String message = "{\"type\":\"track\",\"event\":\"big\",\"properties\":{\"blob\":\"" + "x".repeat(LIMIT * 3 / 2)
                + "\"}}";
        return ("[{\"message\":" + message + ",\"metadata\":{\"messageId\":\"m-big\",\"jobId\":1},"
                        + "\"destination\":{\"Config\":{\"webhookUrl\":\"https://example.com/hook\"}}}]")
                .getBytes(StandardCharsets.UTF_8);
    }

    private interface Sender {
        void send(OutputStream out) throws IOException;
    }

    private record Answer(String head, String body) {}

    private Answer exchange(String framing, Sender sender) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v0/destinations/WEBHOOK HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                            + SERVICE_TOKEN + "\r\nContent-Type: application/json\r\nConnection: close\r\n" + framing
                            + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            // the body goes on its own thread: the server may answer (and stop reading) before it is all sent
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    sender.send(out);
                    out.flush();
                } catch (IOException e) {
                    // the server closed its side after answering: expected when it refuses the body
                }
            });
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            in.transferTo(received);
            try {
                writer.join(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            String text = received.toString(StandardCharsets.UTF_8);
            int split = text.indexOf("\r\n\r\n");
            assertThat(split).as("a complete answer: " + text).isPositive();
            return new Answer(text.substring(0, split), dechunk(text.substring(0, split), text.substring(split + 4)));
        }
    }

    private static String dechunk(String head, String body) {
        if (!head.toLowerCase().contains("transfer-encoding: chunked")) return body;
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (true) {
            int eol = body.indexOf("\r\n", at);
            int size = Integer.parseInt(body.substring(at, eol).trim(), 16);
            if (size == 0) return out.toString();
            out.append(body, eol + 2, eol + 2 + size);
            at = eol + 2 + size + 2;
        }
    }
}
