package dev.eventpipe.warehouse.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loads into a real PostgreSQL warehouse (a database of its own): tables, types, discards, users, retries. */
class UploadLoaderIT {
    @TempDir
    Path dir;

    StagingFixture fx;
    long uploads;

    @BeforeEach
    void setUp() {
        fx = new StagingFixture(dir);
    }

    void load(boolean preferAppend, boolean retry, Instant loadTs, String... files) throws Exception {
        load(fx.loader(1600), preferAppend, retry, loadTs, Set.of(), files);
    }

    void load(UploadLoader loader, boolean append, boolean retry, Instant ts, Set<String> done, String... files)
            throws Exception {
        UploadLoader.Job job =
                new UploadLoader.Job(++uploads, fx.settings(), "ws", fx.store, List.of(files), append, retry, ts, done);
        loader.load(job, new UploadLoader.Progress() {
            @Override
            public void started(String table, long rows) {}

            @Override
            public void loaded(String table, long rows, long discards) {}
        });
    }

    static String track(String id, String event, String props) {
        return """
                {"type":"track","messageId":"%s","userId":"u1","anonymousId":"a1","event":"%s","properties":%s,
                 "receivedAt":"2024-05-01T10:00:00.000Z","sentAt":"2024-05-01T10:00:00.000Z",
                 "originalTimestamp":"2024-05-01T10:00:00.000Z","timestamp":"2024-05-01T10:00:00.000Z",
                 "context":{"library":{"name":"analytics-java"}},"request_ip":"10.0.0.1"}""".formatted(id, event, props);
    }

    static String identify(String id, String receivedAt, String traits) {
        return """
                {"type":"identify","messageId":"%s","userId":"u1","anonymousId":"a1","traits":%s,
                 "receivedAt":"%s","context":{"traits":{"plan":"free"}}}""".formatted(id, traits, receivedAt);
    }

