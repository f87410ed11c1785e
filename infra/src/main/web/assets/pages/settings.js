// Settings: the loyalty programme, segments, dunning, campaigns, billing groups and webhook
// endpoints. Everyone with settings:read sees them; only the roles that may change them get forms.
import { api } from '../api.js';
import { can } from '../auth.js';
import {
  Action, Resource, dateTime, field, formValues, html, keepDraft, nothing, statusBadge, submit, toMinor, update,
} from '../ui.js';

const SECTIONS = [
  ['loyalty', 'Loyalty programme', 'settings:read'],
  ['segments', 'Segments', 'settings:read'],
  ['dunning', 'Dunning & reminders', 'settings:read'],
  ['campaigns', 'Campaigns', 'settings:read'],
  ['billing-groups', 'Billing groups', 'customers:read'],
  ['webhooks', 'Webhook endpoints', 'webhooks:read'],
];

export function page({ segments }) {
  const visible = SECTIONS.filter(([, , scope]) => can(scope));
  const key = visible.some(([k]) => k === segments[1]) ? segments[1] : visible[0]?.[0];
  const section = { loyalty, segments: segmentSettings, dunning, campaigns, 'billing-groups': billingGroups, webhooks }[key]?.();
  return {
    title: 'Settings',
    view: () => html`<h1>Settings</h1>
      <nav aria-label="Settings sections"><ul class="tabs">
        ${visible.map(([k, label]) => html`<li><a href=${'#/settings/' + k} aria-current=${k === key ? 'page' : nothing}>${label}</a></li>`)}
      </ul></nav>
      ${section ? section.view() : html`<p>Your role sees no settings.</p>`}`,
  };
}

/** A settings document edited whole: GET, then PUT of the form's values (read-only without the scope). */
function documentSection({ path, formId, title, writeScope, fields, toBody }) {
  const current = new Resource(() => api('GET', path).then(r => r.body));
  const form = new Action(formId);
  let saved = false;
  current.load();
  async function save(event) {
    event.preventDefault();
    saved = false;
    const answer = await form.run(() => api('PUT', path, { body: toBody(formValues(event.currentTarget), current.value) }));
    if (answer) {
      current.value = answer.body;
      saved = true;
      update();
    }
  }
  return {
    view: () => current.view(value => {
      const editable = can(writeScope);
      const rendered = fields(form, value);
      return html`<article><h2>${title}</h2>
        <form id=${formId} @submit=${save} @input=${keepDraft(formId)} novalidate>
          <fieldset ?disabled=${!editable}>${rendered.controls}</fieldset>
          ${form.summary(rendered.names)}
          ${editable ? submit(form, 'Save') : html`<p><small>Your role may read these settings, not change them.</small></p>`}
          ${saved ? html`<p role="status">Saved.</p>` : nothing}
          ${value.updatedAt ? html`<p><small>Last changed ${dateTime(value.updatedAt)}${value.updatedBy?.id ? ' by ' + value.updatedBy.id : ''}</small></p>` : nothing}
        </form></article>`;
    }, title.toLowerCase()),
  };
}

const integer = text => (/^-?\d+$/.test(text) ? Number(text) : text);
const decimal = text => (text !== '' && !Number.isNaN(Number(text)) ? Number(text) : text);

