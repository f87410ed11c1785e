package com.clientele.invoices;

import com.clientele.shared.Keys;
import com.clientele.shared.Table.Index;
import com.clientele.shared.items.ErasurePolicy;
import com.clientele.shared.items.ExportPolicy;
import com.clientele.shared.items.ItemType;
import com.clientele.shared.items.MergePolicy;
import com.clientele.shared.items.SoftDeletePolicy;
import com.clientele.shared.items.SortKey;
import java.time.LocalDate;

/**
 * The keys of invoices, declared once:
 * <ul>
 *   <li>the invoice: {@code T#<t>#C#<cus>} / {@code INV#<in>}, in its customer's partition (its item type below);</li>
 *   <li>its pointer: {@code T#<t>#INVOICE#<in>} / {@code POINTER}, naming the customer whose partition holds it,
 *   for {@code GET /invoices/{id}};</li>
 *   <li>the tenant's invoices by status (GSI4): {@code T#<t>#INVOICES#<status>} / {@code <in>}, moved with every
 *   change of status, as orders are;</li>
 *   <li>the due index (GSI2, sparse, every tenant's): {@code INVDUE#<due date>#<shard>} / {@code <in>}, present only
 *   while the invoice is open and not marked overdue, in {@value #DUE_SHARDS} shards per day, so the daily overdue run
 *   reads only the invoices falling due (as the reminders run reads {@code SUBREMIND#});</li>
 *   <li>the number counter: {@code T#<t>#INVOICE_NUMBERS} / {@code <year>}, {@code last}: the last number given
 *   that year, moved in the transaction that finalises the invoice given the next;</li>
 *   <li>the source guard: {@code T#<t>#INVOICE_OF#<ord>} or {@code #<sub>#<period>} / {@code GUARD}, naming the
 *   one invoice made of an order or a subscription's period, written with it.</li>
 * </ul>
 */
public final class InvoiceItems {

    /** Sort-key prefix of a customer's invoices (time-ordered ids after it). */
    public static final String INVOICE = "INV#";
    static final String POINTER = "POINTER";
    static final String GUARD = "GUARD";
    /** The overdue run's record of the last day it finished (PK, with SK {@value #DONE}; not a tenant's, as the due index). */
    static final String OVERDUE_RUNS = "INVDUE#RUNS";
    static final String DONE = "DONE";
    /** Shards of a day of the due index. */
    static final int DUE_SHARDS = 8;

    private InvoiceItems() {
    }

    /** The item type of the customer's partition this declares (built once, when the registry loads). */
    public static ItemType itemType() {
        // An invoice: a merge moves it to the primary (its customerId and its pointer rewritten); the erasure removes
        // the name, email and address it was billed to (its number, lines, amounts and dates stay: the books keep it);
        // the erasure deletes its issued PDF too (PrivacyService, InvoiceFiles).
        return ItemType.named("invoice").sortKey(SortKey.prefix(INVOICE)).indexKeys(Index.GSI2.pk(), Index.GSI2.sk(), Index.GSI4.pk(), Index.GSI4.sk())
                .merge(MergePolicy.custom("invoices", InvoiceRepository::moveIntoPrimary))
                .export(ExportPolicy.list("invoices"))
                .erasure(ErasurePolicy.scrub(ErasurePolicy.Scrub.remove("billTo.name"), ErasurePolicy.Scrub.remove("billTo.email"),
                        ErasurePolicy.Scrub.remove("billTo.address")))
                .softDelete(SoftDeletePolicy.KEEP);
    }

    static String sortKey(String invoiceId) {
        return INVOICE + invoiceId;
    }

    static String pointer(String tenant, String invoiceId) {
        return Keys.tenant(tenant) + "#INVOICE#" + invoiceId;
    }

    static String byStatus(String tenant, InvoiceStatus status) {
        return Keys.tenant(tenant) + "#INVOICES#" + status.value();
    }

    /** GSI2 partition of the open invoices due on {@code day}, one shard of it (no tenant: the run serves every tenant). */
    static String due(LocalDate day, int shard) {
        return "INVDUE#" + day + "#" + shard;
    }

    static int dueShard(String invoiceId) {
        return Math.floorMod(invoiceId.hashCode(), DUE_SHARDS);
    }

    static String numbers(String tenant) {
        return Keys.tenant(tenant) + "#INVOICE_NUMBERS";
    }

    static String source(String tenant, String sourceKey) {
        return Keys.tenant(tenant) + "#INVOICE_OF#" + sourceKey;
    }
}
