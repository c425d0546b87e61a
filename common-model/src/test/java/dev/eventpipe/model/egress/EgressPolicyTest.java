package dev.eventpipe.model.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** No connection is opened here: the policy only judges addresses. */
class EgressPolicyTest {
    private static final EgressPolicy DEFAULTS = EgressPolicy.of("", false, List.of());

    private static Optional<String> refusal(EgressPolicy policy, String address, int port) {
        return policy.refusal(InetAddress.ofLiteral(address), port);
    }

    @Test
    void loopbackLinkLocalMetadataMulticastAndUnspecifiedAreRefusedByDefault() {
        for (String address : List.of(
                "127.0.0.1",
                "127.8.9.10",
                "::1",
                "169.254.169.254",
                "169.254.1.1",
                "fe80::1",
                "224.0.0.1",
                "ff02::1",
                "0.0.0.0",
                "::",
                "255.255.255.255",
                "fd00:ec2::254",
                "100.100.100.200",
                "::ffff:127.0.0.1",
                "::127.0.0.1",
                "64:ff9b::a9fe:a9fe"))
            assertThat(refusal(DEFAULTS, address, 80)).as(address).isPresent();
    }

    @Test
    void theReasonNamesTheAddressAndTheSettingThatAllowsIt() {
        assertThat(refusal(DEFAULTS, "169.254.169.254", 80))
                .hasValueSatisfying(reason -> assertThat(reason)
                        .contains("169.254.169.254:80", "cloud metadata", "EGRESS_ALLOW=169.254.169.254/32"));
        assertThat(refusal(DEFAULTS, "::1", 8080))
                .hasValueSatisfying(r -> assertThat(r).contains("[::1]:8080", "loopback", "EGRESS_ALLOW=::1/128"));
    }

    @Test
    void publicAndPrivateAddressesAreAllowedByDefault() {
        for (String address :
                List.of("93.184.216.34", "10.0.0.1", "172.16.5.4", "192.168.1.1", "fd12::1", "2001:db8::1"))
            assertThat(refusal(DEFAULTS, address, 443)).as(address).isEmpty();
    }

    @Test
    void privateRangesAreRefusedWhenDenyPrivateIsSet() {
        EgressPolicy strict = EgressPolicy.of("", true, List.of());
        for (String address : List.of("10.0.0.1", "172.31.255.255", "192.168.0.1", "fd12::1"))
            assertThat(refusal(strict, address, 80))
                    .as(address)
                    .hasValueSatisfying(r -> assertThat(r).contains("private", "EGRESS_DENY_PRIVATE"));
        assertThat(refusal(strict, "172.32.0.1", 80)).isEmpty();
        assertThat(refusal(strict, "93.184.216.34", 80)).isEmpty();
    }

    @Test
    void theAllowListOverridesTheRefusalOfAnAddressByCidrAddressOrHostAndPort() {
        EgressPolicy policy =
                EgressPolicy.of(" 127.0.0.1/32, 10.1.0.0/16 ,::1, [fe80::1]:9000,localhost:7000", true, List.of());
        assertThat(refusal(policy, "127.0.0.1", 1)).isEmpty();
        assertThat(refusal(policy, "127.0.0.2", 1)).isPresent();
        assertThat(refusal(policy, "10.1.200.3", 80)).isEmpty();
        assertThat(refusal(policy, "10.2.0.1", 80)).isPresent();
        assertThat(refusal(policy, "::1", 5)).isEmpty();
        assertThat(refusal(policy, "fe80::1", 9000)).isEmpty();
        assertThat(refusal(policy, "fe80::1", 9001)).isPresent();
        EgressPolicy byName = EgressPolicy.of("localhost:7000", false, List.of());
        assertThat(refusal(byName, "127.0.0.1", 7000)).isEmpty();
        assertThat(refusal(byName, "127.0.0.1", 7001)).isPresent();
    }

    @Test
    void theSuiteOwnServicesAreRefusedOnEveryPort() {
        EgressPolicy policy = EgressPolicy.of("", false, List.of("10.9.0.0/24", "192.168.7.7", "localhost"));
        assertThat(refusal(policy, "10.9.0.17", 443))
                .hasValueSatisfying(r -> assertThat(r).contains("this suite"));
        assertThat(refusal(policy, "192.168.7.7", 8080)).isPresent();
        assertThat(refusal(policy, "192.168.7.8", 8080)).isEmpty();
    }

    /** As under ./run.sh: the jobs database on 127.0.0.1:15432, the transformer on 127.0.0.1:9090. */
    static final List<String> RUN_SH_SERVICES =
            List.of("jdbc:postgresql://127.0.0.1:15432/eventpipe?sslmode=disable", "http://127.0.0.1:9090");

