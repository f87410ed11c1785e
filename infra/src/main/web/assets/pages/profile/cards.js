// Saved cards and charge now (seeds 001 "Payment methods", 004 "Charge Now"): the cards, add one,
// make one the default, remove one; charge a saved card with an Idempotency-Key; a decline offers
// another card. Card numbers, expiry dates and CVCs go to the API only: never into a draft.
import { api } from '../../api.js';
import { can } from '../../auth.js';
import { Action, Resource, confirmDialog, field, formValues, html, keepDraft, money, nothing, submit, toMinor, update } from '../../ui.js';
import { DECLINES, SubmissionKey, cardLabel, localProblem } from './shared.js';

const CURRENCIES = ['USD', 'EUR', 'GBP', 'CAD', 'AUD', 'JPY'];
const CARD_FIELDS = ['number', 'expMonth', 'expYear', 'cvc'];

export function tab(context) {
  const path = '/customers/' + encodeURIComponent(context.customerId);
  const cards = new Resource(() => api('GET', path + '/payment-methods').then(r => r.body.data));
  const adding = new Action('add-card');
  const cardAction = new Action('card-action');
  const charging = new Action('charge');
  const chargeKey = new SubmissionKey();
  let showAdd = false;
  let addedNote = null;
  let charged = null;
  cards.load();

  async function addCard(event) {
    event.preventDefault();
    const form = event.currentTarget;
    const v = formValues(form);
    const card = { number: v.number, expMonth: Number(v.expMonth) || v.expMonth, expYear: Number(v.expYear) || v.expYear, cvc: v.cvc,
      holderName: v.holderName || null };
    addedNote = null;
    const answer = await adding.run(() => api('POST', path + '/payment-methods', { body: { card } }));
    for (const name of CARD_FIELDS) form.elements[name].value = '';
    if (!answer) return;
    addedNote = answer.status === 201 ? `Saved ${cardLabel(answer.body)}.` : `${cardLabel(answer.body)} was saved already.`;
    showAdd = false;
    cards.reload();
    context.reload();
  }

  async function makeDefault(card) {
    if (await cardAction.run(() => api('POST', `${path}/payment-methods/${encodeURIComponent(card.id)}/default`))) {
      cards.reload();
      context.reload();
    }
  }

  async function remove(card) {
    const ok = await confirmDialog({
      title: `Remove ${cardLabel(card)}?`,
      message: 'The card is removed from the customer. Payments made with it stay in the history.',
      confirm: 'Remove card', danger: true,
    });
    if (ok && await cardAction.run(() => api('DELETE', `${path}/payment-methods/${encodeURIComponent(card.id)}`))) {
      cards.reload();
      context.reload();
    }
  }

  async function charge(event) {
    event.preventDefault();
    const form = event.currentTarget;
    const v = formValues(form);
    charged = null;
    const amount = toMinor(v.amount, v.currency);
    if (!(amount > 0)) {
      charging.problem = localProblem('amount.amount', 'Enter an amount above zero, such as 12.50');
      update();
      return;
    }
    const body = { amount: { amount, currency: v.currency }, description: v.description || null, paymentMethodId: v.paymentMethodId || null };
    const idempotencyKey = chargeKey.for(body);
    const answer = await charging.run(() => api('POST', path + '/charges', { body, idempotencyKey }));
    chargeKey.settle(charging);
    if (answer) {
      charged = answer.body;
      form.reset();
      refreshFigures();
    }
    if (charging.problem && declined()) document.getElementById('charge-declined')?.focus();
  }

  /** The LTV and points move a moment after a charge, through the queue: the figures are read again meanwhile. */
  function refreshFigures() {
    context.reload();
    for (const delay of [1500, 4000, 8000]) setTimeout(() => context.reload(), delay);
  }

  function declined() {
    const problem = charging.problem;
    return problem && (problem.status === 402 || DECLINES.has(problem.code));
  }

  function tryAnotherCard() {
    charging.problem = null;
    update();
    document.getElementById('charge-paymentMethodId')?.focus();
  }

  function cardsTable(list) {
    const writable = can('cards:write');
    if (list.length === 0) return html`<p id="no-cards">No saved card.</p>`;
    const now = new Date();
    return html`<div class="table-wrap"><table class="striped" id="cards-table">
      <caption class="visually-hidden">Saved cards</caption>
      <thead><tr><th scope="col">Card</th><th scope="col">Expires</th><th scope="col">Holder</th><th scope="col">Default</th>
        ${writable ? html`<th scope="col"><span class="visually-hidden">Actions</span></th>` : nothing}</tr></thead>
      <tbody>${list.map(card => {
        const expired = card.expYear < now.getFullYear() || (card.expYear === now.getFullYear() && card.expMonth < now.getMonth() + 1);
        return html`<tr data-card-id=${card.id}>
          <td>${cardLabel(card)}</td>
          <td>${String(card.expMonth).padStart(2, '0')}/${card.expYear} ${expired ? html`<span class="badge badge-failed">expired</span>` : nothing}</td>
          <td>${card.holderName ?? '—'}</td>
          <td>${card.isDefault ? html`<span class="badge badge-active">default</span>` : '—'}</td>
          ${writable ? html`<td><div class="actions">
            ${card.isDefault ? nothing : html`<button type="button" class="secondary outline" ?disabled=${cardAction.busy}
              @click=${() => makeDefault(card)}>Make default<span class="visually-hidden"> ${cardLabel(card)}</span></button>`}
            <button type="button" class="secondary outline" ?disabled=${cardAction.busy}
              @click=${() => remove(card)}>Remove<span class="visually-hidden"> ${cardLabel(card)}</span></button>
          </div></td>` : nothing}
        </tr>`;
      })}</tbody>
    </table></div>`;
  }

  function addForm() {
    if (!showAdd) return nothing;
    const year = new Date().getFullYear();
    return html`<form id="add-card-form" @submit=${addCard} novalidate aria-labelledby="add-card-title" autocomplete="off">
      <h3 id="add-card-title">Add a card</h3>
      <p><small>The card goes to the payment gateway; only its brand, last four digits and expiry are kept.</small></p>
      <div class="grid">
        ${field({ form: adding, name: 'number', apiField: 'card.number', label: 'Card number', required: true,
          attrs: { inputmode: 'numeric', autocomplete: 'cc-number', maxlength: 23 } })}
        ${field({ form: adding, name: 'holderName', apiField: 'card.holderName', label: 'Name on card', attrs: { autocomplete: 'cc-name', maxlength: 100 } })}
      </div>
      <div class="grid">
        ${field({ form: adding, name: 'expMonth', apiField: 'card.expMonth', label: 'Expiry month', required: true,
          options: [['', 'Month'], ...Array.from({ length: 12 }, (_, i) => [String(i + 1), String(i + 1).padStart(2, '0')])] })}
        ${field({ form: adding, name: 'expYear', apiField: 'card.expYear', label: 'Expiry year', required: true,
          options: [['', 'Year'], ...Array.from({ length: 16 }, (_, i) => [String(year + i), String(year + i)])] })}
        ${field({ form: adding, name: 'cvc', apiField: 'card.cvc', label: 'CVC', required: true, type: 'password',
          attrs: { inputmode: 'numeric', autocomplete: 'cc-csc', maxlength: 4 } })}
      </div>
      ${adding.summary(['card.number', 'card.holderName', 'card.expMonth', 'card.expYear', 'card.cvc'])}
      <div class="actions">
        ${submit(adding, 'Save card')}
        <button type="button" class="secondary outline" @click=${() => { showAdd = false; update(); }}>Cancel</button>
      </div>
    </form>`;
  }

  function chargeForm(list) {
    const c = context.customer.value;
    const usable = list.filter(card => card.id);
    if (usable.length === 0) return html`<p>Save a card to charge the customer.</p>`;
    const preferred = usable.find(card => card.isDefault) ?? usable[0];
    const currencies = c.currency ? [c.currency] : CURRENCIES;
    return html`<form id="charge-form" @submit=${charge} @input=${keepDraft('charge')} novalidate aria-labelledby="charge-title">
      <h3 id="charge-title">Charge now</h3>
      <div class="grid">
        ${field({ form: charging, name: 'amount', apiField: 'amount.amount', label: 'Amount', required: true,
          attrs: { inputmode: 'decimal', placeholder: '0.00', autocomplete: 'off' } })}
        ${field({ form: charging, name: 'currency', apiField: 'amount.currency', label: 'Currency', value: currencies[0],
          options: currencies.map(code => [code, code]), help: c.currency ? 'Fixed by the customer\'s first charge' : undefined })}
        ${field({ form: charging, name: 'paymentMethodId', label: 'Card to charge', value: preferred.id,
          options: usable.map(card => [card.id, `${cardLabel(card)}${card.isDefault ? ' (default)' : ''}`]) })}
      </div>
      ${field({ form: charging, name: 'description', label: 'Description', attrs: { maxlength: 500 } })}
      ${declined() ? html`<article id="charge-declined" class="failure" role="alert" tabindex="-1">
          <p><strong>Declined:</strong> ${charging.problem.message} <small>(${charging.problem.code ?? charging.problem.status})</small>.
            The failed attempt is in the payment history.</p>
          <button type="button" id="try-another-card" class="secondary" @click=${tryAnotherCard}>Try another card</button>
        </article>` : charging.summary(['amount.amount', 'amount.currency', 'paymentMethodId', 'description'])}
      ${submit(charging, 'Confirm & charge')}
    </form>`;
  }

  return {
    view() {
      return html`<div class="page-head">
          <h2>Saved cards</h2>
          ${can('cards:write') && !showAdd ? html`<button type="button" id="add-card" @click=${() => { showAdd = true; addedNote = null; update(); }}>
            Add a card</button>` : nothing}
        </div>
        ${addedNote ? html`<p role="status" id="card-saved">${addedNote}</p>` : nothing}
        ${addForm()}
        ${cardAction.summary()}
        ${cards.view(cardsTable, 'cards')}
        ${can('payments:charge') ? html`<article>
          ${cards.value ? chargeForm(cards.value) : nothing}
          ${charged ? html`<div id="charge-result" role="status">
            <p><strong>Charged ${money(charged.amount)}</strong> to ${cardLabel(charged.paymentMethod)}: payment
              <code>${charged.id}</code> ${charged.status}. The lifetime value and points update in a moment.</p>
          </div>` : nothing}
        </article>` : nothing}`;
    },
  };
}
