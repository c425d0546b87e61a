package dev.eventpipe.transformer.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.model.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExactNumbersTest {
    static ExactNumbers of(String json) {
        return ExactNumbers.of(List.of(Json.exact().readTree(json)));
    }

    @Test
    void numbersADoubleCarriesNeedNothing() {
        assertThat(of("{\"p\":19999999.99,\"r\":0.0005,\"b\":1000000000000000000000,\"n\":9007199254740992,\"t\":2.5}")
                        .isEmpty())
                .isTrue();
    }

    @Test
    void aNumberPastTheDoubleRangeIsFoundAndNeverThrows() {
        String huge = "{\"p\":{\"n\":[1," + "9".repeat(350) + "]},\"id\":123456789012345678901234567890}";
        assertThat(ExactNumbers.hasOutOfRange(Json.exact().readTree(huge))).isTrue();
        assertThat(ExactNumbers.hasOutOfRange(Json.exact().readTree("{\"n\":-1e400}")))
                .isTrue();
        assertThat(ExactNumbers.hasOutOfRange(Json.exact().readTree("{\"n\":1.7976931348623157e308,\"m\":1e-400}")))
                .isFalse();
        // before review 1330 P1-1 this threw (Jackson 3's doubleValue() past the range) and failed the request
        assertThat(of(huge).restore("{\"id\":1.2345678901234568e+29,\"n\":null}"))
                .isEqualTo("{\"id\":123456789012345678901234567890,\"n\":null}");
    }

    @Test
    void aBigIntegerPassedThroughJavaScriptGetsItsDigitsBack() {
        ExactNumbers numbers = of("{\"properties\":{\"id\":123456789012345678901234567890,\"price\":19999999.99}}");
        // what JSON.stringify writes after JSON.parse
        assertThat(numbers.restore(
                        "{\"body\":{\"JSON\":{\"id\":1.2345678901234568e+29,\"price\":19999999.99,\"x\":3}}}"))
                .isEqualTo(
                        "{\"body\":{\"JSON\":{\"id\":123456789012345678901234567890,\"price\":19999999.99,\"x\":3}}}");
    }

    @Test
    void aLongDecimalPassedThroughGetsItsDigitsBackButAComputedValueDoesNot() {
        ExactNumbers numbers = of("{\"v\":0.123456789012345678901}");
        assertThat(numbers.restore("[0.12345678901234568,0.24691357802469136]"))
                .isEqualTo("[0.123456789012345678901,0.24691357802469136]");
    }

    @Test
    void twoInputsWithTheSameDoubleAreAmbiguousAndLeftAsTheyAre() {
        ExactNumbers numbers = of("{\"a\":123456789012345678901234567890,\"b\":123456789012345678901234567891}");
        assertThat(numbers.restore("[1.2345678901234568e+29]")).isEqualTo("[123456789012345680000000000000]");
    }

    @Test
    void trailingZerosPassedThroughAreKept() {
        assertThat(of("{\"total\":2.50}").restore("{\"t\":2.5,\"n\":7}")).isEqualTo("{\"t\":2.50,\"n\":7}");
    }
}