function loyalty() {
  return documentSection({
    path: '/loyalty/settings', formId: 'loyalty-settings', title: 'Loyalty programme', writeScope: 'settings:write',
    fields: (form, v) => ({
      names: ['pointsPerUnit', 'rounding', 'lotLifetimeMonths', 'referrerBonus', 'refereeBonus', 'otpRequired', 'pointValue.amount', 'pointValue.currency'],
      controls: html`<div class="grid">
        ${field({ form, name: 'pointsPerUnit', label: 'Points per currency unit', type: 'number', value: v.pointsPerUnit, attrs: { step: '0.0001', min: 0 } })}
        ${field({ form, name: 'rounding', label: 'Rounding', value: v.rounding, options: [['DOWN', 'Down'], ['HALF_UP', 'Half up'], ['UP', 'Up']] })}
        ${field({ form, name: 'lotLifetimeMonths', label: 'Points expire after (months)', type: 'number', value: v.lotLifetimeMonths, attrs: { min: 1, max: 120 } })}
      </div><div class="grid">
        ${field({ form, name: 'referrerBonus', label: 'Referrer bonus (points)', type: 'number', value: v.referrerBonus, attrs: { min: 0 } })}
        ${field({ form, name: 'refereeBonus', label: 'Referee bonus (points)', type: 'number', value: v.refereeBonus, attrs: { min: 0 } })}
        ${field({ form, name: 'pointValue', apiField: 'pointValue.amount', label: `Value of a point (${v.pointValue?.currency ?? 'USD'}, minor units)`, type: 'number', value: v.pointValue?.amount, attrs: { min: 0 } })}
      </div>
      ${field({ form, name: 'otpRequired', label: 'Redemptions need a one-time code', type: 'checkbox', value: v.otpRequired })}`,
    }),
    toBody: (f, v) => ({
      pointsPerUnit: decimal(f.pointsPerUnit), rounding: f.rounding, lotLifetimeMonths: integer(f.lotLifetimeMonths),
      referrerBonus: integer(f.referrerBonus), refereeBonus: integer(f.refereeBonus), otpRequired: f.otpRequired,
      pointValue: { amount: integer(f.pointValue), currency: v.pointValue?.currency ?? 'USD' },
      ...(v.campaignStacking ? { campaignStacking: v.campaignStacking } : {}),
    }),
  });
}

function segmentSettings() {
  return documentSection({
    path: '/settings/segments', formId: 'segment-settings', title: 'Segments', writeScope: 'settings:write',
    fields: (form, v) => ({
      names: ['highValueLtv.amount', 'highValueLtv.currency', 'atRiskDays', 'atRiskDisputes', 'loyalOrders', 'newDays'],
      controls: html`<div class="grid">
        ${field({ form, name: 'highValueLtv', apiField: 'highValueLtv.amount', label: 'High value from LTV', type: 'number',
          value: v.highValueLtv ? v.highValueLtv.amount / 100 : '', attrs: { min: 0, step: '0.01' } })}
        ${field({ form, name: 'highValueCurrency', apiField: 'highValueLtv.currency', label: 'Currency', value: v.highValueLtv?.currency ?? 'USD',
          options: [['USD', 'USD'], ['EUR', 'EUR'], ['GBP', 'GBP']] })}
        ${field({ form, name: 'loyalOrders', label: 'Loyal from (orders)', type: 'number', value: v.loyalOrders, attrs: { min: 1 } })}
      </div><div class="grid">
        ${field({ form, name: 'atRiskDays', label: 'At risk: a failed payment within (days)', type: 'number', value: v.atRiskDays, attrs: { min: 1, max: 365 } })}
        ${field({ form, name: 'atRiskDisputes', label: 'At risk from (disputes; empty: never)', type: 'number', value: v.atRiskDisputes ?? '', attrs: { min: 1, max: 1000 } })}
        ${field({ form, name: 'newDays', label: 'New for (days)', type: 'number', value: v.newDays, attrs: { min: 1, max: 365 } })}
      </div>`,
    }),
    toBody: f => ({
      highValueLtv: { amount: Number.isNaN(toMinor(f.highValueLtv, f.highValueCurrency)) ? f.highValueLtv : toMinor(f.highValueLtv, f.highValueCurrency), currency: f.highValueCurrency },
      atRiskDays: integer(f.atRiskDays), atRiskDisputes: f.atRiskDisputes === '' ? null : integer(f.atRiskDisputes),
      loyalOrders: integer(f.loyalOrders), newDays: integer(f.newDays),
    }),
  });
}

