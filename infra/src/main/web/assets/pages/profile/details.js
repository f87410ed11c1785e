// Contact, company and addresses (seed 002: "Editing customer information", "Customer addresses").
// Saved as a JSON merge patch of what changed, under If-Match with the ETag the form was opened at;
// a 412 (someone else saved first) reloads their values and keeps what the user typed.
import { api } from '../../api.js';
import { can } from '../../auth.js';
import { Action, draft, field, formValues, html, keepDraft, nothing, saveDraft, submit, update } from '../../ui.js';

const FORM = 'customer-details';
const ADDRESS = ['kind', 'line1', 'line2', 'city', 'region', 'postalCode', 'country', 'isDefault'];
const LABELS = {
  type: 'Type', firstName: 'First name', lastName: 'Last name', email: 'Email', phone: 'Phone',
  companyName: 'Company name', companyRegistrationNumber: 'Registration number', companyVatNumber: 'VAT number',
  paymentTerms: 'Payment terms', addressCount: 'Addresses',
};
/** The API's names of the fields the form shows beside an input. */
const FIELDS = ['type', 'firstName', 'lastName', 'email', 'phone', 'company.name', 'company.registrationNumber',
  'company.vatNumber', 'paymentTerms'];
const TERMS = [['', 'None'], ['NET_7', 'Net 7'], ['NET_14', 'Net 14'], ['NET_30', 'Net 30']];

/** The customer as the form's flat values (strings and booleans), addresses as a0-line1, a1-city… */
function valuesOf(c) {
  const values = {
    type: c.type, firstName: c.firstName, lastName: c.lastName, email: c.email, phone: c.phone,
    companyName: c.company?.name ?? '', companyRegistrationNumber: c.company?.registrationNumber ?? '',
    companyVatNumber: c.company?.vatNumber ?? '', paymentTerms: c.paymentTerms ?? '',
    addressCount: String(c.addresses?.length ?? 0),
  };
  (c.addresses ?? []).forEach((a, i) => {
    for (const key of ADDRESS) values[`a${i}-${key}`] = key === 'isDefault' ? Boolean(a.isDefault) : a[key] ?? '';
  });
  return values;
}

function addressesOf(values) {
  return Array.from({ length: Number(values.addressCount) }, (_, i) => {
    const a = Object.fromEntries(ADDRESS.map(key => [key, values[`a${i}-${key}`]]));
    return {
      kind: a.kind, line1: a.line1, line2: a.line2 || null, city: a.city, region: a.region || null,
      postalCode: a.postalCode || null, country: String(a.country ?? '').toUpperCase(), isDefault: Boolean(a.isDefault),
    };
  });
}

/** The merge patch from {@code before} to {@code after}: only what changed (an address changed sends them all). */
function patchOf(before, after) {
  const patch = {};
  const changed = key => String(after[key] ?? '') !== String(before[key] ?? '');
  for (const key of ['type', 'firstName', 'lastName', 'email', 'phone']) if (changed(key)) patch[key] = after[key];
  const business = after.type === 'business';
  if (changed('paymentTerms') || (changed('type') && !business)) patch.paymentTerms = business ? after.paymentTerms || null : null;
  if (['type', 'companyName', 'companyRegistrationNumber', 'companyVatNumber'].some(changed)) {
    patch.company = business
      ? { name: after.companyName, registrationNumber: after.companyRegistrationNumber || null, vatNumber: after.companyVatNumber || null }
      : null;
  }
  if (Object.keys(after).some(key => /^a\d+-/.test(key) && changed(key)) || changed('addressCount')) {
    patch.addresses = addressesOf(after);
  }
  return patch;
}