    @Test
    void aCidrAllowEntryDoesNotOpenTheSuitesOwnServices() throws Exception {
        EgressPolicy policy = EgressPolicy.of(
                "127.0.0.1/32, ::1/128, 10.0.0.0/8, 0.0.0.0/0", false, List.of("10.9.0.0/24"), RUN_SH_SERVICES);
        assertThat(refusal(policy, "127.0.0.1", 15432))
                .hasValueSatisfying(r -> assertThat(r)
                        .contains("127.0.0.1:15432", "this suite's own services", "EGRESS_ALLOW", "exactly"));
        assertThat(refusal(policy, "127.0.0.1", 9090)).isPresent();
        // a server of the suite on this machine may listen on every address of it: the port is closed on all
        assertThat(refusal(policy, "::1", 15432)).isPresent();
        assertThat(refusal(policy, "127.0.0.2", 15432)).isPresent();
        assertThat(refusal(policy, "0.0.0.0", 15432)).isPresent();
        assertThat(refusal(policy, "::ffff:127.0.0.1", 15432)).isPresent();
        var lan = java.net.NetworkInterface.networkInterfaces()
                .flatMap(java.net.NetworkInterface::inetAddresses)
                .filter(a -> a instanceof java.net.Inet4Address && !a.isLoopbackAddress())
                .findFirst();
        lan.ifPresent(a -> assertThat(policy.refusal(a, 15432)).as(a.toString()).isPresent());
        // a suite service given by CIDR stays closed on every port although a range covers it
        assertThat(refusal(policy, "10.9.0.5", 443)).isPresent();
        // what the entries are for stays open: another port of this machine, another private address
        assertThat(refusal(policy, "127.0.0.1", 9000)).isEmpty();
        assertThat(refusal(policy, "::1", 9000)).isEmpty();
        assertThat(refusal(policy, "10.1.2.3", 443)).isEmpty();
        // the same holds for EGRESS_INTERNAL_HOSTS entries given as host:port
        EgressPolicy byInternalHost = EgressPolicy.of("127.0.0.1/32", false, List.of("127.0.0.1:15432"));
        assertThat(refusal(byInternalHost, "127.0.0.1", 15432)).isPresent();
        assertThat(refusal(byInternalHost, "127.0.0.1", 15433)).isEmpty();
    }

    @Test
    void aHostAndPortAllowEntryOpensTheSuitesOwnServiceOnThatPortOnly() {
        EgressPolicy exact = EgressPolicy.of("127.0.0.1:15432", false, List.of("10.9.0.0/24"), RUN_SH_SERVICES);
        assertThat(refusal(exact, "127.0.0.1", 15432)).isEmpty();
        assertThat(refusal(exact, "127.0.0.1", 9090)).isPresent();
        assertThat(refusal(exact, "::1", 15432)).isPresent();
        assertThat(refusal(EgressPolicy.of("10.9.0.5:8080", false, List.of("10.9.0.0/24")), "10.9.0.5", 8080))
                .isEmpty();
        // a bare host is no more explicit than a range: it allows every port, so it opens none of the suite's
        assertThat(refusal(EgressPolicy.of("127.0.0.1", false, List.of(), RUN_SH_SERVICES), "127.0.0.1", 15432))
                .isPresent();
        assertThat(refusal(EgressPolicy.of("localhost", false, List.of(), RUN_SH_SERVICES), "127.0.0.1", 15432))
                .isPresent();
        assertThat(refusal(EgressPolicy.of("localhost:15432", false, List.of(), RUN_SH_SERVICES), "127.0.0.1", 15432))
                .isEmpty();
    }

    @Test
    void theEarlyCheckRefusesTheSuitesOwnServicesDespiteARangeToo() {
        EgressPolicy policy = EgressPolicy.of("127.0.0.1/32,postgres", false, List.of("postgres"), RUN_SH_SERVICES);
        for (String host : List.of("127.0.0.1", "localhost", "postgres"))
            assertThat(policy.refusalForHost(host, 15432))
                    .as(host)
                    .hasValueSatisfying(r -> assertThat(r).contains("EGRESS_ALLOW", "15432"));
        assertThat(policy.refusalForUrl("http://localhost:9090/v0/destinations/webhook"))
                .isPresent();
        assertThat(policy.refusalForHost("127.0.0.1", 5432)).isEmpty();
        assertThat(EgressPolicy.of("127.0.0.1:15432", false, List.of(), RUN_SH_SERVICES)
                        .refusalForHost("127.0.0.1", 15432))
                .isEmpty();
        assertThat(EgressPolicy.of("postgres:5432", false, List.of("postgres")).refusalForHost("postgres", 5432))
                .isEmpty();
    }

