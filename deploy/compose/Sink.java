// A webhook destination for the compose smoke test, run from source in a JDK container (java Sink.java):
// POST /hook keeps the body (one event, or a JSON array of events when the router batches); GET /received answers
// every kept body as one JSON array, in the order they arrived. Not part of the suite.
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

public class Sink {
    public static void main(String[] args) throws Exception {
        List<String> bodies = new ArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(8080), 0);
        server.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).strip();
            synchronized (bodies) {
                bodies.add(body.startsWith("[") ? body.substring(1, body.length() - 1) : body);
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.createContext("/received", exchange -> {
            byte[] out;
            synchronized (bodies) {
                out = ("[" + String.join(",", bodies.stream().filter(b -> !b.isBlank()).toList()) + "]")
                        .getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        server.start();
        System.out.println("sink listening on :8080");
    }
}
