// A customer's profile (seeds 001-004): the figures at the top, then one tab at a time. Each tab
// is a module of pages/profile/ exporting tab(context) → {view()}; the context gives the customer
// (a Resource of GET /customers/{id}, whose value carries its ETag), reload() and navigate.
import { api } from '../api.js';
import { can } from '../auth.js';
import { Resource, dateTime, failure, html, money, nothing, update } from '../ui.js';

/** [route key, label, scope needed to see it, module]. */
const TABS = [
  ['overview', 'Overview', 'customers:read', null],
  ['details', 'Contact & addresses', 'customers:read', () => import('./profile/details.js')],
  ['cards', 'Cards & charge', 'payments:read', () => import('./profile/cards.js')],
  ['payments', 'Payments', 'payments:read', () => import('./profile/payments.js')],
  ['orders', 'Orders', 'orders:read', () => import('./profile/orders.js')],
  ['subscriptions', 'Subscriptions', 'subscriptions:read', () => import('./profile/subscriptions.js')],
  ['invoices', 'Invoices', 'invoices:read', () => import('./profile/invoices.js')],
  ['loyalty', 'Points & coupons', 'points:read', () => import('./profile/loyalty.js')],
  ['notes', 'Notes', 'customers:read', () => import('./profile/notes.js')],
  ['activity', 'Activity & messages', 'customers:read', () => import('./profile/activity.js')],
  ['privacy', 'Merge & privacy', 'customers:read', () => import('./profile/privacy.js')],
];

export function page({ segments, navigate }) {
  const customerId = segments[1];
  const tabKey = TABS.some(([key]) => key === segments[2]) ? segments[2] : 'overview';
  const base = '#/customers/' + encodeURIComponent(customerId);
  const customer = new Resource(() => api('GET', '/customers/' + encodeURIComponent(customerId))
    .then(r => ({ ...r.body, etag: r.etag })));
  const activities = new Resource(() => api('GET', `/customers/${encodeURIComponent(customerId)}/activities`, { query: { limit: 7 } })
    .then(r => r.body.data));
  const context = {
    customerId,
    customer,
    base,
    navigate,
    reload: () => customer.reload(),
  };
  let tab = null;
  let tabError = null;
  customer.load();
  const entry = TABS.find(([key]) => key === tabKey);
  if (entry[3]) {
    entry[3]().then(module => {
      tab = module.tab(context);
      update();
    }, e => {
      tabError = e;
      update();
    });
  } else {
    activities.load();
  }

  function figures(c) {
    const s = c.stats;
    return html`<section class="indicators" aria-label="Figures">
      <article><small>Lifetime value</small><p class="figure" id="profile-ltv">${money(s?.ltv)}</p></article>
      <article><small>Orders</small><p class="figure" id="profile-orders">${s?.orders ?? 0}</p></article>
      <article><small>Average order</small><p class="figure">${money(s?.averageOrderValue)}</p></article>
      <article><small>Points</small><p class="figure" id="profile-points">${c.pointsAvailable}</p></article>
      <article><small>Tier</small><p class="figure">${c.tier?.name ?? '—'}</p></article>
      <article><small>Outstanding</small><p class="figure">${c.balance?.outstanding ? money({ amount: c.balance.outstanding, currency: c.balance.currency }) : '—'}</p></article>
    </section>`;
  }

  function overview(c) {
    const s = c.stats;
    return html`<div class="grid">
      <article>
        <h2>Contact</h2>
        <dl>
          <dt>Email</dt><dd>${c.email}</dd>
          <dt>Phone</dt><dd>${c.phone}</dd>
          ${c.company ? html`<dt>Company</dt><dd>${c.company.name}${c.company.vatNumber ? ` (VAT ${c.company.vatNumber})` : ''}</dd>` : nothing}
          <dt>Payment method</dt><dd>${c.paymentMethod ? `${c.paymentMethod.brand} •••• ${c.paymentMethod.last4}` : '—'}</dd>
          <dt>Customer since</dt><dd>${dateTime(c.createdAt)}</dd>
          ${c.referralCode ? html`<dt>Referral code</dt><dd><code>${c.referralCode}</code></dd>` : nothing}
        </dl>
      </article>
      <article>
        <h2>Purchases</h2>
        <dl>
          <dt>First purchase</dt><dd>${dateTime(s?.firstPurchaseAt)}</dd>
          <dt>Last purchase</dt><dd>${dateTime(s?.lastPurchaseAt)} ${s?.lastOrderValue ? html`(${money(s.lastOrderValue)})` : nothing}</dd>
          <dt>Refunded</dt><dd>${money(s?.refunded)}</dd>
          <dt>Failed payments</dt><dd>${s?.failedPayments ?? 0}</dd>
          <dt>Disputes</dt><dd>${s?.disputeCount ?? 0}</dd>
          <dt>Active subscriptions</dt><dd>${c.subscriptions?.active ?? 0}</dd>
        </dl>
      </article>
      <article>
        <h2>Last 7 activities</h2>
        ${activities.view(list => list.length === 0 ? html`<p>No activity yet.</p>` : html`<ol class="activities" id="last-activities">
          ${list.map(a => html`<li><small>${dateTime(a.at)}</small><br>${a.summary}</li>`)}
        </ol>`, 'activities')}
      </article>
    </div>`;
  }

  function tabs() {
    return html`<nav aria-label="Profile sections"><ul class="tabs">
      ${TABS.filter(([, , scope]) => can(scope)).map(([key, label]) => html`<li>
        <a href=${key === 'overview' ? base : base + '/' + key} aria-current=${key === tabKey ? 'page' : nothing}>${label}</a></li>`)}
    </ul></nav>`;
  }

  return {
    title: 'Customer',
    view() {
      return customer.view(c => html`<div class="page-head">
          <div>
            <p><a href="#/customers">← Customers</a></p>
            <h1 id="profile-name">${c.firstName} ${c.lastName}</h1>
            <p><small>${c.id} · ${c.type}${c.company ? ' · ' + c.company.name : ''}</small></p>
          </div>
        </div>
        ${figures(c)}
        ${tabs()}
        <section aria-label=${entry[1]}>
          ${entry[3] ? (tabError ? failure(tabError, () => location.reload()) : tab ? tab.view() : html`<p aria-busy="true">Loading…</p>`) : overview(c)}
        </section>`, 'the customer');
    },
  };
}
