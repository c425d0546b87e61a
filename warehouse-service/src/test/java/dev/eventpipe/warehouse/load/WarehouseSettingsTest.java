package dev.eventpipe.warehouse.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WarehouseSettingsTest {

    private static Map<String, Object> config(String host) {
        return Map.of("host", host, "port", "5432", "database", "dw", "user", "u", "password", "p");
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "db.example.com", "db-1.internal.", "10.0.0.7", "::1", "2001:db8::5"})
    void aHostNameOrAnAddressIsTaken(String host) {
        assertThat(WarehouseSettings.of(config(" " + host + " ")).host()).isEqualTo(host);
    }

    /** The host goes into the JDBC URL: nothing may add driver parameters or more hosts to it. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "db.example.com/dw?socketFactory=javax.net.DefaultSocketFactory&x=",
                "db.example.com:5432/dw?sslmode=disable",
                "db.example.com,127.0.0.1",
                "user@db.example.com",
                "db.example.com#",
                "-db.example.com",
                "db example.com",
                "fe80::1%eth0"
            })
    void anythingElseIsRefusedBeforeAUrlIsMade(String host) {
        assertThatThrownBy(() -> WarehouseSettings.of(config(host)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("host name or an IP address");
    }

    @Test
    void theUrlHoldsOnlyOurParameters() {
        String url = WarehouseSettings.of(config("db.example.com"))
                .jdbcUrl(java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(60));
        assertThat(url).startsWith("jdbc:postgresql://db.example.com:5432/dw?sslmode=disable&");
    }
}
