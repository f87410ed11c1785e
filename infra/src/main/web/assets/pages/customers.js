// The customers page (seeds 000, 001): four indicators of the loaded page, the table, search,
// filters and sorts, pagination, selection with bulk delete, CSV export, top 100, smart lists.
import { api } from '../api.js';
import { can } from '../auth.js';
import {
  Action, Pager, Resource, confirmDialog, dateTime, field, formValues, html, keepDraft, money, moneyList, nothing,
  submit, toMinor, update,
} from '../ui.js';

/** The filters of GET /customers this page offers, as they appear in the page's URL. */
export const FILTERS = ['q', 'type', 'segment', 'ltvMin', 'ltvMax', 'currency', 'billingGroupId', 'hasActiveSubscriptions',
  'tier', 'sort'];
export const SORTS = [['-createdAt', 'Newest first'], ['name', 'Name'], ['-ltv', 'Highest LTV'],
  ['-subscriptions', 'Most subscriptions'], ['-outstandingBalance', 'Highest balance'], ['outstandingBalance', 'Lowest balance']];
const SEGMENTS = [['', 'Any segment'], ['high_value', 'High value'], ['at_risk', 'At risk'], ['loyal', 'Loyal'],
  ['new', 'New'], ['business', 'Business']];
const PAGE_SIZE = 50;
/** The filters behind "More filters" (opened when one is set). */
const MORE = ['ltvMin', 'ltvMax', 'currency', 'tier', 'billingGroupId', 'hasActiveSubscriptions'];

/** The query of a customers URL ({param: value}, empty values left out). */
export function queryOf(params) {
  const query = {};
  for (const name of FILTERS) {
    const value = params.get(name);
    if (value !== null && value !== '') query[name] = value;
  }
  return query;
}

