package com.clientele.local;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An EventBridge schedule expression: {@code rate(5 minutes)} or AWS's six-field
 * {@code cron(minutes hours day-of-month month day-of-week year)}, evaluated in UTC unless a
 * time zone is given. Cron fields take numbers, names (JAN-DEC, SUN-SAT), {@code *}, {@code ?},
 * lists, ranges and steps; {@code L}, {@code W} and {@code #} are not supported here and are
 * rejected with {@link IllegalArgumentException}, as is anything AWS itself would reject.
 */
sealed interface ScheduleExpression {

    /** The first fire time strictly after {@code after}, or null when there is none (a past year). */
    Instant next(Instant after);

    static ScheduleExpression parse(String expression) {
        return parse(expression, ZoneOffset.UTC);
    }

    static ScheduleExpression parse(String expression, ZoneId zone) {
        String text = expression == null ? "" : expression.trim();
        if (text.startsWith("rate(") && text.endsWith(")")) {
            return Rate.parse(text.substring(5, text.length() - 1).trim());
        }
        if (text.startsWith("cron(") && text.endsWith(")")) {
            return Cron.parse(text.substring(5, text.length() - 1).trim(), zone);
        }
        throw new IllegalArgumentException("not a rate(...) or cron(...) expression: " + expression);
    }

    /** {@code rate(N unit)}: every N minutes, hours or days, counted from the previous fire time. */
    record Rate(Duration period) implements ScheduleExpression {

        private static final Pattern RATE = Pattern.compile("(\\d+)\\s+(minute|minutes|hour|hours|day|days)");

        static Rate parse(String body) {
            var m = RATE.matcher(body);
            if (!m.matches() || Long.parseLong(m.group(1)) < 1) {
                throw new IllegalArgumentException("rate(" + body + ") is not supported: use rate(N minute[s]|hour[s]|day[s]), N >= 1");
            }
            long n = Long.parseLong(m.group(1));
            return new Rate(switch (m.group(2)) {
                case "minute", "minutes" -> Duration.ofMinutes(n);
                case "hour", "hours" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
        }

        @Override
        public Instant next(Instant after) {
            return after.plus(period);
        }
    }

    /** {@code cron(...)}: each field a set of allowed values; the day fields combine as AWS's do. */
    record Cron(BitSet minutes, BitSet hours, BitSet daysOfMonth, BitSet months, BitSet daysOfWeek, BitSet years,
                boolean anyDayOfMonth, boolean anyDayOfWeek, ZoneId zone) implements ScheduleExpression {

        private static final List<String> MONTHS =
                List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
        private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");
        private static final int LAST_YEAR = 2199;

        static Cron parse(String body, ZoneId zone) {
            String[] f = body.toUpperCase(Locale.ROOT).split("\\s+");
            if (f.length != 6) {
                throw new IllegalArgumentException("cron(" + body + ") needs 6 fields: minutes hours day-of-month month day-of-week year");
            }
            boolean domAny = f[2].equals("?");
            boolean dowAny = f[4].equals("?");
            if (domAny == dowAny) {
                throw new IllegalArgumentException("cron(" + body + "): exactly one of day-of-month and day-of-week must be ?");
            }
            if (f[0].equals("?") || f[1].equals("?") || f[3].equals("?") || f[5].equals("?")) {
                throw new IllegalArgumentException("cron(" + body + "): ? is for day-of-month or day-of-week only");
            }
            // A day field given as * (the other being ?) allows every day, as does the ? one.
            return new Cron(field(f[0], 0, 59, List.of(), body), field(f[1], 0, 23, List.of(), body),
                    field(domAny ? "*" : f[2], 1, 31, List.of(), body), field(f[3], 1, 12, MONTHS, body),
                    field(dowAny ? "*" : f[4], 1, 7, DAYS, body), field(f[5], 1970, LAST_YEAR, List.of(), body),
                    domAny || f[2].equals("*"), dowAny || f[4].equals("*"), zone);
        }

        /** One field: comma-separated items, each {@code *}, a value or a range {@code a-b}, with an optional step {@code /n}. */
        private static BitSet field(String text, int min, int max, List<String> names, String body) {
            var values = new BitSet();
            for (String part : text.split(",")) {
                String range = part;
                int step = 1;
                int slash = part.indexOf('/');
                if (slash >= 0) {
                    range = part.substring(0, slash);
                    step = number(part.substring(slash + 1), 1, max, List.of(), body);
                }
                int from;
                int to;
                if (range.equals("*")) {
                    from = min;
                    to = max;
                } else if (range.indexOf('-') > 0) {
                    from = number(range.substring(0, range.indexOf('-')), min, max, names, body);
                    to = number(range.substring(range.indexOf('-') + 1), min, max, names, body);
                } else {
                    from = number(range, min, max, names, body);
                    to = slash >= 0 ? max : from;
                }
                if (from > to) {
                    throw new IllegalArgumentException("cron(" + body + "): range " + range + " runs backwards (not supported locally)");
                }
                for (int v = from; v <= to; v += step) {
                    values.set(v);
                }
            }
            return values;
        }

        private static int number(String text, int min, int max, List<String> names, String body) {
            int value;
            if (names.contains(text)) {
                value = names.indexOf(text) + 1;
            } else if (text.matches("\\d{1,4}")) {
                value = Integer.parseInt(text);
            } else {
                throw new IllegalArgumentException("cron(" + body + "): '" + text + "' is not supported locally");
            }
            if (value < min || value > max) {
                throw new IllegalArgumentException("cron(" + body + "): " + value + " is outside " + min + "-" + max);
            }
            return value;
        }

        @Override
        public Instant next(Instant after) {
            var t = ZonedDateTime.ofInstant(after, zone).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
            while (t.getYear() <= LAST_YEAR) {
                if (!years.get(t.getYear())) {
                    t = t.plusYears(1).withDayOfYear(1).truncatedTo(ChronoUnit.DAYS);
                } else if (!months.get(t.getMonthValue())) {
                    t = t.plusMonths(1).withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS);
                } else if (!dayMatches(t)) {
                    t = t.plusDays(1).truncatedTo(ChronoUnit.DAYS);
                } else if (!hours.get(t.getHour())) {
                    t = t.plusHours(1).truncatedTo(ChronoUnit.HOURS);
                } else if (!minutes.get(t.getMinute())) {
                    t = t.plusMinutes(1);
                } else {
                    return t.toInstant();
                }
            }
            return null;
        }

        private boolean dayMatches(ZonedDateTime t) {
            int dayOfWeek = t.getDayOfWeek().getValue() % 7 + 1; // AWS: 1 = Sunday ... 7 = Saturday
            return (anyDayOfMonth || daysOfMonth.get(t.getDayOfMonth())) && (anyDayOfWeek || daysOfWeek.get(dayOfWeek));
        }
    }
}
