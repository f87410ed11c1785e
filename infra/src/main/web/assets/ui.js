// What every page shares: rendering (lit-html), loading and failure states with a retry, forms
// whose problems show beside their fields and whose drafts survive a new sign-in, money and dates.
import { html, nothing } from './vendor/lit-html/lit-html.js';
import { Problem, SignedOut, Unavailable } from './api.js';

export { html, nothing };

let scheduled = false;
let renderApp = () => {};

export function onUpdate(fn) {
  renderApp = fn;
}

/** Asks for a render of the whole app on the next microtask (lit-html only touches what changed). */
export function update() {
  if (scheduled) return;
  scheduled = true;
  queueMicrotask(() => {
    scheduled = false;
    renderApp();
  });
}

/** Something read from the API: loading, its value, or its failure with a retry. */
export class Resource {
  constructor(loader) {
    this.loader = loader;
    this.state = 'idle';
    this.value = undefined;
    this.error = null;
    this.seq = 0;
  }

  load(...args) {
    const seq = ++this.seq;
    this.state = 'loading';
    this.args = args;
    update();
    return this.loader(...args).then(
      value => {
        if (seq !== this.seq) return;
        this.value = value;
        this.error = null;
        this.state = 'ready';
        update();
      },
      error => {
        if (seq !== this.seq) return;
        this.error = error;
        this.state = 'failed';
        update();
      });
  }

  reload() {
    return this.load(...(this.args ?? []));
  }

  /** The value through {@code ok}, a busy note while the first load runs, or the failure and a retry. */
  view(ok, what = '') {
    if (this.state === 'failed') return failure(this.error, () => this.reload());
    if (this.value === undefined) return html`<p aria-busy="true">Loading${what ? ' ' + what : ''}…</p>`;
    return ok(this.value);
  }
}

/** A failure shown in place: an outage offers a retry; a refusal says why. Never a blank page. */
export function failure(error, retry) {
  if (error instanceof SignedOut) return html`<p role="status">${error.message}</p>`;
  const outage = !(error instanceof Problem);
  return html`<article class="failure" role="alert">
    <p>${outage ? error.message || 'Something went wrong.' : error.message}</p>
    ${outage && retry ? html`<button type="button" class="secondary" @click=${retry}>Retry</button>` : nothing}
  </article>`;
}

/**
 * A form's life: busy while its request runs, the problem the API answered (each field error shown
 * beside its field, the rest above the buttons), or an outage with a retry of the same request.
 */
export class Action {
  constructor(id) {
    this.id = id;
    this.busy = false;
    this.problem = null;
    this.error = null;
    this.done = null;
  }

  async run(request) {
    this.last = request;
    this.busy = true;
    this.problem = null;
    this.error = null;
    this.done = null;
    update();
    try {
      const result = await request();
      clearDraft(this.id);
      return result;
    } catch (e) {
      if (e instanceof Problem) this.problem = e;
      else if (!(e instanceof SignedOut)) this.error = e;
      return undefined;
    } finally {
      this.busy = false;
      update();
    }
  }

  fieldError(name) {
    return this.problem?.forField(name) ?? null;
  }

  /** The problem's message when no field shows it, or the outage with a retry. */
  summary(fields = []) {
    if (this.error) return failure(this.error, () => this.run(this.last));
    if (!this.problem) return nothing;
    const shown = this.problem.errors.length > 0 && this.problem.errors.every(e => fields.includes(e.field));
    if (shown) return html`<p class="problem" role="alert">Check the fields marked below.</p>`;
    const extra = this.problem.errors.filter(e => !fields.includes(e.field));
    return html`<p class="problem" role="alert">${this.problem.message}${extra.map(e => html` ${e.field}: ${e.message}.`)}</p>`;
  }
}

// ---- Drafts: a form's values kept for the tab's life, so a new sign-in loses nothing --------------

const DRAFTS = 'clientele.draft.';
const NEVER_KEPT = new Set(['number', 'cvc', 'code']);

export function draft(formId) {
  try {
    return JSON.parse(sessionStorage.getItem(DRAFTS + formId)) ?? {};
  } catch {
    return {};
  }
}

