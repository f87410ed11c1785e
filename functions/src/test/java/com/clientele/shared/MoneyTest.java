package com.clientele.shared;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MoneyTest {

    @Test
    void aCurrencyIsAnIsoCodeWithMinorUnits() {
        assertThat(Money.isCurrency("USD")).isTrue();
        assertThat(Money.isCurrency("JPY")).as("no decimals, still minor units (0 digits)").isTrue();
        assertThat(Money.isCurrency("KWD")).isTrue();
        assertThat(Money.isCurrency("usd")).isFalse();
        assertThat(Money.isCurrency("ZZZ")).isFalse();
        assertThat(Money.isCurrency(null)).isFalse();
        assertThat(Money.isCurrency("XXX")).as("no currency").isFalse();
        assertThat(Money.isCurrency("XTS")).as("for testing").isFalse();
        assertThat(Money.isCurrency("XAU")).as("gold").isFalse();
        assertThat(Money.isCurrency("XDR")).as("special drawing rights").isFalse();
    }
}