export function tab(context) {
  const saving = new Action(FORM);
  let opened = null;
  let conflict = null;
  let saved = false;

  function openAt(customer) {
    opened = { etag: customer.etag, values: valuesOf(customer) };
  }

  /** Shows {@code values} in the form now (the DOM and the draft), for a conflict or a row added or removed. */
  function replaceValues(form, values, keep = true) {
    if (keep) saveDraft(FORM, values);
    for (const element of form.elements) {
      if (!element.name || !(element.name in values)) continue;
      if (element.type === 'checkbox') element.checked = Boolean(values[element.name]);
      else element.value = values[element.name];
    }
    update();
  }

  async function save(event) {
    event.preventDefault();
    const form = event.currentTarget;
    const typed = formValues(form);
    const patch = patchOf(opened.values, typed);
    saved = false;
    if (Object.keys(patch).length === 0) {
      saved = 'Nothing changed.';
      update();
      return;
    }
    const answer = await saving.run(() => api('PATCH', '/customers/' + encodeURIComponent(context.customerId),
      { body: patch, ifMatch: opened.etag }));
    if (answer) {
      conflict = null;
      openAt({ ...answer.body, etag: answer.etag });
      replaceValues(form, opened.values, false);
      saved = 'Saved.';
      context.reload();
    } else if (saving.problem?.status === 412) {
      await theirChanges(form, typed);
    }
  }

  /** Someone else saved since the form was opened: their values, with what this user changed over them. */
  async function theirChanges(form, typed) {
    await context.customer.reload();
    const fresh = context.customer.value;
    const before = opened.values;
    const theirs = valuesOf(fresh);
    const merged = { ...theirs };
    const userChangedAddresses = Object.keys(typed).some(k => /^a\d+-|^addressCount$/.test(k) && String(typed[k]) !== String(before[k] ?? ''));
    for (const [key, value] of Object.entries(typed)) {
      const isAddress = /^a\d+-|^addressCount$/.test(key);
      if (isAddress ? userChangedAddresses : String(value) !== String(before[key] ?? '')) merged[key] = value;
    }
    if (userChangedAddresses) {
      for (const key of Object.keys(merged)) if (/^a\d+-/.test(key) && !(key in typed)) delete merged[key];
    }
    const keys = new Set([...Object.keys(before), ...Object.keys(theirs)]);
    const fields = [...keys].filter(k => String(before[k] ?? '') !== String(theirs[k] ?? ''))
      .map(k => LABELS[k] ?? 'Addresses');
    conflict = { fields: [...new Set(fields)] };
    saving.problem = null;
    openAt(fresh);
    replaceValues(form, merged);
    document.getElementById('details-conflict')?.focus();
  }

  function changeRows(event, change) {
    const form = event.currentTarget.form;
    const values = formValues(form);
    change(values, Number(values.addressCount));
    replaceValues(form, values);
  }

  function addAddress(event) {
    changeRows(event, (values, count) => {
      for (const key of ADDRESS) values[`a${count}-${key}`] = key === 'isDefault' ? false : '';
      values[`a${count}-kind`] = count === 0 ? 'billing' : 'shipping';
      values.addressCount = String(count + 1);
    });
  }

  function removeAddress(event, index) {
    changeRows(event, (values, count) => {
      for (let i = index; i < count - 1; i++) for (const key of ADDRESS) values[`a${i}-${key}`] = values[`a${i + 1}-${key}`];
      for (const key of ADDRESS) delete values[`a${count - 1}-${key}`];
      values.addressCount = String(count - 1);
    });
  }

  function addressRow(values, i) {
    const f = (key, label, extra = {}) => field({ form: saving, name: `a${i}-${key}`, apiField: `addresses[${i}].${key}`, label,
      value: values[`a${i}-${key}`], ...extra });
    return html`<fieldset class="address" aria-labelledby=${`address-${i}-legend`}>
      <legend id=${`address-${i}-legend`}>Address ${i + 1}</legend>
      <div class="grid">
        ${f('kind', 'Kind', { options: [['billing', 'Billing'], ['shipping', 'Shipping']] })}
        ${f('country', 'Country (2 letters)', { required: true, attrs: { maxlength: 2, autocomplete: 'off' } })}
      </div>
      <div class="grid">
        ${f('line1', 'Line 1', { required: true, attrs: { maxlength: 200 } })}
        ${f('line2', 'Line 2', { attrs: { maxlength: 200 } })}
      </div>
      <div class="grid">
        ${f('city', 'City', { required: true, attrs: { maxlength: 100 } })}
        ${f('region', 'Region', { attrs: { maxlength: 100 } })}
        ${f('postalCode', 'Postal code', { attrs: { maxlength: 20 } })}
      </div>
      <div class="actions">
        ${f('isDefault', 'Default address of its kind', { type: 'checkbox' })}
        <button type="button" class="secondary outline" @click=${e => removeAddress(e, i)}>Remove address ${i + 1}</button>
      </div>
    </fieldset>`;
  }

  function editForm() {
    const base = opened.values;
    const shown = { ...base, ...draft(FORM) };
    const business = shown.type === 'business';
    const count = Number(shown.addressCount);
    const f = (name, label, extra = {}) => field({ form: saving, name, label, value: base[name], ...extra });
    return html`<form id="customer-details-form" @submit=${save} @input=${e => { keepDraft(FORM)(e); saved = false; update(); }}
        novalidate aria-labelledby="details-title">
      <h2 id="details-title">Contact, company and addresses</h2>
      ${conflict ? html`<article id="details-conflict" class="failure" role="alert" tabindex="-1">
        <p><strong>Changed by someone else since you opened it.</strong>
          ${conflict.fields.length ? `They changed: ${conflict.fields.join(', ')}.` : ''}
          Their values are loaded below and what you typed is kept: check it and save again.</p>
      </article>` : nothing}
      <div class="grid">
        ${f('type', 'Type', { options: [['individual', 'Individual'], ['business', 'Business']] })}
        ${f('firstName', 'First name', { required: true, attrs: { maxlength: 100, autocomplete: 'off' } })}
        ${f('lastName', 'Last name', { required: true, attrs: { maxlength: 100, autocomplete: 'off' } })}
      </div>
      <div class="grid">
        ${f('email', 'Email', { type: 'email', required: true, attrs: { maxlength: 254, autocomplete: 'off' } })}
        ${f('phone', 'Phone', { type: 'tel', required: true, help: 'E.164 (+12025550123), or national in the billing address\'s country',
          attrs: { autocomplete: 'off' } })}
      </div>
      ${business ? html`<fieldset aria-labelledby="company-legend">
        <legend id="company-legend">Company</legend>
        <div class="grid">
          ${f('companyName', 'Company name', { apiField: 'company.name', required: true, attrs: { maxlength: 200 } })}
          ${f('companyRegistrationNumber', 'Registration number', { apiField: 'company.registrationNumber', attrs: { maxlength: 64 } })}
          ${f('companyVatNumber', 'VAT number', { apiField: 'company.vatNumber', attrs: { maxlength: 64 } })}
          ${f('paymentTerms', 'Payment terms', { options: TERMS })}
        </div>
      </fieldset>` : nothing}
      <h3>Addresses</h3>
      <input type="hidden" name="addressCount" .value=${String(count)}>
      ${count === 0 ? html`<p>No address on file.</p>` : nothing}
      ${Array.from({ length: count }, (_, i) => addressRow(base, i))}
      <p><button type="button" class="secondary outline" @click=${addAddress}>Add address</button></p>
      ${saving.summary(FIELDS.concat(Array.from({ length: count }, (_, i) => ADDRESS.map(key => `addresses[${i}].${key}`)).flat()))}
      <div class="actions">
        ${submit(saving, 'Save changes')}
        ${saved ? html`<p role="status" id="details-saved">${saved}</p>` : nothing}
      </div>
    </form>`;
  }

  function readOnly(c) {
    return html`<h2>Contact, company and addresses</h2>
      <dl>
        <dt>Name</dt><dd>${c.firstName} ${c.lastName}</dd>
        <dt>Type</dt><dd>${c.type}</dd>
        <dt>Email</dt><dd>${c.email}</dd>
        <dt>Phone</dt><dd>${c.phone}</dd>
        ${c.company ? html`<dt>Company</dt><dd>${c.company.name}${c.company.registrationNumber ? `, reg. ${c.company.registrationNumber}` : ''}${
          c.company.vatNumber ? `, VAT ${c.company.vatNumber}` : ''}</dd>` : nothing}
        ${c.paymentTerms ? html`<dt>Payment terms</dt><dd>${c.paymentTerms.replace('NET_', 'Net ')}</dd>` : nothing}
      </dl>
      <h3>Addresses</h3>
      ${c.addresses.length === 0 ? html`<p>No address on file.</p>` : html`<ul>${c.addresses.map(a => html`<li>
        ${a.kind}${a.isDefault ? ' (default)' : ''}: ${[a.line1, a.line2, a.postalCode, a.city, a.region, a.country].filter(Boolean).join(', ')}</li>`)}</ul>`}`;
  }

  return {
    view() {
      const c = context.customer.value;
      if (!can('customers:write')) return readOnly(c);
      if (!opened) openAt(c);
      return editForm();
    },
  };
}
