// The customer's invoices (seed 002 "Business customer needs invoice": download the PDF, email it).
// The PDF comes as a short-lived link (GET /invoices/{id}/pdf → {url, expiresAt}). The API has no
// "send" route: an invoice is emailed to the customer, with its PDF, when it is finalised, so a draft
// is offered "Finalise and email", and a finalised one says it was emailed.
import { api } from '../../api.js';
import { can } from '../../auth.js';
import { Action, Pager, Resource, confirmDialog, date, html, money, nothing, statusBadge, update } from '../../ui.js';

const PDF_PENDING_RETRIES = 4;

export function tab(context) {
  const path = `/customers/${encodeURIComponent(context.customerId)}/invoices`;
  const pager = new Pager(cursor => invoices.load(cursor));
  const invoices = new Resource(cursor => api('GET', path, { query: { limit: 20, cursor } }).then(r => r.body));
  const acting = new Action('invoice-action');
  let link = null;
  let note = null;
  invoices.load(null);

  const wait = ms => new Promise(resolve => setTimeout(resolve, ms));

  /** The PDF's link; a PDF still being made (409 invoice_pdf_pending) is asked for again after its Retry-After (5 s). */
  async function pdfLink(invoice) {
    for (let attempt = 0; ; attempt++) {
      try {
        return await api('GET', `/invoices/${encodeURIComponent(invoice.id)}/pdf`);
      } catch (e) {
        if (e.code !== 'invoice_pdf_pending' || attempt >= PDF_PENDING_RETRIES) throw e;
        await wait(5000);
      }
    }
  }

  async function download(invoice) {
    link = null;
    note = null;
    const answer = await acting.run(() => pdfLink(invoice));
    if (!answer) return;
    link = { number: invoice.number, url: answer.body.url, expiresAt: answer.body.expiresAt };
    update();
    const anchor = document.createElement('a');
    anchor.href = link.url;
    anchor.target = '_blank';
    anchor.rel = 'noopener';
    anchor.click();
  }

  async function finalise(invoice) {
    const ok = await confirmDialog({
      title: 'Finalise and email this invoice?',
      message: `The draft of ${money(invoice.total)} gets its number and due date, counts in the outstanding balance, `
        + 'and is emailed to the customer with its PDF. A finalised invoice is not edited any more.',
      confirm: 'Finalise and email',
    });
    if (!ok) return;
    const answer = await acting.run(() => api('POST', `/invoices/${encodeURIComponent(invoice.id)}/finalize`));
    if (answer) {
      note = `${answer.body.number} finalised: it is being emailed to the customer with its PDF.`;
      invoices.reload();
      context.reload();
    }
  }

  function actions(invoice) {
    if (invoice.status === 'draft') {
      return can('invoices:write') && invoice.lines.length > 0
        ? html`<button type="button" class="secondary outline" ?disabled=${acting.busy} @click=${() => finalise(invoice)}>
            Finalise and email<span class="visually-hidden"> the draft ${invoice.id}</span></button>` : html`<small>Draft</small>`;
    }
    return html`<button type="button" class="secondary outline" ?disabled=${acting.busy} @click=${() => download(invoice)}>
      Download PDF<span class="visually-hidden"> of ${invoice.number}</span></button>`;
  }

  function table(page) {
    if (page.data.length === 0 && pager.stack.length === 0) return html`<p id="no-invoices">No invoices yet.</p>`;
    return html`<div class="table-wrap"><table class="striped" id="invoices-table">
      <caption class="visually-hidden">Invoices</caption>
      <thead><tr><th scope="col">Invoice</th><th scope="col">Status</th><th scope="col" class="num">Total</th>
        <th scope="col" class="num">Due</th><th scope="col">Due date</th><th scope="col">Issued</th>
        <th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
      <tbody>${page.data.map(i => html`<tr data-invoice-id=${i.id}>
        <td>${i.number ?? html`<code>${i.id}</code>`}</td>
        <td>${statusBadge(i.status)}${i.overdue ? html` <span class="badge badge-failed">overdue</span>` : nothing}</td>
        <td class="num">${money(i.total)}</td>
        <td class="num">${money(i.amountDue)}</td>
        <td>${date(i.dueDate)}</td>
        <td>${i.finalizedAt ? html`${date(i.finalizedAt)}<br><small>emailed with its PDF</small>` : '—'}</td>
        <td><div class="actions">${actions(i)}</div></td>
      </tr>`)}</tbody>
    </table></div>
    ${pager.view(page.nextCursor, 'Invoice pages')}`;
  }

  return {
    view() {
      return html`<h2>Invoices</h2>
        <p><small>A finalised invoice is emailed to the customer with its PDF (see Activity &amp; messages).</small></p>
        ${note ? html`<p role="status" id="invoice-result">${note}</p>` : nothing}
        ${link ? html`<p role="status" id="invoice-pdf">The PDF of ${link.number} opens in a new tab;
          <a href=${link.url} target="_blank" rel="noopener">open it here</a> (the link works for 5 minutes).</p>` : nothing}
        ${acting.summary()}
        ${invoices.view(table, 'invoices')}`;
    },
  };
}
