// Merge a duplicate into this customer (its preview first: POST …/merge?dryRun=true), the data
// export (a request for access: the JSON offered as a download) and erasure (a request to be
// forgotten), each only for the roles whose scopes allow it.
import { api } from '../../api.js';
import { can } from '../../auth.js';
import { Action, confirmDialog, dateTime, field, formValues, html, keepDraft, money, nothing, submit, update } from '../../ui.js';

const MOVES = [['payments', 'Payments'], ['paymentMethods', 'Saved cards'], ['orders', 'Orders'], ['subscriptions', 'Subscriptions'],
  ['invoices', 'Invoices'], ['pointLots', 'Point lots'], ['statementLines', 'Statement lines'], ['notes', 'Notes'],
  ['activities', 'Activities'], ['communications', 'Messages'], ['disputes', 'Disputes']];

export function tab(context) {
  const path = '/customers/' + encodeURIComponent(context.customerId);
  const merging = new Action('merge');
  const exporting = new Action('data-export');
  const erasing = new Action('erase');
  let preview = null;
  let merged = null;
  let exported = null;
  let erased = null;

  const fullName = c => `${c.firstName} ${c.lastName}`;

  async function previewMerge(event) {
    event.preventDefault();
    const { duplicateId } = formValues(event.currentTarget);
    preview = null;
    merged = null;
    const answer = await merging.run(() => api('POST', path + '/merge', { query: { dryRun: true }, body: { duplicateId } }));
    if (answer) preview = answer.body;
    update();
  }

  async function merge() {
    const c = context.customer.value;
    const ok = await confirmDialog({
      title: `Merge ${preview.duplicateId} into ${fullName(c)}?`,
      message: `Everything of ${preview.duplicateId} moves to ${fullName(c)} (${c.id}); the duplicate is closed and its email `
        + 'freed. A merge cannot be undone.',
      confirm: 'Merge', danger: true,
    });
    if (!ok) return;
    const answer = await merging.run(() => api('POST', path + '/merge', { body: { duplicateId: preview.duplicateId } }));
    if (answer) {
      merged = answer.body;
      preview = null;
      context.reload();
    }
  }

  function moves(result) {
    const m = result.moves ?? {};
    const r = result.result;
    return html`<dl class="moves">
      ${MOVES.filter(([key]) => m[key]).map(([key, label]) => html`<dt>${label}</dt><dd data-move=${key}>${m[key]}</dd>`)}
      ${m.paymentMethodsDropped?.length ? html`<dt>Cards held by both (dropped)</dt><dd>${m.paymentMethodsDropped.length}</dd>` : nothing}
      ${r ? html`<dt>Lifetime value after</dt><dd>${money(r.stats?.ltv)}</dd>
        <dt>Points after</dt><dd>${r.pointsAvailable ?? '—'}</dd>` : nothing}
    </dl>
    ${MOVES.every(([key]) => !m[key]) ? html`<p>Nothing of the duplicate's history moves.</p>` : nothing}`;
  }

  function mergeSection() {
    if (!can('customers:merge')) return nothing;
    return html`<article aria-labelledby="merge-title">
      <h2 id="merge-title">Merge a duplicate into this customer</h2>
      <form id="merge-form" @submit=${previewMerge} @input=${e => { keepDraft('merge')(e); preview = null; update(); }} novalidate>
        ${field({ form: merging, name: 'duplicateId', label: 'Duplicate customer id', required: true,
          help: 'The duplicate\'s id (cus_…), shown under its name on its profile', attrs: { autocomplete: 'off', placeholder: 'cus_…' } })}
        ${merging.summary(['duplicateId'])}
        ${submit(merging, 'Preview merge', { secondary: true })}
      </form>
      ${preview ? html`<section id="merge-preview" aria-live="polite" aria-labelledby="merge-preview-title">
        <h3 id="merge-preview-title">Preview: what moves from ${preview.duplicateId}</h3>
        ${moves(preview)}
        <button type="button" id="confirm-merge" class="danger" ?disabled=${merging.busy} @click=${merge}>Merge into this customer</button>
      </section>` : nothing}
      ${merged ? html`<section id="merge-result" role="status">
        <p><strong>Merged ${merged.duplicateId} into this customer</strong>${merged.finishedAt ? ` on ${dateTime(merged.finishedAt)}` : ''}.</p>
        ${moves(merged)}
      </section>` : nothing}
    </article>`;
  }

  async function exportData() {
    if (exported) URL.revokeObjectURL(exported.url);
    exported = null;
    const answer = await exporting.run(() => api('GET', path + '/data-export'));
    if (!answer) return;
    const blob = new Blob([JSON.stringify(answer.body, null, 2)], { type: 'application/json' });
    exported = { url: URL.createObjectURL(blob), name: `${context.customerId}-data-export.json`, size: blob.size };
    update();
    await Promise.resolve();
    document.getElementById('data-export-download')?.click();
  }

  function exportSection() {
    if (!can('privacy:export')) return nothing;
    return html`<article aria-labelledby="export-title">
      <h2 id="export-title">Data export</h2>
      <p>Everything held about the customer as one JSON document, for a request for access.</p>
      ${exporting.summary()}
      <button type="button" id="data-export" class="secondary" ?disabled=${exporting.busy} aria-busy=${exporting.busy ? 'true' : 'false'}
        @click=${exportData}>Export the customer's data</button>
      ${exported ? html`<p role="status">Ready: <a id="data-export-download" href=${exported.url} download=${exported.name}>Download
        ${exported.name}</a> (${Math.ceil(exported.size / 1024)} KB).</p>` : nothing}
    </article>`;
  }

  async function erase() {
    const c = context.customer.value;
    const ok = await confirmDialog({
      title: `Erase the personal data of ${fullName(c)}?`,
      message: `${fullName(c)} (${c.email}, ${c.id}): names, email, phone, addresses, card holder names, notes and the messages' `
        + 'addresses are replaced by anonymous values. Payments, amounts and points stay for the books. This cannot be undone.',
      confirm: `Erase ${fullName(c)}`, danger: true,
    });
    if (!ok) return;
    const answer = await erasing.run(() => api('POST', path + '/erase'));
    if (answer) {
      erased = answer.body;
      context.reload();
    }
  }

  function eraseSection() {
    if (!can('privacy:erase')) return nothing;
    return html`<article aria-labelledby="erase-title">
      <h2 id="erase-title">Erase personal data</h2>
      <p>For a request to be forgotten: the personal data goes, the financial ledger stays.</p>
      ${erasing.summary()}
      ${erased ? html`<p role="status" id="erase-result">Erased on ${dateTime(erased.erasedAt)}: ${erased.itemsScrubbed} items scrubbed.</p>` : nothing}
      <button type="button" id="erase" class="danger" ?disabled=${erasing.busy} @click=${erase}>Erase personal data</button>
    </article>`;
  }

  return {
    view() {
      const sections = [mergeSection(), exportSection(), eraseSection()].filter(s => s !== nothing);
      if (sections.length === 0) return html`<p>Your role may not merge, export or erase customers.</p>`;
      return html`${sections}`;
    },
  };
}
