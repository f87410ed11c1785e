package com.clientele.invoices;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

/**
 * An invoice as a PDF (A4, one or more pages): the seller and the buyer with their VAT numbers, the
 * dates and terms, the lines (descriptions wrapped, a page break with the column heads repeated when
 * they run over), the taxes by rate, the totals, what was paid and what is due.
 *
 * <p>Text is set in Liberation Sans, the Unicode font PDFBox ships, embedded as a subset: Latin,
 * Greek and Cyrillic scripts print as given; a character the font has no glyph for (CJK, emoji, a
 * lone surrogate, a control or zero-width character) prints as {@code ?}. The invoice's stored text
 * is never changed by that. The font file is parsed once per JVM; one render at a time uses it.
 */
public final class InvoicePdf {

    private static final String FONT = "/org/apache/pdfbox/resources/ttf/LiberationSans-Regular.ttf";
    private static final PDRectangle PAGE = PDRectangle.A4;
    private static final float MARGIN = 50;
    private static final float SIZE = 9.5f;
    private static final float LEADING = 13;
    /** Column edges of the lines table: description from the margin, then quantity, unit, tax, amount (right-aligned). */
    private static final float QTY_RIGHT = 360;
    private static final float UNIT_RIGHT = 435;
    private static final float TAX_RIGHT = 480;
    private static final float AMOUNT_RIGHT = PAGE.getWidth() - MARGIN;
    private static final float DESCRIPTION_WIDTH = 270;

    private InvoicePdf() {
    }

    /** The font file, parsed once per JVM (renders take turns with it: its tables are read lazily). */
    private static TrueTypeFont font;

