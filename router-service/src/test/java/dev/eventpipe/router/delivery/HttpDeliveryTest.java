package dev.eventpipe.router.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.model.egress.EgressPolicy;
import dev.eventpipe.router.support.RawPeer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The delivery client against peers that misbehave the way real destinations do. */
class HttpDeliveryTest {
    static final HttpDelivery delivery = new HttpDelivery(EgressPolicy.of("127.0.0.1/32", false, List.of()));

    @AfterAll
    static void close() {
        delivery.close();
    }

    static DeliveryResult post(String url, Duration timeout) {
        return delivery.send(
                new DeliveryRequest("POST", url, Map.of("X-Key", "k"), "{\"n\":1}".getBytes(), "application/json"),
                timeout);
    }

    @Test
    void aPeerThatSendsHeadersThenStallsTheBodyIsTimedOutAndRetried() throws IOException {
        try (RawPeer peer = new RawPeer((request, out) -> {
            out.write("HTTP/1.1 500 X\r\nContent-Length: 1000\r\n\r\npartial".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            RawPeer.stall(Duration.ofSeconds(60));
        })) {
            assertThat(post(peer.url("/"), Duration.ofSeconds(1)))
                    .isInstanceOfSatisfying(DeliveryResult.Retryable.class, r -> {
                        assertThat(r.status()).isEqualTo(504);
                        assertThat(r.body()).contains("timed out");
                    });
        }
    }

    @Test
    void aPeerThatTricklesItsBodyIsTimedOutAsAWhole() throws IOException {
        try (RawPeer peer = new RawPeer((request, out) -> {
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 600; i++) { // each byte well within a per-read timeout; the whole far beyond
                out.write('x');
                out.flush();
                RawPeer.stall(Duration.ofMillis(100));
            }
        })) {
            assertThat(post(peer.url("/"), Duration.ofSeconds(1)))
                    .isInstanceOfSatisfying(
                            DeliveryResult.Retryable.class,
                            r -> assertThat(r.status()).isEqualTo(504));
        }
    }

    @Test
    void aPeerThatStallsBeforeAnsweringIsTimedOut() throws IOException {
        // no socket timeout on reads (TimedHttpClient.config): the exchange's deadline alone cuts the wait ("timed
        // out"; the peer's own close after its stall would be a network error)
        try (RawPeer peer = new RawPeer((request, out) -> RawPeer.stall(Duration.ofSeconds(60)))) {
            assertThat(post(peer.url("/"), Duration.ofSeconds(1)))
                    .isInstanceOfSatisfying(DeliveryResult.Retryable.class, r -> {
                        assertThat(r.status()).isEqualTo(504);
                        assertThat(r.body()).contains("timed out");
                    });
        }
    }

    @Test
    void redirects307And308KeepTheMethodAndTheBody() throws IOException {
        for (int status : new int[] {307, 308}) {
            try (RawPeer peer = new RawPeer((request, out) -> {
                if (request.target().equals("/old")) RawPeer.reply(out, status, "", "Location: /new");
                else RawPeer.reply(out, 200, "ok");
            })) {
                assertThat(post(peer.url("/old"), Duration.ofSeconds(20))).isInstanceOf(DeliveryResult.Delivered.class);
                RawPeer.Request last = peer.requests().getLast();
                assertThat(last.target()).isEqualTo("/new");
                assertThat(last.method()).isEqualTo("POST");
                assertThat(last.body()).isEqualTo("{\"n\":1}");
                assertThat(last.headers()).containsEntry("x-key", "k");
            }
        }
    }

    @Test
    void aRedirectToAnotherOriginGoesWithoutTheCredentialHeaders() throws IOException {
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        headers.put("Authorization", "Bearer s3cret");
        headers.put("X-Api-Key", "k-123");
        headers.put("DD-API-KEY", "dd-123");
        headers.put("Cookie", "session=1");
        headers.put("X-Auth-Token", "t-123");
        headers.put("X-Request-Source", "router");
        try (RawPeer other = new RawPeer((request, out) -> RawPeer.reply(out, 200, "ok"));
                RawPeer peer = new RawPeer((request, out) -> {
                    if (request.target().equals("/same")) RawPeer.reply(out, 307, "", "Location: /final");
                    else if (request.target().equals("/elsewhere"))
                        RawPeer.reply(out, 307, "", "Location: " + other.url("/moved"));
                    else RawPeer.reply(out, 200, "ok");
                })) {
            // another port of the same host is another origin, as for browsers
            DeliveryRequest toOther = new DeliveryRequest(
                    "POST", peer.url("/elsewhere"), headers, "{\"n\":1}".getBytes(), "application/json");
            assertThat(delivery.send(toOther, Duration.ofSeconds(20))).isInstanceOf(DeliveryResult.Delivered.class);
            assertThat(peer.requests().getLast().headers())
                    .containsEntry("authorization", "Bearer s3cret")
                    .containsEntry("x-api-key", "k-123");
            RawPeer.Request moved = other.requests().getLast();
            assertThat(moved.target()).isEqualTo("/moved");
            assertThat(moved.method()).isEqualTo("POST");
            assertThat(moved.body()).isEqualTo("{\"n\":1}");
            assertThat(moved.headers())
                    .doesNotContainKeys("authorization", "x-api-key", "dd-api-key", "cookie", "x-auth-token")
                    .containsEntry("x-request-source", "router");
            assertThat(moved.headers().values()).noneMatch(v -> v.contains("s3cret") || v.contains("123"));

            // a redirect within the origin keeps them
            DeliveryRequest toSame =
                    new DeliveryRequest("POST", peer.url("/same"), headers, "{\"n\":1}".getBytes(), "application/json");
            assertThat(delivery.send(toSame, Duration.ofSeconds(20))).isInstanceOf(DeliveryResult.Delivered.class);
            RawPeer.Request last = peer.requests().getLast();
            assertThat(last.target()).isEqualTo("/final");
            assertThat(last.headers())
                    .containsEntry("authorization", "Bearer s3cret")
                    .containsEntry("x-api-key", "k-123")
                    .containsEntry("cookie", "session=1");
        }
    }