function dunning() {
  return documentSection({
    path: '/settings/billing', formId: 'billing-settings', title: 'Dunning & reminders', writeScope: 'settings:write',
    fields: (form, v) => ({
      names: ['dunning.retryAfterDays', 'dunning.afterLastRetry', 'reminders.renewalDaysAhead', 'reminders.contractEndDaysAhead'],
      controls: html`<div class="grid">
        ${field({ form, name: 'retryAfterDays', apiField: 'dunning.retryAfterDays', label: 'Retry a failed renewal after (days, comma-separated)',
          value: v.dunning.retryAfterDays.join(', ') })}
        ${field({ form, name: 'afterLastRetry', apiField: 'dunning.afterLastRetry', label: 'After the last retry', value: v.dunning.afterLastRetry,
          options: [['cancel', 'Cancel the subscription'], ['leave_unpaid', 'Leave it unpaid']] })}
      </div><div class="grid">
        ${field({ form, name: 'renewalDaysAhead', apiField: 'reminders.renewalDaysAhead', label: 'Renewal reminder (days ahead, 0: none)', type: 'number', value: v.reminders.renewalDaysAhead, attrs: { min: 0 } })}
        ${field({ form, name: 'contractEndDaysAhead', apiField: 'reminders.contractEndDaysAhead', label: 'Contract end reminder (days ahead, 0: none)', type: 'number', value: v.reminders.contractEndDaysAhead, attrs: { min: 0 } })}
      </div>`,
    }),
    toBody: f => ({
      dunning: { retryAfterDays: f.retryAfterDays.split(',').map(s => s.trim()).filter(Boolean).map(integer), afterLastRetry: f.afterLastRetry },
      reminders: { renewalDaysAhead: integer(f.renewalDaysAhead), contractEndDaysAhead: integer(f.contractEndDaysAhead) },
    }),
  });
}

function campaigns() {
  const list = new Resource(() => api('GET', '/campaigns', { query: { limit: 100 } }).then(r => r.body.data));
  const acting = new Action('campaign-action');
  list.load();
  async function act(campaign, verb) {
    const answer = await acting.run(() => api('POST', `/campaigns/${encodeURIComponent(campaign.id)}/${verb}`));
    if (answer) list.reload();
  }
  const writable = can('settings:write');
  return {
    view: () => html`<article><h2>Campaigns</h2>${acting.summary()}
      ${list.view(data => data.length === 0 ? html`<p>No campaigns yet (create them through the API: docs/api/campaigns.md).</p>` : html`<div class="table-wrap">
        <table class="striped" id="campaigns"><thead><tr><th scope="col">Name</th><th scope="col">Status</th><th scope="col">Starts</th>
          <th scope="col">Ends</th><th scope="col">Audience</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
        <tbody>${data.map(c => html`<tr><td>${c.name}</td><td>${statusBadge(c.status)}</td><td>${dateTime(c.startsAt)}</td>
          <td>${dateTime(c.endsAt)}</td><td>${c.audience?.kind ?? c.audience?.type ?? '—'}</td>
          <td>${writable ? html`<div class="actions">
            ${c.status === 'draft' || c.status === 'paused' ? html`<button type="button" class="secondary outline" @click=${() => act(c, 'activate')}>Activate</button>` : nothing}
            ${c.status === 'active' ? html`<button type="button" class="secondary outline" @click=${() => act(c, 'pause')}>Pause</button>` : nothing}
            ${c.status !== 'ended' ? html`<button type="button" class="secondary outline" @click=${() => act(c, 'end')}>End</button>` : nothing}
          </div>` : nothing}</td></tr>`)}</tbody></table></div>`, 'campaigns')}
    </article>`,
  };
}