    @Test
    void serviceUrlsGiveTheirHostAndPort() {
        assertThat(OwnAddresses.endpointsOf("jdbc:postgresql://db.example.com:6432/events?sslmode=verify-full"))
                .containsExactly(new OwnAddresses.Endpoint("db.example.com", 6432));
        assertThat(OwnAddresses.endpointsOf("jdbc:postgresql://u:p,w@Primary,[::1]:5433,replica:7/db"))
                .containsExactly(
                        new OwnAddresses.Endpoint("primary", 5432),
                        new OwnAddresses.Endpoint("::1", 5433),
                        new OwnAddresses.Endpoint("replica", 7));
        assertThat(OwnAddresses.endpointsOf("http://transformer:9090"))
                .containsExactly(new OwnAddresses.Endpoint("transformer", 9090));
        assertThat(OwnAddresses.endpointsOf("https://config.example.com/path"))
                .containsExactly(new OwnAddresses.Endpoint("config.example.com", 443));
        for (String url : List.of("", "not a url", "jdbc:h2:mem:x", "http://:80/"))
            assertThat(OwnAddresses.endpointsOf(url)).as(url).isEmpty();
    }

    @Test
    void anUnreadableInternalHostIsAnErrorNotASilentGap() {
        assertThatThrownBy(() -> EgressPolicy.of("", false, List.of("postgres:5432x")))
                .hasMessageContaining("EGRESS_INTERNAL_HOSTS");
    }

    @Test
    void anUnreadableAllowListIsAnErrorNotASilentDefault() {
        assertThatThrownBy(() -> EgressPolicy.of("10.0.0.0/33", false, List.of()))
                .hasMessageContaining("EGRESS_ALLOW");
        assertThatThrownBy(() -> EgressPolicy.of("sink:http", false, List.of())).hasMessageContaining("EGRESS_ALLOW");
    }

    @Test
    void aUrlCheckRefusesObviouslyInternalHostsWithoutResolvingNames() {
        EgressPolicy policy = EgressPolicy.of("", false, List.of("processor"));
        for (String url : List.of(
                "http://127.0.0.1:8086/api",
                "http://[::1]/",
                "http://169.254.169.254/latest/meta-data/",
                "http://localhost:8080",
                "https://api.localhost/x",
                "http://metadata.google.internal/computeMetadata/v1/",
                "http://processor:8086/api/v1/events/recent",
                "http://0.0.0.0:8080",
                "http://2130706433/"))
            assertThat(policy.refusalForUrl(url))
                    .as(url)
                    .hasValueSatisfying(r -> assertThat(r).contains("EGRESS_ALLOW"));
        for (String url : List.of("https://example.com/hook", "http://10.0.0.1/hook", "not a url", "ftp://127.0.0.1/"))
            assertThat(policy.refusalForUrl(url)).as(url).isEmpty();
        assertThat(EgressPolicy.of("127.0.0.1:9", false, List.of()).refusalForUrl("http://127.0.0.1:9/h"))
                .isEmpty();
        assertThat(EgressPolicy.of("localhost:8080", false, List.of()).refusalForUrl("http://localhost:8080/h"))
                .isEmpty();
    }

    @Test
    void aHostCheckRefusesObviouslyInternalWarehouseHostsUnlessAllowed() {
        EgressPolicy policy = EgressPolicy.of("", false, List.of("postgres"));
        for (String host :
                List.of("127.0.0.1", "[::1]", "::1", "169.254.169.254", "localhost", " LOCALHOST. ", "postgres"))
            assertThat(policy.refusalForHost(host, 5432))
                    .as(host)
                    .hasValueSatisfying(r -> assertThat(r).contains("EGRESS_ALLOW", "5432"));
        for (String host : List.of("db.example.com", "10.0.0.5", ""))
            assertThat(policy.refusalForHost(host, 5432)).as(host).isEmpty();
        assertThat(EgressPolicy.of("127.0.0.1:5432", false, List.of()).refusalForHost("127.0.0.1", 5432))
                .isEmpty();
        assertThat(EgressPolicy.of("127.0.0.1:5432", false, List.of()).refusalForHost("127.0.0.1", 5433))
                .isPresent();
        assertThat(EgressPolicy.of("127.0.0.1/32", false, List.of()).refusalForHost("127.0.0.1", 5433))
                .isEmpty();
    }
}