    @Test
    void a301AfterAPostIsFollowedWithAGetAsGoDoes() throws IOException {
        try (RawPeer peer = new RawPeer((request, out) -> {
            if (request.target().equals("/old")) RawPeer.reply(out, 301, "", "Location: /new/");
            else RawPeer.reply(out, 200, "ok");
        })) {
            assertThat(post(peer.url("/old"), Duration.ofSeconds(20))).isInstanceOf(DeliveryResult.Delivered.class);
            assertThat(peer.requests().getLast().method()).isEqualTo("GET");
            assertThat(peer.requests().getLast().target()).isEqualTo("/new/");
        }
    }

    @Test
    void tenRedirectsAreFollowedAndAnEleventhIsAnError() throws IOException {
        try (RawPeer peer = new RawPeer((request, out) -> {
            int n = Integer.parseInt(request.target().substring(1));
            if (n < 11) RawPeer.reply(out, 307, "", "Location: /" + (n + 1));
            else RawPeer.reply(out, 200, "ok");
        })) {
            assertThat(post(peer.url("/1"), Duration.ofSeconds(20))).isInstanceOf(DeliveryResult.Delivered.class);
            assertThat(peer.requests()).hasSize(11);
            assertThat(post(peer.url("/0"), Duration.ofSeconds(20))).isInstanceOf(DeliveryResult.Retryable.class);
            assertThat(peer.requests()).hasSize(11 + 11);
        }
    }

    @Test
    void aSuccessfulResponseBodyIsNotKeptButAFailedOneIs() throws IOException {
        try (RawPeer peer = new RawPeer((request, out) -> RawPeer.reply(
                out,
                request.target().equals("/ok") ? 200 : 400,
                "{\"internal\":\"data\"}",
                "Content-Type: application/json"))) {
            assertThat(post(peer.url("/ok"), Duration.ofSeconds(20)))
                    .isInstanceOfSatisfying(
                            DeliveryResult.Delivered.class,
                            d -> assertThat(d.body()).isEmpty());
            assertThat(post(peer.url("/bad"), Duration.ofSeconds(20)))
                    .isInstanceOfSatisfying(
                            DeliveryResult.Rejected.class,
                            r -> assertThat(r.body()).contains("internal"));
        }
    }

    @Test
    void aFailedResponseBodyIsKeptUpToTheBound() throws IOException {
        String longBody = "e".repeat(3 * HttpDelivery.MAX_BODY_BYTES);
        try (RawPeer peer = new RawPeer((request, out) -> RawPeer.reply(
                out,
                request.target().equals("/long") ? 500 : 400,
                request.target().equals("/long") ? longBody : "short answer",
                "Content-Type: text/plain"))) {
            assertThat(post(peer.url("/long"), Duration.ofSeconds(20)))
                    .isInstanceOfSatisfying(
                            DeliveryResult.Retryable.class,
                            r -> assertThat(r.body()).isEqualTo(longBody.substring(0, HttpDelivery.MAX_BODY_BYTES)));
            assertThat(post(peer.url("/short"), Duration.ofSeconds(20)))
                    .isInstanceOfSatisfying(
                            DeliveryResult.Rejected.class,
                            r -> assertThat(r.body()).isEqualTo("short answer"));
        }
    }

    @Test
    void retryAfterIsReadFromA429() throws IOException {
        try (RawPeer peer =
                new RawPeer((request, out) -> RawPeer.reply(out, 429, "slow down", "Retry-After: 9999999"))) {
            assertThat(post(peer.url("/"), Duration.ofSeconds(20)))
                    .isInstanceOfSatisfying(
                            DeliveryResult.Retryable.class,
                            r -> assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(9999999)));
        }
    }
}
