package dev.eventpipe.jobsdb;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonbTextTest {
    @Test
    void textWithoutAnythingJsonbRefusesIsReturnedAsItIs() {
        String json = "{\"a\":\"caf\u00e9 \\u00e9 \\\" \\\\ \\n \ud83d\ude00 \\ud83d\\ude00\"}";
        assertThat(JsonbText.safe(json)).isEqualTo(json);
    }

    @Test
    void theNulEscapeBecomesTheReplacementCharacter() {
        assertThat(JsonbText.safe("{\"a\":\"x\\u0000y\"}")).isEqualTo("{\"a\":\"x\\ufffdy\"}");
        assertThat(JsonbText.safe("{\"a\":\"\\u0000\\u0000\"}")).isEqualTo("{\"a\":\"\\ufffd\\ufffd\"}");
    }

    @Test
    void anEscapedBackslashBeforeU0000IsSixCharactersNotANul() {
        String json = "{\"a\":\"\\\\u0000\"}";
        assertThat(JsonbText.safe(json)).isEqualTo(json);
        assertThat(JsonbText.safe("{\"a\":\"\\\\\\u0000\"}")).isEqualTo("{\"a\":\"\\\\\\ufffd\"}");
    }

    @Test
    void escapedSurrogatesOutsideAPairAreReplacedAndPairsKept() {
        assertThat(JsonbText.safe("[\"\\ud800\"]")).isEqualTo("[\"\\ufffd\"]");
        assertThat(JsonbText.safe("[\"\\udc00x\"]")).isEqualTo("[\"\\ufffdx\"]");
        assertThat(JsonbText.safe("[\"\\ud800\\u0041\"]")).isEqualTo("[\"\\ufffd\\u0041\"]");
        assertThat(JsonbText.safe("[\"\\uD83D\\uDE00\\ud800\"]")).isEqualTo("[\"\\uD83D\\uDE00\\ufffd\"]");
        assertThat(JsonbText.safe("[\"\\ud800")).isEqualTo("[\"\\ufffd");
    }

    @Test
    void rawNulAndLoneSurrogateCharactersAreReplaced() {
        assertThat(JsonbText.safe("[\"a\u0000b\"]")).isEqualTo("[\"a\\ufffdb\"]");
        assertThat(JsonbText.safe("[\"a\ud800b\"]")).isEqualTo("[\"a\ufffdb\"]");
        assertThat(JsonbText.safe("[\"\udc00\ud83d\ude00\"]")).isEqualTo("[\"\ufffd\ud83d\ude00\"]");
        assertThat(JsonbText.safe("[\"\ud83d")).isEqualTo("[\"\ufffd");
    }

    @Test
    void truncatedEscapesAreLeftForTheDatabaseToJudge() {
        assertThat(JsonbText.safe("[\"\\u00")).isEqualTo("[\"\\u00");
        assertThat(JsonbText.safe("\\")).isEqualTo("\\");
    }
}
