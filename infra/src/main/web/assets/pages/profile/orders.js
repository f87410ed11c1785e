// The customer's orders (seed 002 "Order history": date, products, status, total), newest first.
import { api } from '../../api.js';
import { Pager, Resource, dateTime, html, money, nothing, statusBadge } from '../../ui.js';

export function tab(context) {
  const path = `/customers/${encodeURIComponent(context.customerId)}/orders`;
  const pager = new Pager(cursor => orders.load(cursor));
  const orders = new Resource(cursor => api('GET', path, { query: { limit: 20, cursor } }).then(r => r.body));
  orders.load(null);

  function item(line) {
    const name = [line.productName, line.variantName].filter(Boolean).join(' · ');
    const every = line.recurring ? ` every ${line.recurring.intervalCount > 1 ? line.recurring.intervalCount + ' ' : ''}${line.recurring.interval}` : '';
    return html`<li>${line.quantity} × ${name}: ${money(line.amount)}${every}</li>`;
  }

  function table(page) {
    if (page.data.length === 0 && pager.stack.length === 0) return html`<p id="no-orders">No orders yet.</p>`;
    return html`<div class="table-wrap"><table class="striped" id="orders-table">
      <caption class="visually-hidden">Orders</caption>
      <thead><tr><th scope="col">Date</th><th scope="col">Order</th><th scope="col">Items</th><th scope="col">Status</th>
        <th scope="col" class="num">Total</th><th scope="col">Recurring</th></tr></thead>
      <tbody>${page.data.map(o => html`<tr data-order-id=${o.id}>
        <td>${dateTime(o.createdAt)}</td>
        <td><code>${o.id}</code></td>
        <td><ul class="compact">${o.items.map(item)}</ul></td>
        <td>${statusBadge(o.status)}</td>
        <td class="num">${money(o.total)}${o.coupon ? html`<br><small>coupon ${o.coupon.code}</small>` : nothing}</td>
        <td>${o.recurringTotal.length === 0 ? '—' : o.recurringTotal.map(r => html`${money(r.amount)} / ${r.intervalCount > 1 ? r.intervalCount + ' ' : ''}${r.interval}<br>`)}</td>
      </tr>`)}</tbody>
    </table></div>
    ${pager.view(page.nextCursor, 'Order pages')}`;
  }

  return {
    view() {
      return html`<h2>Orders</h2>${orders.view(table, 'orders')}`;
    },
  };
}