export function page({ query: routeQuery, navigate }) {
  const query = queryOf(routeQuery);
  const top = routeQuery.get('top') === '100';
  const selected = new Set();
  const pager = new Pager(cursor => rows.load(cursor));
  const rows = new Resource(async cursor => {
    const body = top
      ? { ...(await api('GET', '/customers/top', { query: { limit: 100 } })).body, nextCursor: null }
      : (await api('GET', '/customers', { query: { ...query, limit: PAGE_SIZE, cursor } })).body;
    // when the table is first on screen (what the page-speed benchmark reads)
    requestAnimationFrame(() => performance.mark('clientele:customers-table'));
    return body;
  });
  const choices = new Resource(async () => {
    const [groups, tiers] = await Promise.all([
      api('GET', '/billing-groups', { query: { limit: 100 } }).then(r => r.body.data).catch(() => []),
      can('settings:read') ? api('GET', '/loyalty/tiers').then(r => r.body.tiers ?? []).catch(() => []) : [],
    ]);
    return { groups, tiers };
  });
  const filters = new Action('customer-filters');
  const bulk = new Action('bulk-delete');
  const exporting = new Action('export');
  const saving = new Action('save-list');
  const creating = new Action('new-customer');
  let exportJob = null;
  let showNew = false;
  let showSave = false;
  let deletedNote = null;
  rows.load(null);
  choices.load();

  function applyFilters(event) {
    event.preventDefault();
    const values = formValues(event.currentTarget);
    const currency = values.currency || 'USD';
    const next = new URLSearchParams();
    for (const name of FILTERS) {
      let value = values[name];
      if ((name === 'ltvMin' || name === 'ltvMax') && value) {
        const minor = toMinor(value, currency);
        value = Number.isNaN(minor) ? value : String(minor);
      }
      if (name === 'currency' && !values.ltvMin && !values.ltvMax) continue;
      if (name === 'sort' && value === '-createdAt') continue;
      if (value !== undefined && value !== '' && value !== false) next.set(name, String(value));
    }
    navigate('#/customers' + (next.size ? '?' + next : ''), { replace: true });
  }

  function major(minor) {
    if (minor === undefined) return '';
    const n = Number(minor);
    return Number.isFinite(n) ? String(n / 100) : minor;
  }

  function filterForm() {
    const { groups = [], tiers = [] } = choices.value ?? {};
    filters.problem = rows.error?.errors ? rows.error : null;
    return html`<form class="filters" aria-label="Search and filter customers" @submit=${applyFilters}>
      <div class="grid">
        ${field({ form: filters, name: 'q', label: 'Search', value: query.q ?? '',
          help: 'Id, email, name, phone, company or receipt id', attrs: { maxlength: 100 } })}
        ${field({ form: filters, name: 'type', label: 'Type', value: query.type ?? '',
          options: [['', 'Any type'], ['individual', 'Individual'], ['business', 'Business']] })}
        ${field({ form: filters, name: 'segment', label: 'Segment', value: query.segment ?? '', options: SEGMENTS })}
        ${field({ form: filters, name: 'sort', label: 'Sort', value: query.sort ?? '-createdAt', options: SORTS })}
      </div>
      <details ?open=${MORE.some(name => query[name] !== undefined)}>
        <summary>More filters</summary>
        <div class="grid">
          ${field({ form: filters, name: 'ltvMin', label: 'LTV from', value: major(query.ltvMin), type: 'number', attrs: { min: 0, step: '0.01' } })}
          ${field({ form: filters, name: 'ltvMax', label: 'LTV to', value: major(query.ltvMax), type: 'number', attrs: { min: 0, step: '0.01' } })}
          ${field({ form: filters, name: 'currency', label: 'LTV currency', value: query.currency ?? 'USD',
            options: [['USD', 'USD'], ['EUR', 'EUR'], ['GBP', 'GBP']] })}
          ${field({ form: filters, name: 'tier', label: 'Tier', value: query.tier ?? '',
            options: [['', 'Any tier'], ...tiers.map(t => [t.key, t.name])] })}
          ${field({ form: filters, name: 'billingGroupId', label: 'Billing group', value: query.billingGroupId ?? '',
            options: [['', 'Any group'], ...groups.map(g => [g.id, g.name])] })}
          ${field({ form: filters, name: 'hasActiveSubscriptions', label: 'Subscriptions', value: query.hasActiveSubscriptions ?? '',
            options: [['', 'Any'], ['true', 'With an active one'], ['false', 'Without']] })}
        </div>
      </details>
      <div class="actions">
        <button type="submit">Apply</button>
        <a role="button" class="secondary outline" href="#/customers">Clear</a>
        <a role="button" class="secondary outline" href=${top ? '#/customers' : '#/customers?top=100'}>${top ? 'All customers' : 'Top 100'}</a>
        ${can('customers:write') && !top ? html`<button type="button" class="secondary outline"
          @click=${() => { showSave = !showSave; update(); }} aria-expanded=${showSave}>Save as smart list</button>` : nothing}
      </div>
    </form>`;
  }

  async function saveList(event) {
    event.preventDefault();
    const values = formValues(event.currentTarget);
    const saved = await saving.run(() => api('POST', '/smart-lists', { body: { name: values.name, query } }));
    if (saved) {
      showSave = false;
      navigate('#/lists');
    }
  }

  function saveForm() {
    if (!showSave) return nothing;
    return html`<form class="inline-form" @submit=${saveList} @input=${keepDraft('save-list')} aria-label="Save as smart list">
      ${field({ form: saving, name: 'name', label: 'List name', required: true, attrs: { maxlength: 80 } })}
      ${saving.summary(['name'])}
      ${submit(saving, 'Save list')}
    </form>`;
  }

  function indicators(summary) {
    return html`<section class="indicators" aria-label="Indicators of the loaded page">
      <article><small>Customers</small><p class="figure" id="kpi-customers">${summary.customers}</p></article>
      <article><small>Returning customers</small><p class="figure" id="kpi-returning">${summary.returningCustomersPct}%</p></article>
      <article><small>Average spent</small><p class="figure" id="kpi-average-spent">${moneyList(summary.averageSpent)}</p></article>
      <article><small>Average LTV</small><p class="figure" id="kpi-average-ltv">${moneyList(summary.averageLtv)}</p></article>
    </section>`;
  }

  function toggle(id, checked) {
    if (checked) selected.add(id);
    else selected.delete(id);
    update();
  }

  function table(data) {
    const deletable = can('customers:delete');
    const allChecked = data.length > 0 && data.every(c => selected.has(c.id));
    return html`<div class="table-wrap"><table class="striped customers-table">
      <caption class="visually-hidden">Customers</caption>
      <thead><tr>
        ${deletable ? html`<th scope="col"><input type="checkbox" aria-label="Select all on this page" .checked=${allChecked}
          @change=${e => { data.forEach(c => (e.target.checked ? selected.add(c.id) : selected.delete(c.id))); update(); }}></th>` : nothing}
        <th scope="col">Name</th><th scope="col">Email</th><th scope="col">LTV</th><th scope="col">Last purchase</th>
        <th scope="col">Orders</th><th scope="col">Last value</th><th scope="col">Payment method</th>
        <th scope="col">Points</th><th scope="col">Tier</th><th scope="col">Outstanding</th>
      </tr></thead>
      <tbody>
        ${data.length === 0 ? html`<tr><td colspan="11">No customers match.</td></tr>` : nothing}
        ${data.map(c => html`<tr data-customer-id=${c.id}>
          ${deletable ? html`<td><input type="checkbox" aria-label=${'Select ' + c.name} .checked=${selected.has(c.id)}
            @change=${e => toggle(c.id, e.target.checked)}></td>` : nothing}
          <td><a href=${'#/customers/' + encodeURIComponent(c.id)}>${c.name || c.id}</a>
            ${c.companyName ? html`<br><small>${c.companyName}</small>` : nothing}</td>
          <td>${c.email}</td>
          <td class="num">${money(c.ltv)}</td>
          <td>${dateTime(c.lastPurchaseAt)}</td>
          <td class="num">${c.orders}</td>
          <td class="num">${money(c.lastOrderValue)}</td>
          <td>${c.paymentMethod ? `${c.paymentMethod.brand} •••• ${c.paymentMethod.last4}` : '—'}</td>
          <td class="num">${c.pointsAvailable}</td>
          <td>${c.tier?.name ?? '—'}</td>
          <td class="num">${c.balance && c.balance.outstanding > 0 ? money({ amount: c.balance.outstanding, currency: c.balance.currency }) : '—'}</td>
        </tr>`)}
      </tbody>
    </table></div>`;
  }

  async function deleteSelected() {
    const ids = [...selected];
    const ok = await confirmDialog({
      title: `Delete ${ids.length} customer${ids.length === 1 ? '' : 's'}?`,
      message: 'Deleted customers leave the list, the search and the figures. Their payments stay on record.',
      confirm: 'Delete', danger: true,
    });
    if (!ok) return;
    const answer = await bulk.run(() => api('POST', '/customers/batch-delete', { body: { ids } }));
    if (answer) {
      deletedNote = `${answer.body.deleted.length} deleted` + (answer.body.notFound.length ? `, ${answer.body.notFound.length} not found` : '');
      selected.clear();
      rows.load(pager.cursor);
    }
  }

  async function startExport() {
    const { sort, ...rest } = query;
    const body = { ...rest };
    if (sort && ['-createdAt', 'name', '-ltv', '-subscriptions'].includes(sort)) body.sort = sort;
    delete body.tier;
    const answer = await exporting.run(() => api('POST', '/exports/customers', { body }));
    if (!answer) return;
    exportJob = answer.body;
    update();
    while (exportJob && !['succeeded', 'failed', 'canceled'].includes(exportJob.status)) {
      await new Promise(r => setTimeout(r, 700));
      const polled = await exporting.run(() => api('GET', '/exports/' + encodeURIComponent(exportJob.id)));
      if (!polled) return;
      exportJob = polled.body;
      update();
    }
  }

  function exportView() {
    if (!exportJob && !exporting.problem && !exporting.error) return nothing;
    const done = exportJob?.status === 'succeeded';
    return html`<section class="export" aria-live="polite" aria-label="Export">
      ${exporting.summary()}
      ${exportJob ? html`<p>Export ${exportJob.id}: ${exportJob.status.replace(/_/g, ' ')}, ${exportJob.rowsWritten} rows written</p>
        <progress id="export-progress" max="100" value=${done ? 100 : exportJob.progress ?? nothing}
          aria-label="Export progress"></progress>
        ${done && exportJob.downloadUrl ? html`<a id="export-download" role="button" href=${exportJob.downloadUrl}
          download=${exportJob.fileName ?? 'customers.csv'}>Download ${exportJob.fileName ?? 'CSV'}</a>` : nothing}
        ${exportJob.error ? html`<p class="problem" role="alert">${exportJob.error}</p>` : nothing}` : nothing}
    </section>`;
  }

  async function createCustomer(event) {
    event.preventDefault();
    const v = formValues(event.currentTarget);
    const body = { type: v.type, firstName: v.firstName, lastName: v.lastName, email: v.email, phone: v.phone };
    if (v.type === 'business') body.company = { name: v.companyName || null };
    const answer = await creating.run(() => api('POST', '/customers', { body }));
    if (answer) navigate('#/customers/' + encodeURIComponent(answer.body.id));
  }

  function newCustomerForm() {
    if (!showNew) return nothing;
    const fields = ['type', 'firstName', 'lastName', 'email', 'phone', 'company.name'];
    return html`<article><form id="new-customer-form" @submit=${createCustomer} @input=${keepDraft('new-customer')} novalidate
        aria-labelledby="new-customer-title">
      <h2 id="new-customer-title">New customer</h2>
      <div class="grid">
        ${field({ form: creating, name: 'type', label: 'Type', value: 'individual', options: [['individual', 'Individual'], ['business', 'Business']] })}
        ${field({ form: creating, name: 'companyName', apiField: 'company.name', label: 'Company (business customers)' })}
      </div>
      <div class="grid">
        ${field({ form: creating, name: 'firstName', label: 'First name', required: true, attrs: { autocomplete: 'off' } })}
        ${field({ form: creating, name: 'lastName', label: 'Last name', required: true, attrs: { autocomplete: 'off' } })}
      </div>
      <div class="grid">
        ${field({ form: creating, name: 'email', label: 'Email', type: 'email', required: true, attrs: { autocomplete: 'off' } })}
        ${field({ form: creating, name: 'phone', label: 'Phone', type: 'tel', required: true, attrs: { autocomplete: 'off' } })}
      </div>
      ${creating.summary(fields.concat(['company']))}
      ${submit(creating, 'Create customer')}
    </form></article>`;
  }

  return {
    title: 'Customers',
    view() {
      return html`<div class="page-head">
          <h1>${top ? 'Top 100 customers' : 'Customers'}</h1>
          <div class="actions">
            ${can('customers:write') ? html`<button type="button" @click=${() => { showNew = !showNew; update(); }}
              aria-expanded=${showNew}>New customer</button>` : nothing}
            ${can('exports:create') ? html`<button type="button" class="secondary" @click=${startExport}
              ?disabled=${exporting.busy}>Export CSV</button>` : nothing}
          </div>
        </div>
        ${newCustomerForm()}
        ${exportView()}
        ${choices.value || choices.state === 'failed' ? filterForm() : html`<p aria-busy="true">Loading filters…</p>`}
        ${saveForm()}
        ${rows.value ? indicators(rows.value.summary) : nothing}
        ${selected.size > 0 ? html`<div class="bulk-bar" role="region" aria-label="Selection">
            <span>${selected.size} selected</span>
            <button type="button" class="danger" id="bulk-delete" @click=${deleteSelected} ?disabled=${bulk.busy}>Delete selected</button>
            <button type="button" class="secondary outline" @click=${() => { selected.clear(); update(); }}>Clear selection</button>
          </div>` : nothing}
        ${bulk.summary()}
        ${deletedNote ? html`<p role="status" id="bulk-result">${deletedNote}</p>` : nothing}
        ${rows.view(value => html`${table(value.data)}${top ? nothing : pager.view(value.nextCursor, 'Customer pages')}`, 'customers')}`;
    },
  };
}