/** An @input handler for a form: keeps what was typed (never a card number, CVC or code). */
export function keepDraft(formId) {
  return event => {
    const form = event.currentTarget;
    const values = {};
    for (const element of form.elements) {
      if (!element.name || element.type === 'password') continue;
      values[element.name] = element.type === 'checkbox' ? element.checked : element.value;
    }
    saveDraft(formId, values);
  };
}

/** Keeps {@code values} ({name: value}) as the form's draft, e.g. after a conflict merged them (never a card number, CVC or code). */
export function saveDraft(formId, values) {
  const kept = Object.fromEntries(Object.entries(values).filter(([name]) => !NEVER_KEPT.has(name)));
  sessionStorage.setItem(DRAFTS + formId, JSON.stringify(kept));
}

export function clearDraft(formId) {
  if (formId) sessionStorage.removeItem(DRAFTS + formId);
}

export function clearAllDrafts() {
  for (const key of Object.keys(sessionStorage)) if (key.startsWith(DRAFTS)) sessionStorage.removeItem(key);
}

/** A form's values: FormData as an object of trimmed strings (checkboxes as booleans). */
export function formValues(form) {
  const values = {};
  for (const element of form.elements) {
    if (!element.name) continue;
    values[element.name] = element.type === 'checkbox' ? element.checked : element.value.trim();
  }
  return values;
}

/**
 * A labelled input with its problem beside it. {form: Action, name, label, value, type, options
 * ([value, text] pairs for a select), required, help, apiField (the API's name, when it differs)}.
 */
export function field({ form, name, label, value = '', type = 'text', options, required = false, help, apiField, attrs = {} }) {
  const id = `${form.id}-${name}`;
  const error = form.fieldError(apiField ?? name);
  const saved = draft(form.id)[name];
  const current = saved !== undefined && !NEVER_KEPT.has(name) ? saved : value;
  const describedBy = [error ? id + '-error' : '', help ? id + '-help' : ''].filter(Boolean).join(' ') || nothing;
  const invalid = error ? 'true' : nothing;
  let control;
  if (options) {
    control = html`<select id=${id} name=${name} ?required=${required} aria-invalid=${invalid} aria-describedby=${describedBy}>
      ${options.map(([v, text]) => html`<option value=${v} ?selected=${String(current ?? '') === String(v)}>${text}</option>`)}
    </select>`;
  } else if (type === 'textarea') {
    control = html`<textarea id=${id} name=${name} ?required=${required} aria-invalid=${invalid} aria-describedby=${describedBy}
      .value=${current ?? ''} maxlength=${attrs.maxlength ?? nothing}></textarea>`;
  } else if (type === 'checkbox') {
    return html`<label for=${id}><input type="checkbox" id=${id} name=${name} .checked=${Boolean(current)}
      aria-invalid=${invalid} aria-describedby=${describedBy}> ${label}</label>
      ${error ? html`<small id=${id + '-error'} class="field-error">${error}</small>` : nothing}`;
  } else {
    control = html`<input id=${id} name=${name} type=${type} .value=${current ?? ''} ?required=${required}
      aria-invalid=${invalid} aria-describedby=${describedBy} autocomplete=${attrs.autocomplete ?? nothing}
      inputmode=${attrs.inputmode ?? nothing} min=${attrs.min ?? nothing} max=${attrs.max ?? nothing}
      step=${attrs.step ?? nothing} placeholder=${attrs.placeholder ?? nothing} maxlength=${attrs.maxlength ?? nothing}>`;
  }
  return html`<label for=${id}>${label}${required ? html` <span aria-hidden="true">*</span>` : nothing}
    ${control}
    ${error ? html`<small id=${id + '-error'} class="field-error">${error}</small>` : nothing}
    ${help ? html`<small id=${id + '-help'}>${help}</small>` : nothing}
  </label>`;
}

