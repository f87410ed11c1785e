package com.clientele.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clientele.payments.PaymentGateway.GatewayUnavailable;
import com.clientele.shared.Money;
import com.clientele.shared.http.ApiException;
import com.clientele.shared.http.FieldError;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SandboxGatewayTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-15T12:00:00Z"), ZoneOffset.UTC);
    private static final Money TEN_EUROS = new Money(1000, "EUR");

    private final SandboxGateway gateway = new SandboxGateway(CLOCK);
    private final SandboxGateway.Processor processor = SandboxGateway.processor();

    private static CardDetails card(String number) {
        return new CardDetails(number, 12, 2030, number.startsWith("37") ? "1234" : "123", "Ada Lovelace");
    }

    private String token(String number) {
        return gateway.tokenize(card(number)).token();
    }

    /** A fresh key per call: the processor is shared by the whole JVM, like a real one. */
    private static String key() {
        return "idem_" + UUID.randomUUID();
    }

    @ParameterizedTest
    @CsvSource({
            "4242424242424242, ",
            "4000000000000002, card_declined",
            "4000000000009995, insufficient_funds",
            "4000000000000069, expired_card",
            "4000000000000119, processing_error",
            "4000000000000341, card_declined",
            "5555555555554444, ",
            "378282246310005, ",
            "6011111111111117, ",
    })
    void eachTestCardHasItsOutcome(String number, String failureCode) {
        String key = key();
        long before = processor.totalChargesPerformed();
        var result = gateway.charge(token(number), TEN_EUROS, "Order 1", key);

        assertThat(result.reference()).startsWith("ch_sandbox_");
        assertThat(result.failureCode()).isEqualTo(failureCode);
        assertThat(result.succeeded()).isEqualTo(failureCode == null);
        if (failureCode != null) {
            assertThat(result.failureMessage()).isNotBlank().doesNotContain(number);
        }
        long performed = failureCode == null ? 1 : 0;
        assertThat(processor.chargesPerformed(key)).isEqualTo(performed);
        assertThat(processor.totalChargesPerformed() - before).isEqualTo(performed);
    }

    @Test
    void declinesWithHumanMessages() {
        var declined = gateway.charge(token("4000000000000002"), TEN_EUROS, null, key());
        assertThat(declined.failureMessage()).isEqualTo("Your card was declined.");
        var funds = gateway.charge(token("4000000000009995"), TEN_EUROS, null, key());
        assertThat(funds.failureMessage()).isEqualTo("Your card has insufficient funds.");
    }

    @Test
    void theDeclineChargeCardTokenizesButEveryChargeIsDeclined() {
        var token = gateway.tokenize(card("4000000000000341"));
        assertThat(token.brand()).isEqualTo("visa");
        assertThat(token.last4()).isEqualTo("0341");
        for (int i = 0; i < 3; i++) {
            assertThat(gateway.charge(token.token(), TEN_EUROS, null, key()).failureCode()).isEqualTo("card_declined");
        }
    }

    @Test
    void aRepeatWithTheSameKeyReturnsTheFirstResultAndChargesOnce() {
        String token = token("4242424242424242");
        String key = key();
        long before = processor.totalChargesPerformed();

        var first = gateway.charge(token, TEN_EUROS, "Order 2", key);
        var again = gateway.charge(token, TEN_EUROS, "Order 2", key);

        assertThat(again).isEqualTo(first);
        assertThat(processor.chargesPerformed(key)).isEqualTo(1);
        assertThat(processor.totalChargesPerformed() - before).isEqualTo(1);
        assertThat(gateway.charge(token, TEN_EUROS, "Order 3", key()).reference())
                .as("a new key is a new charge").isNotEqualTo(first.reference());
    }

    @Test
    void aDeclineIsAlsoReturnedAgainForItsKey() {
        String token = token("4000000000000119");
        String key = key();
        var first = gateway.charge(token, TEN_EUROS, null, key);
        assertThat(gateway.charge(token, TEN_EUROS, null, key)).isEqualTo(first);
        assertThat(processor.chargesPerformed(key)).isZero();
    }

    @Test
    void aKeyReusedForAnotherChargeIsRefused() {
        String token = token("4242424242424242");
        String key = key();
        gateway.charge(token, TEN_EUROS, null, key);
        assertThatThrownBy(() -> gateway.charge(token, new Money(2000, "EUR"), null, key))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(processor.chargesPerformed(key)).isEqualTo(1);
    }

    @Test
    void aLostResponseIsNeitherASilentSuccessNorADoubleCharge() {
        String token = token(SandboxGateway.LOST_RESPONSE_CARD);
        assertThat(token).startsWith("tok_sandbox_lost_response_");
        String key = key();
        long before = processor.totalChargesPerformed();

        assertThatThrownBy(() -> gateway.charge(token, TEN_EUROS, "Order 4", key))
                .isInstanceOf(GatewayUnavailable.class);
        assertThat(processor.chargesPerformed(key)).as("performed despite the timeout").isEqualTo(1);
        String performed = processor.chargeReference(key);
        assertThat(performed).startsWith("ch_sandbox_");

        var retry = gateway.charge(token, TEN_EUROS, "Order 4", key);
        assertThat(retry.succeeded()).isTrue();
        assertThat(retry.reference()).isEqualTo(performed);
        assertThat(processor.chargesPerformed(key)).isEqualTo(1);
        assertThat(processor.totalChargesPerformed() - before).isEqualTo(1);
        assertThat(gateway.charge(token, TEN_EUROS, "Order 4", key)).isEqualTo(retry);
    }

    @Test
    void fiftyConcurrentChargesWithOneKeyChargeOnce() throws Exception {
        String token = token("4242424242424242");
        String key = key();
        long before = processor.totalChargesPerformed();

        var outcomes = race(50, () -> gateway.charge(token, TEN_EUROS, "Order 5", key));

        assertThat(outcomes).allSatisfy(o -> assertThat(o).isInstanceOf(GatewayResult.class));
        assertThat(outcomes.stream().map(o -> ((GatewayResult) o).reference()).distinct()).hasSize(1);
        assertThat(processor.chargesPerformed(key)).isEqualTo(1);
        assertThat(processor.totalChargesPerformed() - before).isEqualTo(1);
    }

    @Test
    void fiftyConcurrentChargesOfTheLostResponseCardLoseOneAnswerAndChargeOnce() throws Exception {
        String token = token(SandboxGateway.LOST_RESPONSE_CARD);
        String key = key();

        var outcomes = race(50, () -> gateway.charge(token, TEN_EUROS, "Order 6", key));

        assertThat(outcomes).filteredOn(o -> o instanceof GatewayUnavailable).hasSize(1);
        assertThat(outcomes).filteredOn(o -> o instanceof GatewayResult r && r.succeeded()
                && r.reference().equals(processor.chargeReference(key))).hasSize(49);
        assertThat(processor.chargesPerformed(key)).isEqualTo(1);
    }

    /** Runs the call on as many threads at once; each outcome is the result or the exception. */
    private static List<Object> race(int threads, Callable<GatewayResult> call) throws InterruptedException {
        var start = new CountDownLatch(1);
        var futures = new ArrayList<Future<GatewayResult>>();
        try (var pool = Executors.newFixedThreadPool(threads)) {
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            start.countDown();
            var outcomes = new ArrayList<Object>();
            for (var future : futures) {
                try {
                    outcomes.add(future.get());
                } catch (ExecutionException e) {
                    outcomes.add(e.getCause());
                }
            }
            return outcomes;
        }
    }

    @ParameterizedTest
    @CsvSource({
            "4242424242424242, 123, visa",
            "4000000000000002, 123, visa",
            "4000000000000341, 123, visa",
            "4000000000000408, 123, visa",
            "5555555555554444, 123, mastercard",
            "378282246310005, 1234, amex",
            "3566002020360505, 123, jcb",
    })
    void tokensCarryNeitherTheNumberNorTheCvc(String number, String cvc, String brand) {
        var card = new CardDetails(number.substring(0, 4) + " " + number.substring(4), 12, 2030, cvc, "Ada");
        var token = gateway.tokenize(card);

        assertThat(token.token()).matches("tok_sandbox_[a-z_]+_[0-9A-Z]{26}");
        String bytes = number + cvc;
        assertThat(token.token()).doesNotContain(number, number.substring(6), bytes,
                Base64.getEncoder().encodeToString(number.getBytes(StandardCharsets.US_ASCII)),
                Base64.getUrlEncoder().withoutPadding().encodeToString(number.getBytes(StandardCharsets.US_ASCII)),
                HexFormat.of().formatHex(number.getBytes(StandardCharsets.US_ASCII)),
                Long.toString(Long.parseLong(number), 36), Long.toString(Long.parseLong(number), 16));
        assertThat(token.toString()).doesNotContain(number);
        assertThat(token.brand()).isEqualTo(brand);
        assertThat(token.bin()).isEqualTo(number.substring(0, 6));
        assertThat(token.last4()).isEqualTo(number.substring(number.length() - 4));
        assertThat(gateway.tokenize(card).token()).as("a new token each time").isNotEqualTo(token.token());
    }

    @Test
    void refusesToTokenizeACardTheRulesReject() {
        assertThatThrownBy(() -> gateway.tokenize(card("4242424242424241")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.errors())
                        .containsExactly(new FieldError("card.number", "is not a valid card number")));
        var expired = new CardDetails("4242424242424242", 5, 2026, "123", null);
        assertThatThrownBy(() -> gateway.tokenize(expired))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.errors())
                        .containsExactly(new FieldError("card.expMonth", "is in the past")));
    }

    @Test
    void aTokenFromElsewhereIsDeclined() {
        for (var bad : new String[] {"tok_4242424242424242", "tok_sandbox_succeed_nope", "tok_sandbox_fly_01J0000000000000000000000A", null}) {
            var result = gateway.charge(bad, TEN_EUROS, null, key());
            assertThat(result.failureCode()).isEqualTo("invalid_token");
        }
    }

    @Test
    void refundsAKnownChargeUpToWhatIsLeft() {
        String charge = gateway.charge(token("4242424242424242"), TEN_EUROS, null, key()).reference();

        var part = gateway.refund(charge, new Money(400, "EUR"), key());
        assertThat(part.succeeded()).isTrue();
        assertThat(part.reference()).startsWith("rf_sandbox_");
        var tooMuch = gateway.refund(charge, new Money(601, "EUR"), key());
        assertThat(tooMuch.failureCode()).isEqualTo("amount_too_large");
        assertThat(gateway.refund(charge, new Money(600, "EUR"), key()).succeeded()).isTrue();
        assertThat(processor.refunded(charge)).isEqualTo(1000);
        assertThat(gateway.refund(charge, new Money(1, "EUR"), key()).failureCode()).isEqualTo("amount_too_large");
    }

    @Test
    void refundsAreIdempotent() {
        String charge = gateway.charge(token("4242424242424242"), TEN_EUROS, null, key()).reference();
        String key = key();
        long before = processor.totalRefundsPerformed();

        var first = gateway.refund(charge, new Money(700, "EUR"), key);
        var again = gateway.refund(charge, new Money(700, "EUR"), key);

        assertThat(again).isEqualTo(first);
        assertThat(first.succeeded()).isTrue();
        assertThat(processor.refunded(charge)).isEqualTo(700);
        assertThat(processor.refundsPerformed(key)).isEqualTo(1);
        assertThat(processor.totalRefundsPerformed() - before).isEqualTo(1);
    }

    @Test
    void refundsOfUnknownOrFailedChargesAreDeclined() {
        assertThat(gateway.refund("ch_sandbox_01J0000000000000000000000A", TEN_EUROS, key()).failureCode())
                .isEqualTo("charge_not_found");
        String declined = gateway.charge(token("4000000000000002"), TEN_EUROS, null, key()).reference();
        assertThat(gateway.refund(declined, TEN_EUROS, key()).failureCode()).isEqualTo("charge_not_found");
        String charge = gateway.charge(token("4242424242424242"), TEN_EUROS, null, key()).reference();
        assertThat(gateway.refund(charge, new Money(100, "USD"), key()).failureCode()).isEqualTo("currency_mismatch");
    }

    @Test
    void refusesMissingKeysAndNonPositiveAmounts() {
        String token = token("4242424242424242");
        assertThatThrownBy(() -> gateway.charge(token, TEN_EUROS, null, " ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> gateway.charge(token, new Money(0, "EUR"), null, key()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> gateway.refund("ch_sandbox_x", new Money(-1, "EUR"), key()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
