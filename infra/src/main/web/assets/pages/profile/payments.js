// The customer's payments (seeds 001, 002 "Payment history": filter by status) with refunds, in
// full or in part, and the related guest payments (seed 001: same card, email or phone).
import { api } from '../../api.js';
import { can } from '../../auth.js';
import {
  Action, Pager, Resource, confirmDialog, dateTime, field, formValues, html, keepDraft, money, nothing, statusBadge, submit, toMinor, update,
} from '../../ui.js';
import { SubmissionKey, cardLabel, localProblem } from './shared.js';

const STATUSES = [['', 'Any status'], ['succeeded', 'Succeeded'], ['pending', 'Pending'], ['failed', 'Failed'],
  ['partially_refunded', 'Partially refunded'], ['refunded', 'Refunded']];
const REFUNDABLE = new Set(['succeeded', 'partially_refunded']);

export function tab(context) {
  const path = '/customers/' + encodeURIComponent(context.customerId);
  let status = '';
  const pager = new Pager(cursor => payments.load(cursor));
  const payments = new Resource(cursor => api('GET', path + '/payments', { query: { status, limit: 20, cursor } }).then(r => r.body));
  const guests = new Resource(() => api('GET', path + '/related-guest-payments', { query: { limit: 50 } }).then(r => r.body));
  const filter = new Action('payment-filter');
  const refunding = new Action('refund');
  const refundKey = new SubmissionKey();
  let refundOf = null;
  let refunded = null;
  payments.load(null);
  guests.load();

  function applyFilter(event) {
    status = event.target.value;
    pager.reset();
    payments.load(null);
  }

  function left(payment) {
    return { amount: payment.amount.amount - (payment.amountRefunded?.amount ?? 0), currency: payment.amount.currency };
  }

  function openRefund(payment) {
    refundOf = payment;
    refunded = null;
    refunding.problem = null;
    refunding.error = null;
    update();
    queueMicrotask(() => document.getElementById('refund-amount')?.focus());
  }

  async function refund(event) {
    event.preventDefault();
    const v = formValues(event.currentTarget);
    const payment = refundOf;
    const rest = left(payment);
    let amount = null;
    if (v.amount) {
      const minor = toMinor(v.amount, rest.currency);
      if (!(minor > 0)) {
        refunding.problem = localProblem('amount.amount', 'Enter an amount above zero, or leave it empty to refund all that is left');
        update();
        return;
      }
      amount = { amount: minor, currency: rest.currency };
    }
    const what = money(amount ?? rest);
    const ok = await confirmDialog({
      title: `Refund ${what}?`,
      message: `${what} of payment ${payment.id} (${money(payment.amount)}, ${dateTime(payment.createdAt)}) goes back to `
        + `${payment.paymentMethod ? cardLabel(payment.paymentMethod) : 'the customer'}. A refund cannot be undone.`,
      confirm: `Refund ${what}`, danger: true,
    });
    if (!ok) return;
    const body = { amount, reason: v.reason || null };
    const idempotencyKey = refundKey.for({ payment: payment.id, ...body });
    const answer = await refunding.run(() => api('POST', `/payments/${encodeURIComponent(payment.id)}/refunds`, { body, idempotencyKey }));
    refundKey.settle(refunding);
    if (answer) {
      refunded = answer.body;
      refundOf = null;
      payments.reload();
      context.reload();
      setTimeout(() => context.reload(), 1500);
    }
  }

  function refundForm() {
    if (!refundOf) return nothing;
    const rest = left(refundOf);
    return html`<article><form id="refund-form" @submit=${refund} @input=${keepDraft('refund')} novalidate aria-labelledby="refund-title">
      <h3 id="refund-title">Refund payment ${refundOf.id}</h3>
      <p>${money(refundOf.amount)} on ${dateTime(refundOf.createdAt)}; ${money(rest)} can still be refunded.</p>
      <div class="grid">
        ${field({ form: refunding, name: 'amount', apiField: 'amount.amount', label: `Amount (${rest.currency})`,
          help: 'Leave empty to refund all that is left', attrs: { inputmode: 'decimal', placeholder: money(rest) } })}
        ${field({ form: refunding, name: 'reason', label: 'Reason', attrs: { maxlength: 500 } })}
      </div>
      ${refunding.summary(['amount.amount', 'amount.currency', 'reason'])}
      <div class="actions">
        ${submit(refunding, 'Refund', { danger: true })}
        <button type="button" class="secondary outline" @click=${() => { refundOf = null; update(); }}>Cancel</button>
      </div>
    </form></article>`;
  }

  function paidFor(p) {
    if (p.orderId) return html`Order <code>${p.orderId}</code>`;
    if (p.subscriptionId) return html`Subscription <code>${p.subscriptionId}</code>${p.period ? `, period ${p.period}` : ''}`;
    if (p.invoiceId) return html`Invoice <code>${p.invoiceId}</code>`;
    return p.description ?? '—';
  }

  function paymentsTable(page) {
    const refunds = can('payments:refund');
    const t = page.totals;
    return html`${t ? html`<p id="payment-totals">${t.transactions} successful payment${t.transactions === 1 ? '' : 's'} · collected ${money(t.collected)}
        · refunded ${money(t.refunded)}</p>` : nothing}
      <div class="table-wrap"><table class="striped" id="payments-table">
      <caption class="visually-hidden">Payments</caption>
      <thead><tr><th scope="col">Date</th><th scope="col" class="num">Amount</th><th scope="col" class="num">Refunded</th>
        <th scope="col">Status</th><th scope="col">Paid with</th><th scope="col">For</th>
        ${refunds ? html`<th scope="col"><span class="visually-hidden">Actions</span></th>` : nothing}</tr></thead>
      <tbody>
        ${page.data.length === 0 ? html`<tr><td colspan="7">No payments${status ? ' with this status' : ''}.</td></tr>` : nothing}
        ${page.data.map(p => html`<tr data-payment-id=${p.id}>
          <td>${dateTime(p.createdAt)}</td>
          <td class="num">${money(p.amount)}</td>
          <td class="num">${p.amountRefunded?.amount ? money(p.amountRefunded) : '—'}</td>
          <td>${statusBadge(p.status)}${p.failureCode ? html`<br><small>${p.failureCode.replace(/_/g, ' ')}</small>` : nothing}</td>
          <td>${p.offline ? p.offline.method.replace(/_/g, ' ') : cardLabel(p.paymentMethod)}</td>
          <td>${paidFor(p)}</td>
          ${refunds ? html`<td>${REFUNDABLE.has(p.status) && !p.offline && left(p).amount > 0
            ? html`<button type="button" class="secondary outline" @click=${() => openRefund(p)}>Refund<span class="visually-hidden">
                ${p.id}</span></button>` : nothing}</td>` : nothing}
        </tr>`)}
      </tbody>
    </table></div>
    ${pager.view(page.nextCursor, 'Payment pages')}`;
  }

  function guestsTable(page) {
    if (page.data.length === 0) return html`<p>No guest payment shares this customer's cards, email or phone.</p>`;
    return html`<div class="table-wrap"><table class="striped" id="guest-payments-table">
      <caption class="visually-hidden">Related guest payments</caption>
      <thead><tr><th scope="col">Date</th><th scope="col" class="num">Amount</th><th scope="col">Status</th>
        <th scope="col">Card</th><th scope="col">Guest</th><th scope="col">Matched by</th></tr></thead>
      <tbody>${page.data.map(p => html`<tr>
        <td>${dateTime(p.createdAt)}</td>
        <td class="num">${money(p.amount)}</td>
        <td>${statusBadge(p.status)}</td>
        <td>${cardLabel(p.paymentMethod)}</td>
        <td>${[p.guest?.email, p.guest?.phone].filter(Boolean).join(' · ') || '—'}</td>
        <td>${p.matchedBy.join(', ')}</td>
      </tr>`)}</tbody>
    </table></div>`;
  }

  return {
    view() {
      return html`<div class="page-head">
          <h2>Payments</h2>
          <form class="inline-form" @change=${applyFilter} @submit=${e => e.preventDefault()}>
            ${field({ form: filter, name: 'status', label: 'Status', value: status, options: STATUSES })}
          </form>
        </div>
        ${refunded ? html`<p role="status" id="refund-result">Refunded ${money(refunded.amount)} (${refunded.id}, ${refunded.status}).</p>` : nothing}
        ${refundForm()}
        ${payments.view(paymentsTable, 'payments')}
        <h2>Related guest payments</h2>
        <p><small>Payments made without a customer, with one of this customer's cards, their email or their phone.</small></p>
        ${guests.view(guestsTable, 'guest payments')}`;
    },
  };
}
