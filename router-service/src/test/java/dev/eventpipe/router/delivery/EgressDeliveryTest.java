package dev.eventpipe.router.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.model.egress.EgressPolicy;
import dev.eventpipe.router.support.RawPeer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Server-side request forgery through a destination URL, against the real client and real servers on this machine.
 * Every refused address is refused before a packet is sent: 169.254.169.254 and 10.0.0.1 are never contacted.
 */
class EgressDeliveryTest {
    static final Duration TIMEOUT = Duration.ofSeconds(20);
    static final RawPeer internal = peer();

    static RawPeer peer() {
        try {
            return new RawPeer((request, out) -> RawPeer.reply(out, 200, "{\"secret\":\"internal\"}"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterAll
    static void close() throws Exception {
        internal.close();
    }

    static DeliveryResult send(EgressPolicy policy, String url) {
        try (HttpDelivery delivery = new HttpDelivery(policy)) {
            return delivery.send(
                    new DeliveryRequest("POST", url, Map.of(), "{}".getBytes(), "application/json"), TIMEOUT);
        }
    }

    static void assertRefused(DeliveryResult result, String address) {
        assertThat(result).isInstanceOfSatisfying(DeliveryResult.Rejected.class, r -> {
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.body()).contains(address, "EGRESS_ALLOW");
        });
    }

    @Test
    void loopbackIsRefusedByDefaultAndTheServiceThereSeesNothing() {
        assertRefused(send(EgressPolicy.of("", false, List.of()), internal.url("/api/v1/events/recent")), "127.0.0.1");
        assertThat(internal.requests()).isEmpty();
    }

    @Test
    void ipv6LoopbackIsRefused() {
        assertRefused(send(EgressPolicy.of("", false, List.of()), "http://[::1]:" + internal.port() + "/"), "[::1]");
    }

    @Test
    void cloudMetadataIsRefused() {
        assertRefused(
                send(EgressPolicy.of("", false, List.of()), "http://169.254.169.254/latest/meta-data/"),
                "169.254.169.254");
    }

    @Test
    void aPrivateAddressIsRefusedWhenPrivateRangesAreDenied() {
        DeliveryResult result = send(EgressPolicy.of("", true, List.of()), "http://10.0.0.1/hook");
        assertRefused(result, "10.0.0.1");
        assertThat(((DeliveryResult.Rejected) result).body()).contains("EGRESS_DENY_PRIVATE");
    }

    @Test
    void aNameThatResolvesToLoopbackIsRefusedAtConnectTime() {
        assertRefused(
                send(EgressPolicy.of("", false, List.of()), "http://localhost:" + internal.port() + "/"), "127.0.0.1");
        assertThat(internal.requests()).isEmpty();
    }

    @Test
    void aRedirectToLoopbackIsRefused() throws Exception {
        // the allowed destination (listed by port) answers with a redirect to another port of this machine
        try (RawPeer redirecting = new RawPeer(
                (request, out) -> RawPeer.reply(out, 307, "", "Location: " + internal.url("/api/v1/events/recent")))) {
            EgressPolicy policy = EgressPolicy.of("127.0.0.1:" + redirecting.port(), false, List.of());
            assertRefused(send(policy, redirecting.url("/hook")), "127.0.0.1:" + internal.port());
            assertThat(redirecting.requests()).hasSize(1);
        }
        assertThat(internal.requests()).isEmpty();
    }

    @Test
    void theAllowListLetsAWebhookOnThisMachineThrough() throws Exception {
        try (RawPeer webhook = peer()) {
            DeliveryResult result =
                    send(EgressPolicy.of("127.0.0.1:" + webhook.port(), false, List.of()), webhook.url("/hook"));
            assertThat(result).isInstanceOf(DeliveryResult.Delivered.class);
            assertThat(webhook.requests()).hasSize(1);
        }
    }

    /**
     * The documented way to reach a webhook on this machine, a CIDR for loopback, does not open the suite's own
     * services there (issue 14 audit G1): with the router's policy as {@link EgressConfiguration} makes it, a
     * delivery to the jobs database's port or to the transformer's is refused, one to another port of 127.0.0.1 goes
     * through. Both refused peers are live servers, so the refusal is the policy's.
     */
    @Test
    void aCidrAllowEntryForLoopbackOpensAWebhookButNotTheSuitesOwnServicePorts() throws Exception {
        try (RawPeer database = peer();
                RawPeer transformer = peer();
                RawPeer webhook = peer()) {
            new ApplicationContextRunner()
                    .withUserConfiguration(EgressConfiguration.class)
                    .withPropertyValues(
                            "egress.allow=127.0.0.1/32",
                            "spring.datasource.url=jdbc:postgresql://127.0.0.1:" + database.port() + "/eventpipe",
                            "router.transformer.url=" + transformer.url(""))
                    .run(context -> {
                        EgressPolicy policy = context.getBean(EgressPolicy.class);
                        for (RawPeer suite : List.of(database, transformer)) {
                            DeliveryResult refused = send(policy, suite.url("/hook"));
                            assertRefused(refused, "127.0.0.1:" + suite.port());
                            assertThat(((DeliveryResult.Rejected) refused).body())
                                    .contains("this suite's own services");
                        }
                        assertThat(send(policy, webhook.url("/hook"))).isInstanceOf(DeliveryResult.Delivered.class);
                    });
            // the operator's explicit decision: an entry naming exactly the endpoint opens it
            new ApplicationContextRunner()
                    .withUserConfiguration(EgressConfiguration.class)
                    .withPropertyValues(
                            "egress.allow=127.0.0.1:" + transformer.port(),
                            "router.transformer.url=" + transformer.url(""))
                    .run(context -> assertThat(send(context.getBean(EgressPolicy.class), transformer.url("/hook")))
                            .isInstanceOf(DeliveryResult.Delivered.class));
            assertThat(database.requests()).isEmpty();
            assertThat(transformer.requests()).hasSize(1);
            assertThat(webhook.requests()).hasSize(1);
        }
    }
}
