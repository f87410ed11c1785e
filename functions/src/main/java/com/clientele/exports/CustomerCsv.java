package com.clientele.exports;

import com.clientele.customers.Customer;
import com.clientele.shared.Money;
import com.clientele.shared.Text;
import com.clientele.shared.http.FieldError;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Customers as CSV (RFC 4180: comma-separated, CRLF line ends, a field quoted when it holds a
 * comma, a quote or a line break, quotes doubled inside), UTF-8, a header row of the column names.
 * Written by Jackson's streaming CSV generator onto any output stream (the part buffer).
 *
 * <p>Text that a spreadsheet would run as a formula (a cell beginning with {@code =}, {@code +},
 * {@code -}, {@code @}, a tab or a carriage return) is neutralised with a leading apostrophe, as
 * OWASP advises: spreadsheets show it as text. That includes E.164 phone numbers ({@code '+1202…}),
 * which a spreadsheet would otherwise turn into a number. Amounts are decimals in the currency's
 * major unit ({@code 89.00} USD, {@code 1200} JPY), times ISO-8601 UTC.
 */
final class CustomerCsv {

    /** Every column an export may ask for, in the order they are listed to callers. */
    static final Map<String, Function<Customer, String>> COLUMNS = columns();
    /** The columns of an export that names none. */
    static final List<String> DEFAULT_COLUMNS = List.of("id", "type", "firstName", "lastName", "email", "phone", "company",
            "ltv", "currency", "orders", "averageOrderValue", "lastPurchaseAt", "lastOrderValue", "paymentMethod",
            "pointsAvailable", "createdAt");
    static final int MAX_COLUMNS = 50;

    /** Quotes a field only when it must (a comma, a quote, a line break, or space at either end). */
    private static final CsvMapper MAPPER = CsvMapper.builder().enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING).build();
    private static final CsvSchema SCHEMA = CsvSchema.emptySchema().withLineSeparator("\r\n");

    private final List<Function<Customer, String>> cells;
    private final List<String> names;
    private final SequenceWriter out;
    private long repaired;
    private long skipped;

    /** A writer of {@code columns} (checked with {@link #check}) onto {@code stream}, which it never closes. */
    CustomerCsv(List<String> columns, OutputStream stream) {
        this.names = List.copyOf(columns);
        this.cells = columns.stream().map(COLUMNS::get).toList();
        try {
            this.out = MAPPER.writerFor(String[].class).with(SCHEMA)
                    .without(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET).writeValues(stream);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The columns asked for, each known and none twice; null or absent means the defaults. Adds an
     * error naming each bad entry ({@code columns[2]}).
     */
    static List<String> check(List<String> asked, List<FieldError> errors) {
        if (asked == null) {
            return DEFAULT_COLUMNS;
        }
        if (asked.isEmpty() || asked.size() > MAX_COLUMNS) {
            errors.add(new FieldError("columns", "must name 1 to " + MAX_COLUMNS + " columns"));
            return asked;
        }
        var seen = new HashSet<String>();
        for (int i = 0; i < asked.size(); i++) {
            String name = asked.get(i);
            if (name == null) {
                continue; // not a string: named by whoever read it
            }
            if (!COLUMNS.containsKey(name)) {
                errors.add(new FieldError("columns[" + i + "]", "'" + name + "' is not a column; the columns are "
                        + String.join(", ", COLUMNS.keySet())));
            } else if (!seen.add(name)) {
                errors.add(new FieldError("columns[" + i + "]", "'" + name + "' is already in the list"));
            }
        }
        return asked;
    }

    void header() {
        write(names.toArray(String[]::new));
    }

    /**
     * Writes a customer's row. A record stored before today's input rules must not stop the export:
     * a cell that is not well-formed Unicode (a lone surrogate) is written with U+FFFD in its place
     * and the row counted as {@link #repaired}; a row whose cells cannot be read at all (a field
     * missing from a damaged item) is left out and counted as {@link #skipped}.
     */
    void row(Customer customer) {
        var row = new String[cells.size()];
        boolean repair = false;
        for (int i = 0; i < row.length; i++) {
            String cell;
            try {
                cell = cells.get(i).apply(customer);
            } catch (RuntimeException unreadable) {
                skipped++;
                return;
            }
            String written = Text.repair(cell);
            repair |= written != cell;
            row[i] = written == null ? "" : written;
        }
        if (repair) {
            repaired++;
        }
        write(row);
    }

    /** Rows written with a cell repaired, since this writer was made. */
    long repaired() {
        return repaired;
    }

    /** Rows left out as unreadable, since this writer was made. */
    long skipped() {
        return skipped;
    }

    /** Pushes what the generator holds into the stream (before the stream's size is read). */
    void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(String[] row) {
        try {
            out.write(row);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A cell of text from the customer's data, made safe to open in a spreadsheet. */
    static String text(String value) {
        if (value == null || value.isEmpty()) {
            return value;
        }
        return switch (value.charAt(0)) {
            case '=', '+', '-', '@', '\t', '\r' -> "'" + value;
            default -> value;
        };
    }

    /** An amount in the currency's major unit; "0" for the zero of a customer without a currency yet. */
    static String amount(Money money) {
        if (money == null) {
            return null;
        }
        int digits = 2;
        if (money.currency() != null) {
            try {
                digits = Math.max(0, Currency.getInstance(money.currency()).getDefaultFractionDigits());
            } catch (IllegalArgumentException unknown) {
                digits = 2;
            }
        } else if (money.amount() == 0) {
            return "0";
        }
        return BigDecimal.valueOf(money.amount(), digits).toPlainString();
    }

    private static String time(Instant at) {
        return at == null ? null : at.toString();
    }

    private static Map<String, Function<Customer, String>> columns() {
        var c = new LinkedHashMap<String, Function<Customer, String>>();
        c.put("id", Customer::id);
        c.put("type", x -> x.type().value());
        c.put("firstName", x -> text(x.firstName()));
        c.put("lastName", x -> text(x.lastName()));
        c.put("email", x -> text(x.email()));
        c.put("phone", x -> text(x.phone()));
        c.put("company", x -> x.company() == null ? null : text(x.company().name()));
        c.put("ltv", x -> amount(x.stats().ltv()));
        c.put("currency", x -> x.stats().ltv().currency() != null ? x.stats().ltv().currency() : x.currency());
        c.put("orders", x -> Long.toString(x.stats().orders()));
        c.put("averageOrderValue", x -> amount(x.stats().averageOrderValue()));
        c.put("lastPurchaseAt", x -> time(x.stats().lastPurchaseAt()));
        c.put("lastOrderValue", x -> amount(x.stats().lastOrderValue()));
        c.put("paymentMethod", x -> x.paymentMethod() == null ? null
                : text(x.paymentMethod().brand() + " " + x.paymentMethod().last4()));
        c.put("pointsAvailable", x -> Long.toString(x.pointsAvailable()));
        c.put("createdAt", x -> time(x.createdAt()));
        // Further columns an export may name.
        c.put("name", x -> text(x.firstName() + " " + x.lastName()));
        c.put("companyRegistrationNumber", x -> x.company() == null ? null : text(x.company().registrationNumber()));
        c.put("vatNumber", x -> x.company() == null ? null : text(x.company().vatNumber()));
        c.put("paymentTerms", Customer::paymentTerms);
        c.put("billingGroupId", x -> text(x.billingGroupId()));
        c.put("firstPurchaseAt", x -> time(x.stats().firstPurchaseAt()));
        c.put("refunded", x -> amount(x.stats().refunded()));
        c.put("failedPayments", x -> Long.toString(x.stats().failedPayments()));
        c.put("lastFailedAt", x -> time(x.stats().lastFailedAt()));
        c.put("returning", x -> Boolean.toString(x.stats().returning()));
        c.put("updatedAt", x -> time(x.updatedAt()));
        c.put("activeSubscriptions", x -> Integer.toString(x.subscriptions().active()));
        c.put("subscriptions", x -> Integer.toString(x.subscriptions().total()));
        c.put("activeMonthlyIncome", x -> x.subscriptions().activeMonthlyIncome() == null ? null : amount(x.subscriptions().activeMonthlyIncome()));
        return java.util.Collections.unmodifiableMap(c);
    }

}