    @Test
    void everyEventTypeLandsInItsTableWithTypedColumns() throws Exception {
        String file = fx.stage(
                track("t1", "Order Completed", "{\"revenue\":12.5,\"items\":3,\"coupon\":\"X\"}"),
                track("t2", "Product Viewed", "{\"sku\":\"p-1\"}"),
                identify("i1", "2024-05-01T10:00:00.000Z", "{\"email\":\"a@b.c\",\"age\":30}"),
                "{\"type\":\"page\",\"messageId\":\"p1\",\"anonymousId\":\"a1\",\"name\":\"Home\","
                        + "\"properties\":{\"path\":\"/\"}}",
                "{\"type\":\"screen\",\"messageId\":\"s1\",\"anonymousId\":\"a1\",\"name\":\"Main\"}",
                "{\"type\":\"group\",\"messageId\":\"g1\",\"userId\":\"u1\",\"groupId\":\"acme\","
                        + "\"traits\":{\"employees\":50}}",
                "{\"type\":\"alias\",\"messageId\":\"al1\",\"userId\":\"u1\",\"previousId\":\"a1\"}");
        load(false, false, Instant.parse("2024-05-01T11:00:00Z"), file);

        assertThat(fx.query(
                        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'ws'" + " ORDER BY 1"))
                .extracting(r -> r.get("table_name"))
                .containsExactly(
                        "aliases",
                        "groups",
                        "identifies",
                        "order_completed",
                        "pages",
                        "product_viewed",
                        "rudder_discards",
                        "screens",
                        "tracks",
                        "users");
        assertThat(fx.columns("order_completed"))
                .containsEntry("revenue", "numeric")
                .containsEntry("items", "bigint")
                .containsEntry("coupon", "text")
                .containsEntry("event_text", "text")
                .containsEntry("received_at", "timestamp with time zone")
                .containsEntry("context_library_name", "text")
                .containsEntry("context_ip", "text")
                .containsEntry("uuid_ts", "timestamp with time zone");
        assertThat(fx.count("tracks")).isEqualTo(2);
        Map<String, Object> order = fx.query("SELECT * FROM ws.order_completed").getFirst();
        assertThat(order.get("id")).isEqualTo("t1");
        assertThat((BigDecimal) order.get("revenue")).isEqualByComparingTo("12.5");
        assertThat(order.get("event")).isEqualTo("order_completed");
        assertThat(order.get("event_text")).isEqualTo("Order Completed");
        assertThat(order.get("context_ip")).isEqualTo("10.0.0.1");
        Map<String, Object> user = fx.query("SELECT * FROM ws.users").getFirst();
        assertThat(user.get("id")).isEqualTo("u1");
        assertThat(user.get("email")).isEqualTo("a@b.c");
        assertThat(user.get("context_traits_plan")).isEqualTo("free");
        assertThat(user).doesNotContainKey("user_id").containsKey("anonymous_id");
        assertThat(fx.query("SELECT name FROM ws.pages").getFirst().get("name")).isEqualTo("Home");
        assertThat(fx.query("SELECT group_id, employees FROM ws.groups").getFirst())
                .containsEntry("group_id", "acme")
                .containsEntry("employees", 50L);
        assertThat(fx.query("SELECT previous_id FROM ws.aliases").getFirst().get("previous_id"))
                .isEqualTo("a1");
    }

    @Test
    void theWarehousesTypeWinsAndWhatCannotConvertIsDiscardedWithTheReason() throws Exception {
        load(false, false, Instant.now(), fx.stage(track("a", "Buy", "{\"amount\":10,\"label\":\"x\"}")));
        load(
                false,
                false,
                Instant.now(),
                fx.stage(track("b", "Buy", "{\"amount\":\"ten\",\"label\":7,\"color\":\"red\"}")));

        assertThat(fx.columns("buy"))
                .containsEntry("amount", "bigint")
                .containsEntry("label", "text")
                .containsEntry("color", "text");
        Map<String, Object> b = fx.query("SELECT * FROM ws.buy WHERE id = 'b'").getFirst();
        assertThat(b.get("amount")).isNull();
        assertThat(b.get("label")).isEqualTo("7");
        assertThat(b.get("color")).isEqualTo("red");
        List<Map<String, Object>> discards = fx.query("SELECT * FROM ws.rudder_discards");
        assertThat(discards).hasSize(1);
        assertThat(discards.getFirst())
                .containsEntry("table_name", "buy")
                .containsEntry("row_id", "b")
                .containsEntry("column_name", "amount")
                .containsEntry("column_value", "ten")
                .containsEntry("reason", "incompatible schema conversion from int to string");
    }

    @Test
    void usersKeepTheNewestNonNullValueOfEachTrait() throws Exception {
        String first = fx.stage(
                identify("i1", "2024-05-01T10:00:00.000Z", "{\"email\":\"old@x.y\",\"name\":\"Ann\"}"),
                identify("i2", "2024-05-01T10:05:00.000Z", "{\"email\":\"new@x.y\"}"));
        load(false, false, Instant.now(), first);
        load(
                false,
                false,
                Instant.now(),
                fx.stage(identify("i3", "2024-05-01T09:00:00.000Z", "{\"name\":\"Late\",\"city\":\"Oslo\"}")));

        Map<String, Object> user = fx.query("SELECT * FROM ws.users").getFirst();
        assertThat(user.get("email")).isEqualTo("new@x.y");
        assertThat(user.get("name")).isEqualTo("Ann"); // the later-received value wins over a late older event
        assertThat(user.get("city")).isEqualTo("Oslo"); // a trait only the older event had fills its gap
        assertThat(fx.count("users")).isEqualTo(1);
        assertThat(fx.count("identifies")).isEqualTo(3);
    }

    @Test
    void loadingTheSameUploadAgainLeavesEveryRowOnceInMergeAndInAppendMode() throws Exception {
        String file = fx.stage(
                track("m1", "Click", "{\"n\":1}"), track("m2", "Click", "{\"n\":2}"), track("m1", "Click", "{}"));
        Instant ts = Instant.parse("2024-05-01T12:00:00Z");
        load(false, false, ts, file);
        load(false, true, ts, file);
        assertThat(fx.count("click")).isEqualTo(2);
        assertThat(fx.count("tracks")).isEqualTo(2);

        StagingFixture other = fx;
        String appendFile = other.stage(track("x1", "Append Me", "{}"), track("x2", "Append Me", "{}"));
        load(true, false, ts, appendFile);
        load(true, true, ts, appendFile);
        assertThat(fx.count("append_me")).isEqualTo(2);
    }

    @Test
    void tablesAlreadyLoadedByThisUploadAreSkippedOnRetry() throws Exception {
        String file = fx.stage(track("s1", "Skip", "{}"));
        load(fx.loader(1600), true, false, Instant.now(), Set.of(), file);
        load(fx.loader(1600), true, true, Instant.now(), Set.of("skip", "tracks"), file);
        assertThat(fx.count("skip")).isEqualTo(1);
    }

    @Test
    void columnsBeyondTheLimitAreDiscardedAndTheRestLoads() throws Exception {
        StringBuilder props = new StringBuilder("{");
        for (int i = 0; i < 40; i++)
            props.append(i == 0 ? "" : ",").append("\"p").append(i).append("\":1");
        String file = fx.stage(track("w1", "Wide", props.append("}").toString()));
        load(fx.loader(30), false, false, Instant.now(), Set.of(), file);

        assertThat(fx.columns("wide")).hasSize(30).containsKeys("id", "received_at", "uuid_ts");
        assertThat(fx.count("wide")).isEqualTo(1);
        List<Map<String, Object>> discards = fx.query("SELECT * FROM ws.rudder_discards WHERE table_name = 'wide'");
        assertThat(discards).isNotEmpty();
        assertThat(discards.getFirst().get("reason").toString()).contains("column limit");
    }

    @Test
    void hostileValuesLoadCleanly() throws Exception {
        List<String> events = new ArrayList<>();
        events.add(track("h1", "Hostile", "{\"nul\":\"a\\u0000b\",\"tab\":\"x\\ty\\nz\\\\\",\"emoji\":\"🙂\"}"));
        events.add(track("h2", "Hostile", "{\"nested\":{\"deep\":{\"er\":[1,{\"a\":\"\\u0000\"}]}}}"));
        load(false, false, Instant.now(), fx.stage(events.toArray(String[]::new)));

        Map<String, Object> h1 =
                fx.query("SELECT * FROM ws.hostile WHERE id = 'h1'").getFirst();
        assertThat(h1.get("nul")).isEqualTo("a\uFFFDb");
        assertThat(h1.get("tab")).isEqualTo("x\ty\nz\\");
        assertThat(h1.get("emoji")).isEqualTo("🙂");
        Map<String, Object> h2 =
                fx.query("SELECT * FROM ws.hostile WHERE id = 'h2'").getFirst();
        assertThat(h2.get("nested_deep_er").toString()).startsWith("[1,");
    }
}