/** A submit button that shows its form is busy. */
export function submit(form, label, { secondary = false, danger = false } = {}) {
  return html`<button type="submit" class=${danger ? 'danger' : secondary ? 'secondary' : ''}
    ?disabled=${form.busy} aria-busy=${form.busy ? 'true' : 'false'}>${label}</button>`;
}

// ---- A confirmation: the browser's modal <dialog> (focus kept inside, Escape cancels) -----------

export function confirmDialog({ title, message, confirm = 'Confirm', danger = false }) {
  return new Promise(resolve => {
    const dialog = document.createElement('dialog');
    dialog.setAttribute('aria-labelledby', 'confirm-title');
    const returnFocus = document.activeElement;
    dialog.innerHTML = `<article><header><h2 id="confirm-title"></h2></header><p></p>
      <footer><button type="button" class="secondary" value="cancel">Cancel</button>
      <button type="button" value="ok"></button></footer></article>`;
    dialog.querySelector('h2').textContent = title;
    dialog.querySelector('p').textContent = message;
    const ok = dialog.querySelector('button[value=ok]');
    ok.textContent = confirm;
    if (danger) ok.classList.add('danger');
    const close = answer => {
      dialog.close();
      dialog.remove();
      returnFocus?.focus?.();
      resolve(answer);
    };
    ok.addEventListener('click', () => close(true));
    dialog.querySelector('button[value=cancel]').addEventListener('click', () => close(false));
    dialog.addEventListener('cancel', event => {
      event.preventDefault();
      close(false);
    });
    document.body.append(dialog);
    dialog.showModal();
    dialog.querySelector('button[value=cancel]').focus();
  });
}

// ---- Money and dates ------------------------------------------------------------------------------

function digitsOf(currency) {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits;
  } catch {
    return 2;
  }
}

/** {amount (minor units), currency} as the user's locale writes it; "—" without a currency. */
export function money(value) {
  if (!value || value.currency == null || value.amount == null) return '—';
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency: value.currency })
      .format(value.amount / 10 ** digitsOf(value.currency));
  } catch {
    return `${value.amount} ${value.currency}`;
  }
}

/** A list of amounts in several currencies (the API's averages), one per currency. */
export function moneyList(values) {
  if (!values || values.length === 0) return '—';
  return values.map(money).join(' · ');
}

/** "12.50" in {currency} → 1250 minor units; NaN when it is not an amount. */
export function toMinor(text, currency) {
  const normalised = String(text ?? '').trim().replace(',', '.');
  if (!/^\d+(\.\d+)?$/.test(normalised)) return NaN;
  const digits = digitsOf(currency || 'USD');
  const [whole, fraction = ''] = normalised.split('.');
  if (fraction.length > digits) return NaN;
  return Number(whole) * 10 ** digits + Number((fraction + '0'.repeat(digits)).slice(0, digits) || 0);
}

export function dateTime(iso) {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function date(iso) {
  if (!iso) return '—';
  const value = new Date(iso);
  return Number.isNaN(value.getTime()) ? iso : value.toLocaleDateString(undefined, { dateStyle: 'medium' });
}

export function statusBadge(status) {
  return html`<span class="badge badge-${String(status).replace(/[^a-z_]/gi, '')}">${String(status).replace(/_/g, ' ')}</span>`;
}

/** Previous / next over a cursor-paginated list: {cursors: stack, next, go(cursor)}. */
export class Pager {
  constructor(onPage) {
    this.stack = [];
    this.cursor = null;
    this.onPage = onPage;
  }

  reset() {
    this.stack = [];
    this.cursor = null;
  }

  view(nextCursor, label = 'Pages') {
    return html`<nav class="pager" aria-label=${label}>
      <button type="button" class="secondary outline" ?disabled=${this.stack.length === 0}
        @click=${() => { this.cursor = this.stack.pop() ?? null; this.onPage(this.cursor); }}>Previous</button>
      <span>Page ${this.stack.length + 1}</span>
      <button type="button" class="secondary outline" ?disabled=${!nextCursor}
        @click=${() => { this.stack.push(this.cursor); this.cursor = nextCursor; this.onPage(this.cursor); }}>Next</button>
    </nav>`;
  }
}
