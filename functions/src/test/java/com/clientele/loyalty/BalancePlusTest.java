package com.clientele.loyalty;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Two balances as one (a merge): every figure summed, the expiry days merged, one version on. */
class BalancePlusTest {

    @Test
    void sumsEveryFigureAndMergesTheExpiryDays() {
        var primary = new Balance(89, 100, 5, 6, 0, 0, 1, Map.of("2027-01-01", 50L, "2027-02-01", 39L), 4);
        var duplicate = new Balance(75, 80, 0, 0, 5, 0, 2, Map.of("2027-01-01", 25L, "2027-03-01", 50L), 7);
        var sum = primary.plus(duplicate);
        assertThat(sum).isEqualTo(new Balance(164, 180, 5, 6, 5, 0, 3,
                Map.of("2027-01-01", 75L, "2027-02-01", 39L, "2027-03-01", 50L), 5));
        assertThat(Balance.EMPTY.plus(Balance.EMPTY)).isEqualTo(new Balance(0, 0, 0, 0, 0, 0, 0, Map.of(), 1));
    }
}
