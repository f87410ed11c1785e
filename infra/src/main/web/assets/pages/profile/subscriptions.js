// The customer's subscriptions (seed 002 "Active subscriptions": product, monthly payment, contract
// end, cost recovery) with what the role may do: pause, resume, cancel, and for a past-due one
// "retry failed payment" and "mark as paid" (seed 002 "Customer has payment issue").
import { api } from '../../api.js';
import { can } from '../../auth.js';
import {
  Action, Pager, Resource, confirmDialog, date, dateTime, field, formValues, html, keepDraft, money, nothing, statusBadge, submit, update,
} from '../../ui.js';
import { SubmissionKey } from './shared.js';

const CANCELABLE = new Set(['trialing', 'active', 'past_due', 'paused']);
const METHODS = [['bank_transfer', 'Bank transfer'], ['cash', 'Cash'], ['cheque', 'Cheque'], ['other', 'Other']];

export function tab(context) {
  const path = `/customers/${encodeURIComponent(context.customerId)}/subscriptions`;
  const pager = new Pager(cursor => subscriptions.load(cursor));
  const subscriptions = new Resource(cursor => api('GET', path, { query: { limit: 20, cursor } }).then(r => r.body));
  const products = new Resource(() => api('GET', '/products', { query: { limit: 100 } })
    .then(r => new Map(r.body.data.map(p => [p.id, p.name])), () => new Map()));
  const acting = new Action('subscription-action');
  const marking = new Action('mark-paid');
  const keys = new SubmissionKey();
  let markOf = null;
  let note = null;
  subscriptions.load(null);
  if (can('catalogue:read')) products.load();

  const at = (id, action) => `/subscriptions/${encodeURIComponent(id)}/${action}`;

  async function act(s, action, body, done, options = {}) {
    note = null;
    const answer = await acting.run(() => api('POST', at(s.id, action), { body, ...options }));
    if (answer) {
      note = done;
      subscriptions.reload();
      context.reload();
    }
    return answer;
  }

  async function cancelNow(s) {
    const ok = await confirmDialog({
      title: 'Cancel the subscription now?',
      message: `${name(s)} is canceled at once and nothing more is billed. This cannot be undone.`,
      confirm: 'Cancel now', danger: true,
    });
    if (ok) await act(s, 'cancel', { at: 'now' }, 'Canceled.');
  }

  async function retry(s) {
    const idempotencyKey = keys.for({ retry: s.id });
    await act(s, 'retry', undefined, 'Paid: the subscription is active again.', { idempotencyKey });
    keys.settle(acting);
  }

  async function markPaid(event) {
    event.preventDefault();
    const v = formValues(event.currentTarget);
    const body = { method: v.method, reference: v.reference };
    const idempotencyKey = keys.for({ markPaid: markOf.id, ...body });
    const answer = await marking.run(() => api('POST', at(markOf.id, 'mark-paid'), { body, idempotencyKey }));
    keys.settle(marking);
    if (answer) {
      note = `Recorded as paid (${answer.body.payment?.id ?? 'payment'}): the subscription is active again.`;
      markOf = null;
      subscriptions.reload();
      context.reload();
    }
  }

  function name(s) {
    return products.value?.get(s.productId) ?? s.productId;
  }

  function markForm() {
    if (!markOf) return nothing;
    return html`<article><form id="mark-paid-form" @submit=${markPaid} @input=${keepDraft('mark-paid')} novalidate aria-labelledby="mark-paid-title">
      <h3 id="mark-paid-title">Mark ${name(markOf)} as paid</h3>
      <p>The open period (${money(markOf.amount)}) is recorded as paid outside the processor.</p>
      <div class="grid">
        ${field({ form: marking, name: 'method', label: 'Paid by', options: METHODS })}
        ${field({ form: marking, name: 'reference', label: 'Reference', required: true, help: 'The transfer\'s, cheque\'s or receipt\'s reference',
          attrs: { maxlength: 100 } })}
      </div>
      ${marking.summary(['method', 'reference'])}
      <div class="actions">
        ${submit(marking, 'Mark as paid')}
        <button type="button" class="secondary outline" @click=${() => { markOf = null; update(); }}>Cancel</button>
      </div>
    </form></article>`;
  }

  function actions(s) {
    const write = can('subscriptions:write');
    const charge = can('payments:charge');
    const label = html`<span class="visually-hidden"> ${name(s)}</span>`;
    const button = (text, onClick, danger = false) => html`<button type="button" class=${danger ? 'danger' : 'secondary outline'}
      ?disabled=${acting.busy} @click=${onClick}>${text}${label}</button>`;
    return html`
      ${write && s.status === 'active' ? button('Pause', () => act(s, 'pause', undefined, 'Paused: not billed until resumed.')) : nothing}
      ${write && s.status === 'paused' ? button('Resume', () => act(s, 'resume', undefined, 'Resumed.')) : nothing}
      ${charge && s.status === 'past_due' ? button('Retry payment', () => retry(s)) : nothing}
      ${charge && s.status === 'past_due' ? button('Mark as paid', () => { markOf = s; update(); }) : nothing}
      ${write && ['trialing', 'active'].includes(s.status) && !s.cancelAtPeriodEnd
        ? button('Cancel at period end', () => act(s, 'cancel', { at: 'period_end' }, 'Cancels at the end of the period.')) : nothing}
      ${write && CANCELABLE.has(s.status) ? button('Cancel now', () => cancelNow(s), true) : nothing}`;
  }

  function table(page) {
    if (page.data.length === 0 && pager.stack.length === 0) return html`<p id="no-subscriptions">No subscriptions yet.</p>`;
    return html`<div class="table-wrap"><table class="striped" id="subscriptions-table">
      <caption class="visually-hidden">Subscriptions</caption>
      <thead><tr><th scope="col">Product</th><th scope="col">Status</th><th scope="col" class="num">Monthly</th>
        <th scope="col">Next payment</th><th scope="col">Contract end</th><th scope="col">Cost recovery</th>
        <th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
      <tbody>${page.data.map(s => html`<tr data-subscription-id=${s.id}>
        <td>${name(s)}${s.quantity > 1 ? ` × ${s.quantity}` : ''}${s.assetSerialNumber ? html`<br><small>Serial ${s.assetSerialNumber}</small>` : nothing}</td>
        <td>${statusBadge(s.status)}${s.cancelAtPeriodEnd ? html`<br><small>ends ${date(s.currentPeriodEnd)}</small>` : nothing}
          ${s.nextRetryAt ? html`<br><small>retry ${dateTime(s.nextRetryAt)}</small>` : nothing}</td>
        <td class="num">${money(s.monthlyPayment)}</td>
        <td>${dateTime(s.nextPaymentAt)}</td>
        <td>${date(s.contractEndDate)}</td>
        <td>${s.costRecovery ? html`<progress max="100" value=${Math.min(100, s.costRecovery.percent)}
          aria-label=${`Cost recovered of ${name(s)}`}></progress> ${s.costRecovery.percent}% of ${money(s.costRecovery.assetCost)}` : '—'}</td>
        <td><div class="actions">${actions(s)}</div></td>
      </tr>`)}</tbody>
    </table></div>
    ${pager.view(page.nextCursor, 'Subscription pages')}`;
  }

  return {
    view() {
      const figures = context.customer.value.subscriptions;
      return html`<h2>Subscriptions</h2>
        ${figures ? html`<p>${figures.active} active of ${figures.total} · active monthly income ${money(figures.activeMonthlyIncome)}
          · collected ${money(figures.collected)}</p>` : nothing}
        ${note ? html`<p role="status" id="subscription-result">${note}</p>` : nothing}
        ${acting.summary()}
        ${markForm()}
        ${subscriptions.view(table, 'subscriptions')}`;
    },
  };
}
