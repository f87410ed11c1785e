// Smart lists (seed 004: "select a contact by browsing through the smart lists"): the customers
// page's filters and sort saved under a name for the whole team. Saved from the customers page.
import { api } from '../api.js';
import { can, session } from '../auth.js';
import { Action, Resource, confirmDialog, dateTime, field, formValues, html, nothing, submit, update } from '../ui.js';

export function page() {
  const lists = new Resource(() => api('GET', '/smart-lists').then(r => r.body.data));
  const removing = new Action('delete-list');
  let renaming = null;
  let rename = null;
  lists.load();

  const describe = query => Object.entries(query ?? {}).map(([k, v]) => `${k}: ${v}`).join(' · ') || 'All customers';

  async function remove(list) {
    if (!(await confirmDialog({ title: `Delete "${list.name}"?`, message: 'The list is deleted for the whole team. Its customers stay.', confirm: 'Delete', danger: true }))) return;
    const answer = await removing.run(() => api('DELETE', '/smart-lists/' + encodeURIComponent(list.id)));
    if (answer) lists.reload();
  }

  function startRename(list) {
    renaming = list;
    rename = new Action('rename-list-' + list.id);
    update();
  }

  async function saveName(event) {
    event.preventDefault();
    const { name } = formValues(event.currentTarget);
    const current = await rename.run(() => api('GET', '/smart-lists/' + encodeURIComponent(renaming.id)));
    if (!current) return;
    const answer = await rename.run(() => api('PATCH', '/smart-lists/' + encodeURIComponent(renaming.id),
      { body: { name }, ifMatch: current.etag }));
    if (answer) {
      renaming = null;
      lists.reload();
    }
  }

  function row(list) {
    const open = '#/customers' + (Object.keys(list.query ?? {}).length ? '?' + new URLSearchParams(list.query) : '');
    return html`<tr data-list-id=${list.id}>
      <td><a href=${open}>${list.name}</a></td>
      <td><small>${describe(list.query)}</small></td>
      <td>${list.createdBy ?? '—'}${list.createdBy === session()?.userId ? ' (you)' : ''}</td>
      <td>${dateTime(list.updatedAt ?? list.createdAt)}</td>
      <td>${can('customers:write') ? html`<div class="actions">
        <button type="button" class="secondary outline" @click=${() => startRename(list)}>Rename</button>
        <button type="button" class="secondary outline" @click=${() => remove(list)}>Delete</button></div>` : nothing}</td>
    </tr>
    ${renaming?.id === list.id ? html`<tr><td colspan="5"><form class="inline-form" @submit=${saveName} aria-label="Rename list">
      ${field({ form: rename, name: 'name', label: 'New name', value: list.name, required: true, attrs: { maxlength: 80 } })}
      ${rename.summary(['name'])}
      <div class="actions">${submit(rename, 'Save name')}
        <button type="button" class="secondary outline" @click=${() => { renaming = null; update(); }}>Cancel</button></div>
    </form></td></tr>` : nothing}`;
  }

  return {
    title: 'Smart lists',
    view: () => html`<h1>Smart lists</h1>
      <p>Filters and sorts of the <a href="#/customers">customers page</a>, saved for the team${can('customers:write') ? ' with "Save as smart list"' : ''}.</p>
      ${removing.summary()}
      ${lists.view(data => data.length === 0 ? html`<p>No smart lists yet.</p>` : html`<div class="table-wrap">
        <table class="striped" id="smart-lists"><caption class="visually-hidden">Smart lists</caption>
        <thead><tr><th scope="col">Name</th><th scope="col">Filters</th><th scope="col">By</th><th scope="col">Updated</th>
          <th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
        <tbody>${data.map(row)}</tbody></table></div>`, 'smart lists')}`,
  };
}
