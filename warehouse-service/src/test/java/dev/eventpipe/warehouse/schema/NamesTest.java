package dev.eventpipe.warehouse.schema;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NamesTest {
    @Test
    void namesAreSnakeCasedAsLodashSplitsWords() {
        assertThat(Names.column("productId", false)).isEqualTo("product_id");
        assertThat(Names.column("Product ID", false)).isEqualTo("product_id");
        assertThat(Names.column("context_userAgent", false)).isEqualTo("context_user_agent");
        assertThat(Names.column("XMLHttp", false)).isEqualTo("xml_http");
        assertThat(Names.column("isISO8601", false)).isEqualTo("is_iso8601");
        assertThat(Names.column("walk500Miles", false)).isEqualTo("walk500_miles");
        assertThat(Names.column("tooLegit2Quit", false)).isEqualTo("too_legit2_quit");
        assertThat(Names.column("12ft", false)).isEqualTo("_12ft");
        assertThat(Names.column("price", false)).isEqualTo("price");
    }

    @Test
    void underscoreDivideNumbersMakesDigitsWordsOfTheirOwn() {
        assertThat(Names.column("walk500Miles", true)).isEqualTo("walk_500_miles");
        assertThat(Names.column("address2", true)).isEqualTo("address_2");
        assertThat(Names.column("isISO8601", true)).isEqualTo("is_iso_8601");
        assertThat(Names.column("1st place", true)).isEqualTo("_1st_place");
    }

    @Test
    void punctuationAndNonAsciiNeverReachAName() {
        assertThat(Names.column("a.b-c d", false)).isEqualTo("a_b_c_d");
        assertThat(Names.column("prix €", false)).isEqualTo("prix");
        assertThat(Names.column("🙂", false)).isEmpty();
        assertThat(Names.column("\u0000x", false)).isEqualTo("x");
    }

    @Test
    void leadingUnderscoresStayAndDigitsGetOne() {
        assertThat(Names.column("__secret", false)).isEqualTo("__secret");
        assertThat(Names.column("2fa", false)).isEqualTo("_2fa");
    }

    @Test
    void reservedWordsGetAnUnderscoreAndNamesStayWithinSixtyThreeCharacters() {
        assertThat(Names.column("from", false)).isEqualTo("_from");
        assertThat(Names.column("Order", false)).isEqualTo("_order");
        assertThat(Names.column("x".repeat(100), false)).hasSize(63);
        String reservedLong = Names.safe("select");
        assertThat(reservedLong).isEqualTo("_select");
    }

    @Test
    void eventTablesNeverTakeTheNamesOfTheTablesTheWarehouseCreates() {
        assertThat(Names.eventTable("users", false)).isEqualTo("_users");
        assertThat(Names.eventTable("pages", false)).isEqualTo("_pages");
        assertThat(Names.eventTable("product_added", false)).isEqualTo("product_added");
        assertThat(Names.eventTable("group", false)).isEqualTo("_group");
    }

    @Test
    void schemaNamesComeFromTheSourceName() {
        assertThat(Names.namespace("Demo HTTP source")).isEqualTo("demo_http_source");
        assertThat(Names.namespace("1st app")).isEqualTo("_1st_app");
        assertThat(Names.namespace("!!!")).isEqualTo("stringempty");
        assertThat(Names.namespace("user")).isEqualTo("_user");
    }
}
