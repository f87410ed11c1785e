package com.clientele.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clientele.shared.http.ApiException;
import com.clientele.shared.http.FieldError;
import com.clientele.subscriptions.BillingSettings.DunningInput;
import com.clientele.subscriptions.BillingSettings.Input;
import com.clientele.subscriptions.BillingSettings.RemindersInput;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BillingSettingsTest {

    private static final Instant NOW = Instant.parse("2027-01-31T10:00:00Z");

    private static Input input(List<Integer> days, String after, Integer renewal, Integer contractEnd) {
        return new Input(new DunningInput(days, after), new RemindersInput(renewal, contractEnd));
    }

    private static List<String> refused(Input input) {
        try {
            BillingSettings.of(input, NOW);
        } catch (ApiException e) {
            assertThat(e.status()).isEqualTo(400);
            return e.errors().stream().map(FieldError::field).toList();
        }
        throw new AssertionError("accepted: " + input);
    }

    @Test
    void theDefaultsRetryOnDaysOneThreeAndSevenThenCancel() {
        var dunning = BillingSettings.DEFAULTS.dunning();
        assertThat(dunning.retryAfterDays()).containsExactly(1, 3, 7);
        assertThat(dunning.afterLastRetry()).isEqualTo(BillingSettings.AfterLastRetry.cancel);
        assertThat(dunning.daysToRetry(1)).isEqualTo(1);
        assertThat(dunning.daysToRetry(3)).isEqualTo(7);
        assertThat(dunning.daysToRetry(4)).as("no fourth retry").isNull();
        assertThat(BillingSettings.DEFAULTS.reminders()).isEqualTo(new BillingSettings.Reminders(7, 30));
    }

    @Test
    void savedSettingsAreStampedAndMayHaveNoRetryAtAll() {
        var settings = BillingSettings.of(input(List.of(), "leave_unpaid", 0, 365), NOW);
        assertThat(settings.dunning().retryAfterDays()).isEmpty();
        assertThat(settings.dunning().daysToRetry(1)).isNull();
        assertThat(settings.dunning().afterLastRetry()).isEqualTo(BillingSettings.AfterLastRetry.leave_unpaid);
        assertThat(settings.updatedAt()).isEqualTo(NOW);
        assertThat(BillingSettings.of(input(List.of(1, 2, 5, 30, 60), "cancel", 90, 0), NOW).dunning().retryAfterDays())
                .containsExactly(1, 2, 5, 30, 60);
    }

    @Test
    void badSettingsNameEveryField() {
        assertThat(refused(new Input(null, null))).containsExactly("dunning", "reminders");
        assertThat(refused(input(null, "archive", -1, 366)))
                .containsExactly("dunning.retryAfterDays", "dunning.afterLastRetry", "reminders.renewalDaysAhead",
                        "reminders.contractEndDaysAhead");
        assertThat(refused(input(List.of(1, 2, 3, 4, 5, 6), "cancel", 7, 30))).containsExactly("dunning.retryAfterDays");
        assertThat(refused(input(List.of(3, 3), "cancel", 7, 30))).containsExactly("dunning.retryAfterDays[1]");
        assertThat(refused(input(List.of(5, 1), "cancel", 7, 30))).containsExactly("dunning.retryAfterDays[1]");
        assertThat(refused(input(List.of(0), "cancel", 7, 30))).containsExactly("dunning.retryAfterDays[0]");
        assertThat(refused(input(List.of(1, 61), "cancel", 7, 30))).containsExactly("dunning.retryAfterDays[1]");
        assertThat(refused(input(Arrays.asList(1, null), "cancel", 7, 30))).containsExactly("dunning.retryAfterDays[1]");
        assertThat(refused(input(List.of(1), null, null, 30))).containsExactly("dunning.afterLastRetry", "reminders.renewalDaysAhead");
        assertThatThrownBy(() -> BillingSettings.of(input(List.of(2, 1), "cancel", 7, 30), NOW))
                .isInstanceOf(ApiException.class).hasMessageContaining("dunning.retryAfterDays[1]: must be more than the retry before it (2)");
    }
}
