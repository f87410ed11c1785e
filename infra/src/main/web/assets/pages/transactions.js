// Transactions (seed 004: payments → transactions → View Transaction): every payment of the
// tenant, newest first, filtered by status, dates, amounts, card last4 and customer; each opens its view.
import { api } from '../api.js';
import { Action, Pager, Resource, dateTime, field, formValues, html, money, nothing, statusBadge, toMinor } from '../ui.js';

const FILTERS = ['status', 'createdFrom', 'createdTo', 'amountMin', 'amountMax', 'last4', 'customerId'];
const STATUSES = [['', 'Any status'], ['succeeded', 'Succeeded'], ['failed', 'Failed'], ['refunded', 'Refunded'],
  ['partially_refunded', 'Partially refunded'], ['pending', 'Pending']];

export function page({ segments, query: routeQuery, navigate }) {
  if (segments[1]) return transaction(segments[1]);
  const query = {};
  for (const name of FILTERS) {
    const value = routeQuery.get(name);
    if (value) query[name] = value;
  }
  const form = new Action('transaction-filters');
  const pager = new Pager(cursor => rows.load(cursor));
  const rows = new Resource(cursor => api('GET', '/payments', { query: { ...query, limit: 50, cursor } }).then(r => r.body));
  rows.load(null);

  function apply(event) {
    event.preventDefault();
    const values = formValues(event.currentTarget);
    const next = new URLSearchParams();
    for (const name of FILTERS) {
      let value = values[name];
      if ((name === 'amountMin' || name === 'amountMax') && value) {
        const minor = toMinor(value, 'USD');
        value = Number.isNaN(minor) ? value : String(minor);
      }
      if ((name === 'createdFrom' || name === 'createdTo') && value) {
        value = name === 'createdFrom' ? value + 'T00:00:00Z' : value + 'T23:59:59.999Z';
      }
      if (value) next.set(name, value);
    }
    navigate('#/transactions' + (next.size ? '?' + next : ''), { replace: true });
  }

  const shownAmount = name => (query[name] ? String(Number(query[name]) / 100) : '');
  const shownDate = name => (query[name] ? query[name].slice(0, 10) : '');

  function filters() {
    form.problem = rows.error?.errors ? rows.error : null;
    return html`<form class="filters" id="transaction-filters" aria-label="Filter transactions" @submit=${apply}>
      <div class="grid">
        ${field({ form, name: 'status', label: 'Status', value: query.status ?? '', options: STATUSES })}
        ${field({ form, name: 'createdFrom', label: 'From', type: 'date', value: shownDate('createdFrom') })}
        ${field({ form, name: 'createdTo', label: 'To', type: 'date', value: shownDate('createdTo') })}
        ${field({ form, name: 'amountMin', label: 'Amount from', type: 'number', value: shownAmount('amountMin'), attrs: { min: 0, step: '0.01' } })}
        ${field({ form, name: 'amountMax', label: 'Amount to', type: 'number', value: shownAmount('amountMax'), attrs: { min: 0, step: '0.01' } })}
        ${field({ form, name: 'last4', label: 'Card last 4', value: query.last4 ?? '', attrs: { inputmode: 'numeric', maxlength: 4 } })}
        ${field({ form, name: 'customerId', label: 'Customer id', value: query.customerId ?? '' })}
      </div>
      <div class="actions"><button type="submit">Apply</button>
        <a role="button" class="secondary outline" href="#/transactions">Clear</a></div>
    </form>`;
  }

  function table(data) {
    return html`<div class="table-wrap"><table class="striped" id="transactions-table">
      <caption class="visually-hidden">Transactions</caption>
      <thead><tr><th scope="col">Date</th><th scope="col">Amount</th><th scope="col">Status</th>
        <th scope="col">Customer</th><th scope="col">Card</th><th scope="col">Description</th><th scope="col"><span class="visually-hidden">View</span></th></tr></thead>
      <tbody>
        ${data.length === 0 ? html`<tr><td colspan="7">No transactions match.</td></tr>` : nothing}
        ${data.map(p => html`<tr data-payment-id=${p.id}>
          <td>${dateTime(p.createdAt)}</td>
          <td class="num">${money(p.amount)}</td>
          <td>${statusBadge(p.status)}</td>
          <td>${p.customerId ? html`<a href=${'#/customers/' + encodeURIComponent(p.customerId)}>${p.customerId}</a>`
            : html`Guest${p.guest?.email ? html`<br><small>${p.guest.email}</small>` : nothing}`}</td>
          <td>${p.paymentMethod ? `${p.paymentMethod.brand ?? ''} •••• ${p.paymentMethod.last4 ?? ''}` : p.offline?.method ?? '—'}</td>
          <td>${p.description ?? '—'}</td>
          <td><a href=${'#/transactions/' + encodeURIComponent(p.id)}>View transaction</a></td>
        </tr>`)}
      </tbody></table></div>`;
  }

  return {
    title: 'Transactions',
    view: () => html`<h1>Transactions</h1>${filters()}
      ${rows.view(value => html`${table(value.data)}${pager.view(value.nextCursor, 'Transaction pages')}`, 'transactions')}`,
  };
}

function transaction(id) {
  const payment = new Resource(() => api('GET', '/payments/' + encodeURIComponent(id)).then(r => r.body));
  payment.load();
  const row = (label, value) => html`<tr><th scope="row">${label}</th><td>${value ?? '—'}</td></tr>`;
  return {
    title: 'Transaction',
    view: () => payment.view(p => html`<p><a href="#/transactions">← Transactions</a></p>
      <h1>Transaction ${p.id}</h1>
      <table id="transaction-view"><tbody>
        ${row('Status', statusBadge(p.status))}
        ${row('Amount', money(p.amount))}
        ${row('Refunded', money(p.amountRefunded))}
        ${row('Date', dateTime(p.createdAt))}
        ${row('Customer', p.customerId ? html`<a href=${'#/customers/' + encodeURIComponent(p.customerId)}>${p.customerId}</a>` : 'Guest')}
        ${p.guest ? row('Guest', [p.guest.name, p.guest.email].filter(Boolean).join(' · ')) : nothing}
        ${row('Card', p.paymentMethod ? `${p.paymentMethod.brand ?? ''} •••• ${p.paymentMethod.last4 ?? ''}` : p.offline ? `${p.offline.method} (${p.offline.reference})` : '—')}
        ${row('Description', p.description)}
        ${row('Receipt', p.receiptId)}
        ${row('Order', p.orderId)}
        ${row('Invoice', p.invoiceId)}
        ${row('Subscription', p.subscriptionId)}
        ${p.failureCode ? row('Failure', `${p.failureCode}: ${p.failureMessage ?? ''}`) : nothing}
        ${p.dispute ? row('Dispute', `${p.dispute.status} · ${money(p.dispute.amount)}`) : nothing}
      </tbody></table>
      ${p.refunds?.length ? html`<h2>Refunds</h2><ul>${p.refunds.map(r => html`<li>${money(r.amount)} · ${r.status ?? ''} · ${dateTime(r.createdAt)}</li>`)}</ul>` : nothing}`,
    'the transaction'),
  };
}