    /** The PDF's bytes. */
    public static synchronized byte[] render(InvoiceDocument invoice) {
        try (var document = new PDDocument()) {
            var writer = new Writer(document, PDType0Font.load(document, font(), true), invoice.currency());
            var info = document.getDocumentInformation();
            info.setTitle("Invoice " + invoice.number());
            info.setCreator("Clientele");
            writer.invoice(invoice);
            writer.close();
            var out = new ByteArrayOutputStream();
            document.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static TrueTypeFont font() throws IOException {
        if (font == null) {
            try (InputStream file = InvoicePdf.class.getResourceAsStream(FONT)) {
                font = new TTFParser().parse(new RandomAccessReadBuffer(file));
            }
        }
        return font;
    }

    /** Lays text down page after page, from the top; a new page when the next line would not fit. */
    private static final class Writer {
        private final PDDocument document;
        private final PDType0Font font;
        private final int decimals;
        private final String currency;
        private final Map<Integer, Boolean> printable = new HashMap<>();
        private PDPageContentStream page;
        private float y;

        Writer(PDDocument document, PDType0Font font, String currency) throws IOException {
            this.document = document;
            this.font = font;
            this.currency = currency;
            Currency known = currencyOf(currency);
            this.decimals = known == null || known.getDefaultFractionDigits() < 0 ? 2 : known.getDefaultFractionDigits();
            newPage();
        }

        void invoice(InvoiceDocument invoice) throws IOException {
            text(MARGIN, 18, "Invoice " + invoice.number());
            y -= 10;
            float top = y;
            party("From", invoice.seller(), MARGIN);
            float left = y;
            y = top;
            party("Bill to", invoice.buyer(), 320);
            y = Math.min(left, y) - LEADING;
            line("Issued: " + invoice.issuedOn() + "     Due: " + invoice.dueOn() + "     Terms: " + invoice.terms()
                    + "     Currency: " + invoice.currency());
            y -= LEADING;
            heads();
            for (var item : invoice.lines()) {
                var wrapped = wrap(item.description(), DESCRIPTION_WIDTH);
                room(wrapped.size() * LEADING, true);
                right(QTY_RIGHT, Long.toString(item.quantity()));
                right(UNIT_RIGHT, money(item.unitAmount()));
                right(TAX_RIGHT, item.taxRate() == null ? "" : item.taxRate());
                right(AMOUNT_RIGHT, money(item.amount()));
                for (String part : wrapped) {
                    text(MARGIN, SIZE, part);
                    y -= LEADING;
                }
            }
            y -= LEADING / 2;
            room(LEADING * (6 + invoice.taxes().size()), false);
            total("Subtotal", invoice.subtotal());
            for (var tax : invoice.taxes()) {
                total("Tax " + tax.rate() + " on " + money(tax.base()), tax.amount());
            }
            if (invoice.discount() != null) {
                right(TAX_RIGHT, "Coupon " + invoice.discount().code());
                right(AMOUNT_RIGHT, "-" + money(invoice.discount().amount()) + " " + currency);
                y -= LEADING;
            }
            total("Total", invoice.total());
            total("Paid", invoice.paid());
            total("Amount due", invoice.due());
            if (invoice.memo() != null && !invoice.memo().isBlank()) {
                y -= LEADING;
                for (String part : wrap(invoice.memo(), AMOUNT_RIGHT - MARGIN)) {
                    room(LEADING, false);
                    line(part);
                }
            }
        }

        private void party(String title, InvoiceDocument.Party party, float x) throws IOException {
            var lines = new ArrayList<String>();
            lines.add(title);
            if (party.company() != null) {
                lines.add(party.company());
            }
            lines.add(party.name());
            lines.addAll(party.address());
            if (party.vatNumber() != null) {
                lines.add("VAT " + party.vatNumber());
            }
            if (party.email() != null) {
                lines.add(party.email());
            }
            for (String line : lines) {
                for (String part : wrap(line, 225)) {
                    text(x, SIZE, part);
                    y -= LEADING;
                }
            }
        }

        private void heads() throws IOException {
            text(MARGIN, SIZE, "Description");
            right(QTY_RIGHT, "Qty");
            right(UNIT_RIGHT, "Unit");
            right(TAX_RIGHT, "Tax");
            right(AMOUNT_RIGHT, "Amount");
            y -= 4;
            page.moveTo(MARGIN, y);
            page.lineTo(AMOUNT_RIGHT, y);
            page.stroke();
            y -= LEADING;
        }

        private void total(String label, long amount) throws IOException {
            right(TAX_RIGHT, label);
            right(AMOUNT_RIGHT, money(amount) + " " + currency);
            y -= LEADING;
        }

        private void line(String text) throws IOException {
            text(MARGIN, SIZE, text);
            y -= LEADING;
        }

        /** A new page when {@code height} more would run into the bottom margin; with the column heads again when {@code table}. */
        private void room(float height, boolean table) throws IOException {
            if (y - height < MARGIN) {
                newPage();
                if (table) {
                    heads();
                }
            }
        }

        private void newPage() throws IOException {
            close();
            var next = new PDPage(PAGE);
            document.addPage(next);
            page = new PDPageContentStream(document, next);
            page.setLineWidth(0.5f);
            y = PAGE.getHeight() - MARGIN;
        }

        void close() throws IOException {
            if (page != null) {
                page.close();
            }
        }

        private void right(float edge, String text) throws IOException {
            String shown = printable(text);
            text(edge - font.getStringWidth(shown) / 1000 * SIZE, SIZE, shown);
        }

        private void text(float x, float size, String text) throws IOException {
            page.beginText();
            page.setFont(font, size);
            page.newLineAtOffset(x, y);
            page.showText(printable(text));
            page.endText();
        }

        /** The lines of {@code text} within {@code width} points: broken at spaces, a word longer than the width cut. */
        private List<String> wrap(String text, float width) throws IOException {
            var lines = new ArrayList<String>();
            for (String paragraph : printable(text == null ? "" : text).split("\n", -1)) {
                var current = new StringBuilder();
                for (String word : paragraph.split(" ")) {
                    String candidate = current.isEmpty() ? word : current + " " + word;
                    if (width(candidate) <= width) {
                        current.setLength(0);
                        current.append(candidate);
                        continue;
                    }
                    if (!current.isEmpty()) {
                        lines.add(current.toString());
                        current.setLength(0);
                    }
                    while (width(word) > width) {
                        int cut = word.length() - 1;
                        while (cut > 1 && width(word.substring(0, cut)) > width) {
                            cut--;
                        }
                        lines.add(word.substring(0, cut));
                        word = word.substring(cut);
                    }
                    current.append(word);
                }
                lines.add(current.toString());
            }
            return lines;
        }

        private float width(String text) throws IOException {
            return font.getStringWidth(text) / 1000 * SIZE;
        }

        /** The text with what the font cannot show as {@code ?}; tabs and line breaks (but the last) kept for {@link #wrap}. */
        private String printable(String text) {
            var out = new StringBuilder(text.length());
            text.codePoints().forEach(c -> {
                if (c == '\n') {
                    out.append('\n');
                } else if (c == '\t') {
                    out.append(' ');
                } else {
                    out.append(printable.computeIfAbsent(c, this::hasGlyph) ? Character.toString(c) : "?");
                }
            });
            return out.toString();
        }

        private boolean hasGlyph(int codePoint) {
            if (Character.isISOControl(codePoint) || Character.getType(codePoint) == Character.FORMAT
                    || Character.isSurrogate((char) codePoint) && Character.charCount(codePoint) == 1) {
                return false;
            }
            try {
                font.encode(Character.toString(codePoint));
                return true;
            } catch (IllegalArgumentException | IOException e) {
                return false;
            }
        }

        private String money(long minor) {
            return new BigDecimal(minor).movePointLeft(decimals).toPlainString();
        }

        private static Currency currencyOf(String code) {
            try {
                return Currency.getInstance(code);
            } catch (IllegalArgumentException | NullPointerException e) {
                return null;
            }
        }
    }
}
