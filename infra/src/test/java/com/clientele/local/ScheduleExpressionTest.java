package com.clientele.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Rate and cron expressions as EventBridge reads them, and their next fire times. */
class ScheduleExpressionTest {

    @Test
    void ratesCountFromThePreviousFire() {
        Instant start = Instant.parse("2024-03-15T10:00:30Z");
        assertThat(ScheduleExpression.parse("rate(1 minute)").next(start)).isEqualTo("2024-03-15T10:01:30Z");
        assertThat(ScheduleExpression.parse("rate(1 minute)")).isEqualTo(new ScheduleExpression.Rate(Duration.ofMinutes(1)));
        assertThat(ScheduleExpression.parse("rate(5 minutes)")).isEqualTo(new ScheduleExpression.Rate(Duration.ofMinutes(5)));
        assertThat(ScheduleExpression.parse("rate(1 hour)")).isEqualTo(new ScheduleExpression.Rate(Duration.ofHours(1)));
        assertThat(ScheduleExpression.parse("rate(12 hours)")).isEqualTo(new ScheduleExpression.Rate(Duration.ofHours(12)));
        assertThat(ScheduleExpression.parse("rate(2 days)")).isEqualTo(new ScheduleExpression.Rate(Duration.ofDays(2)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            cron(0 12 * * ? *)                  | 2024-03-10T11:59:30Z | 2024-03-10T12:00:00Z
            cron(0 12 * * ? *)                  | 2024-03-10T12:00:00Z | 2024-03-11T12:00:00Z
            cron(0/15 9-17 ? * MON-FRI *)       | 2024-03-15T09:07:00Z | 2024-03-15T09:15:00Z
            cron(0/15 9-17 ? * MON-FRI *)       | 2024-03-15T17:50:00Z | 2024-03-18T09:00:00Z
            cron(5,35 */6 * * ? *)              | 2024-01-01T06:36:00Z | 2024-01-01T12:05:00Z
            cron(*/10 * * * ? *)                | 2024-01-01T23:55:12Z | 2024-01-02T00:00:00Z
            cron(0 0 1 * ? *)                   | 2024-01-31T10:00:00Z | 2024-02-01T00:00:00Z
            cron(0 8 29 2 ? *)                  | 2023-03-01T00:00:00Z | 2024-02-29T08:00:00Z
            cron(30 8 ? JAN 2 2030)             | 2024-06-01T00:00:00Z | 2030-01-07T08:30:00Z
            cron(0 18 ? * 1,7 *)                | 2024-03-13T00:00:00Z | 2024-03-16T18:00:00Z
            cron(15 10-12/2 ? * SUN *)          | 2024-03-17T10:15:00Z | 2024-03-17T12:15:00Z
            """)
    void cronGivesTheNextMatchingMinuteInUtc(String expression, Instant after, Instant next) {
        assertThat(ScheduleExpression.parse(expression).next(after)).isEqualTo(next);
    }

    @Test
    void cronRunsInTheScheduleTimeZoneWhenGiven() {
        var paris = ScheduleExpression.parse("cron(0 9 * * ? *)", ZoneId.of("Europe/Paris"));
        assertThat(paris.next(Instant.parse("2024-07-01T00:00:00Z"))).isEqualTo("2024-07-01T07:00:00Z");
        assertThat(paris.next(Instant.parse("2024-12-01T00:00:00Z"))).isEqualTo("2024-12-01T08:00:00Z");
    }

    @Test
    void aCronWhoseYearsArePastNeverFires() {
        assertThat(ScheduleExpression.parse("cron(0 0 1 1 ? 2023)").next(Instant.parse("2024-01-01T00:00:00Z"))).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "rate(0 minutes)", "rate(1 week)", "rate(minutes)", "rate(5)", "every 5 minutes", "",
        "cron(0 10 L * ? *)", "cron(0 10 ? * 6#3 *)", "cron(0 10 15W * ? *)", "cron(0 10 ? * 6L *)",
        "cron(0 10 * * * *)", "cron(0 10 ? * ? *)", "cron(0 10 * *)", "cron(60 10 * * ? *)", "cron(0 24 * * ? *)",
        "cron(0 10 * 13 ? *)", "cron(0 10 ? * 8 *)", "cron(50-10 * * * ? *)", "cron(? 10 * * ? *)",
    })
    void rejectsWhatItCannotRunOrAwsWouldRefuse(String expression) {
        assertThatThrownBy(() -> ScheduleExpression.parse(expression)).isInstanceOf(IllegalArgumentException.class);
    }
}
