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
    void theAllowListOverridesEveryRefusalByCidrAddressOrHostAndPort() {
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
