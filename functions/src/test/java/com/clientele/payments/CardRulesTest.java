package com.clientele.payments;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.shared.http.FieldError;
import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CardRulesTest {

    private static final YearMonth NOW = YearMonth.of(2026, 6);

    private static CardDetails card(String number, Integer month, Integer year, String cvc) {
        return new CardDetails(number, month, year, cvc, "Ada Lovelace");
    }

    private static List<FieldError> errors(CardDetails card) {
        return CardRules.validate(card, NOW, "card");
    }

    private static List<String> fields(CardDetails card) {
        return errors(card).stream().map(FieldError::field).toList();
    }

    @Test
    void acceptsAValidCardTypedWithSpacesAndDashes() {
        assertThat(errors(card("4242 4242-4242 4242", 12, 2030, "123"))).isEmpty();
        assertThat(errors(new CardDetails("4242424242424242", 1, 2031, "999", null))).as("holder name is optional").isEmpty();
    }

    @Test
    void normaliseStripsSpacesAndDashesOnly() {
        assertThat(CardRules.normalise(" 4242-4242 4242 4242 ")).isEqualTo("4242424242424242");
        assertThat(CardRules.normalise("4242x42")).isEqualTo("4242x42");
        assertThat(CardRules.normalise(null)).isNull();
    }

    @ParameterizedTest
    @CsvSource({
            "4242424242424242, visa",
            "4000056655665556, visa",
            "5555555555554444, mastercard",
            "5105105105105100, mastercard",
            "2223003122003222, mastercard",
            "2720990000000007, mastercard",
            "378282246310005, amex",
            "371449635398431, amex",
            "6011111111111117, discover",
            "6500000000000002, discover",
            "6445644564456445, discover",
            "3566002020360505, jcb",
            "3528000000000007, jcb",
            "36227206271667, diners",
            "30569309025904, diners",
            "6200000000000005, unionpay",
            "2721000000000000, unknown",
            "3590000000000000, unknown",
            "9999999999999995, unknown",
            "42, unknown",
    })
    void detectsTheBrandFromThePrefix(String number, String brand) {
        assertThat(CardRules.brand(number)).isEqualTo(brand);
    }

    @Test
    void brandOfNothingIsUnknown() {
        assertThat(CardRules.brand(null)).isEqualTo("unknown");
        assertThat(CardRules.brand("abcd1234")).isEqualTo("unknown");
        assertThat(CardRules.brand("4242 4242 4242 4242")).isEqualTo("visa");
    }

    @Test
    void rejectsANumberFailingTheLuhnCheck() {
        assertThat(errors(card("4242424242424241", 12, 2030, "123")))
                .containsExactly(new FieldError("card.number", "is not a valid card number"));
        assertThat(CardRules.luhnValid("79927398713")).isTrue();
        assertThat(CardRules.luhnValid("79927398710")).isFalse();
        assertThat(CardRules.luhnValid("")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "4242 4242 4242 424x", "42424242424", "42424242424242424242"})
    void rejectsMissingNonDigitAndBadLengthNumbers(String number) {
        assertThat(fields(card(number, 12, 2030, "123"))).containsExactly("card.number");
        assertThat(fields(card(null, 12, 2030, "123"))).containsExactly("card.number");
    }

    @Test
    void acceptsTwelveToNineteenDigits() {
        assertThat(errors(card("400000000002", 12, 2030, "123"))).isEmpty();
        assertThat(errors(card("4000000000000000006", 12, 2030, "123"))).isEmpty();
    }

    @Test
    void expiryMonthAndYearMustBeWellFormed() {
        assertThat(errors(card("4242424242424242", 0, 2030, "123")))
                .containsExactly(new FieldError("card.expMonth", "must be between 1 and 12"));
        assertThat(fields(card("4242424242424242", 13, 2030, "123"))).containsExactly("card.expMonth");
        assertThat(errors(card("4242424242424242", 12, 30, "123")))
                .containsExactly(new FieldError("card.expYear", "must have 4 digits"));
        assertThat(fields(card("4242424242424242", null, null, "123"))).containsExactly("card.expMonth", "card.expYear");
    }

    @Test
    void rejectsAnExpiryInThePast() {
        assertThat(errors(card("4242424242424242", 12, 2025, "123")))
                .containsExactly(new FieldError("card.expYear", "is in the past"));
        assertThat(errors(card("4242424242424242", 5, 2026, "123")))
                .containsExactly(new FieldError("card.expMonth", "is in the past"));
        assertThat(errors(card("4242424242424242", 6, 2026, "123"))).as("valid through its expiry month").isEmpty();
        assertThat(errors(card("4242424242424242", 1, 2027, "123"))).isEmpty();
    }

    @Test
    void cvcHasThreeDigitsOrFourForAmex() {
        assertThat(errors(card("4242424242424242", 12, 2030, "1234")))
                .containsExactly(new FieldError("card.cvc", "must be 3 digits"));
        assertThat(fields(card("4242424242424242", 12, 2030, "12"))).containsExactly("card.cvc");
        assertThat(fields(card("4242424242424242", 12, 2030, "12a"))).containsExactly("card.cvc");
        assertThat(fields(card("4242424242424242", 12, 2030, null))).containsExactly("card.cvc");
        assertThat(errors(card("378282246310005", 12, 2030, "1234"))).isEmpty();
        assertThat(errors(card("3782 822463 10005", 12, 2030, "123")))
                .containsExactly(new FieldError("card.cvc", "must be 4 digits"));
    }

    @Test
    void holderNameIsAtMostAHundredCharacters() {
        var card = new CardDetails("4242424242424242", 12, 2030, "123", "a".repeat(101));
        assertThat(fields(card)).containsExactly("card.holderName");
        assertThat(errors(new CardDetails("4242424242424242", 12, 2030, "123", "a".repeat(100)))).isEmpty();
    }

    @Test
    void reportsEveryFieldUnderTheGivenPrefix() {
        var bad = new CardDetails("1234", 13, 99, "x", "b".repeat(101));
        assertThat(CardRules.validate(bad, NOW, "payment.card").stream().map(FieldError::field))
                .containsExactly("payment.card.number", "payment.card.expMonth", "payment.card.expYear",
                        "payment.card.cvc", "payment.card.holderName");
        assertThat(CardRules.validate(bad, NOW, "").get(0).field()).isEqualTo("number");
        assertThat(CardRules.validate(null, NOW, "card")).containsExactly(new FieldError("card", "is required"));
    }

    @Test
    void messagesNeverEchoTheNumberOrCvc() {
        assertThat(errors(card("4242424242424241", 12, 2030, "98765")))
                .allSatisfy(e -> assertThat(e.message()).doesNotContain("4242", "98765"));
    }
}