function billingGroups() {
  const list = new Resource(() => api('GET', '/billing-groups', { query: { limit: 100 } }).then(r => r.body.data));
  const form = new Action('new-billing-group');
  list.load();
  async function create(event) {
    event.preventDefault();
    const f = formValues(event.currentTarget);
    const answer = await form.run(() => api('POST', '/billing-groups', { body: f }));
    if (answer) {
      event.target.reset();
      list.reload();
    }
  }
  return {
    view: () => html`<article><h2>Billing groups</h2>
      ${list.view(data => data.length === 0 ? html`<p>No billing groups yet.</p>` : html`<div class="table-wrap">
        <table class="striped" id="billing-groups"><thead><tr><th scope="col">Name</th><th scope="col">Payer</th>
          <th scope="col">Currency</th><th scope="col">Terms</th><th scope="col">Created</th></tr></thead>
        <tbody>${data.map(g => html`<tr><td><a href=${'#/customers?billingGroupId=' + encodeURIComponent(g.id)}>${g.name}</a></td>
          <td><a href=${'#/customers/' + encodeURIComponent(g.payerId)}>${g.payerId}</a></td><td>${g.currency}</td>
          <td>${g.paymentTerms.replace('_', ' ')}</td><td>${dateTime(g.createdAt)}</td></tr>`)}</tbody></table></div>`, 'billing groups')}
      ${can('customers:write') ? html`<form id="new-billing-group" @submit=${create} @input=${keepDraft('new-billing-group')} novalidate>
        <h3>New billing group</h3>
        <div class="grid">
          ${field({ form, name: 'name', label: 'Name', required: true, attrs: { maxlength: 120 } })}
          ${field({ form, name: 'payerId', label: 'Payer (a business customer id)', required: true })}
          ${field({ form, name: 'currency', label: 'Currency', value: 'USD', options: [['USD', 'USD'], ['EUR', 'EUR'], ['GBP', 'GBP']] })}
          ${field({ form, name: 'paymentTerms', label: 'Terms', value: 'NET_30', options: [['NET_7', 'Net 7'], ['NET_14', 'Net 14'], ['NET_30', 'Net 30']] })}
        </div>
        ${form.summary(['name', 'payerId', 'currency', 'paymentTerms'])}
        ${submit(form, 'Create group')}
      </form>` : nothing}
    </article>`,
  };
}

function webhooks() {
  const list = new Resource(() => api('GET', '/webhook-endpoints', { query: { limit: 100 } }).then(r => r.body.data));
  const form = new Action('new-webhook');
  let secret = null;
  list.load();
  async function create(event) {
    event.preventDefault();
    const f = formValues(event.currentTarget);
    const events = f.events.split(',').map(s => s.trim()).filter(Boolean);
    const answer = await form.run(() => api('POST', '/webhook-endpoints', { body: { url: f.url, events, description: f.description || null } }));
    if (answer) {
      secret = answer.body.secret;
      list.reload();
      update();
    }
  }
  return {
    view: () => html`<article><h2>Webhook endpoints</h2>
      ${secret ? html`<p role="status">The new endpoint's signing secret, shown once: <code id="webhook-secret">${secret}</code></p>` : nothing}
      ${list.view(data => data.length === 0 ? html`<p>No endpoints yet.</p>` : html`<div class="table-wrap">
        <table class="striped" id="webhook-endpoints"><thead><tr><th scope="col">URL</th><th scope="col">Events</th>
          <th scope="col">Status</th><th scope="col">Failing since</th></tr></thead>
        <tbody>${data.map(w => html`<tr><td>${w.url}</td><td>${w.events.join(', ')}</td><td>${statusBadge(w.status)}</td>
          <td>${dateTime(w.failingSince)}</td></tr>`)}</tbody></table></div>`, 'webhook endpoints')}
      ${can('webhooks:write') ? html`<form id="new-webhook" @submit=${create} @input=${keepDraft('new-webhook')} novalidate>
        <h3>New endpoint</h3>
        ${field({ form, name: 'url', label: 'URL (https)', type: 'url', required: true })}
        ${field({ form, name: 'events', label: 'Events (comma-separated, * for all)', value: '*', required: true })}
        ${field({ form, name: 'description', label: 'Description' })}
        ${form.summary(['url', 'events', 'description'])}
        ${submit(form, 'Add endpoint')}
      </form>` : nothing}
    </article>`,
  };
}
