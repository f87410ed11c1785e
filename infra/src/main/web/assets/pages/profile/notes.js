// The profile's notes (seeds 002, 003): newest first; anyone of the team reads them and adds one,
// only a note's author is offered its edit and delete (the API refuses anyone else with 403
// not_note_author, which a page older than a change of user can still meet: it is said kindly).
import { api } from '../../api.js';
import { can, session } from '../../auth.js';
import {
  Action, Pager, Resource, clearDraft, confirmDialog, dateTime, field, formValues, html, keepDraft, nothing, submit, update,
} from '../../ui.js';

const TYPES = [['email', 'Email'], ['phone', 'Phone'], ['meeting', 'Meeting'], ['other', 'Other']];
const FIELDS = ['type', 'summary', 'followUp', 'occurredAt'];

/** An ISO instant as a datetime-local input shows it (the browser's time zone). */
function localInput(iso) {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '';
  return new Date(at.getTime() - at.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/** The form's note as the API takes it; a date the browser cannot read goes as typed, for the API to name it. */
function noteBody(values, editing) {
  const at = values.occurredAt ? new Date(values.occurredAt) : null;
  const occurredAt = at === null ? undefined : Number.isNaN(at.getTime()) ? values.occurredAt : at.toISOString();
  return {
    type: values.type,
    summary: values.summary,
    followUp: values.followUp || (editing ? null : undefined),
    occurredAt,
  };
}

export function tab({ customerId }) {
  const path = '/customers/' + encodeURIComponent(customerId) + '/notes';
  const pager = new Pager(cursor => notes.load(cursor));
  const notes = new Resource(cursor => api('GET', path, { query: { limit: 20, cursor } }).then(r => r.body));
  const adding = new Action('note-new');
  const editing = new Action('note-edit');
  const removing = new Action('note-delete');
  let editingId = null;
  let notice = null;
  notes.load(null);

  function firstPage() {
    pager.reset();
    notes.load(null);
  }

  /** A refusal because the note is someone else's: said kindly, and the list read again. */
  function notAuthor(action) {
    if (action.problem?.code !== 'not_note_author') return false;
    action.problem = null;
    editingId = null;
    notice = 'Only the author of a note may change or delete it; this one is not yours (the page was older than your sign-in). The notes are shown again as they are.';
    firstPage();
    return true;
  }

  async function add(event) {
    event.preventDefault();
    const form = event.currentTarget;
    const body = noteBody(formValues(form), false);
    notice = null;
    if (await adding.run(() => api('POST', path, { body }))) {
      form.reset();
      notice = 'Note added.';
      firstPage();
    }
  }

  function edit(note) {
    clearDraft(editing.id);
    editing.problem = null;
    editing.error = null;
    editingId = note.id;
    notice = null;
    update();
  }

  async function save(event, note) {
    event.preventDefault();
    const body = noteBody(formValues(event.currentTarget), true);
    const answer = await editing.run(() => api('PATCH', path + '/' + encodeURIComponent(note.id), { body }));
    if (answer) {
      editingId = null;
      notice = 'Note saved.';
      notes.reload();
    } else {
      notAuthor(editing);
    }
  }

  async function remove(note) {
    const ok = await confirmDialog({ title: 'Delete this note?', message: note.summary.slice(0, 200), confirm: 'Delete', danger: true });
    if (!ok) return;
    notice = null;
    if (await removing.run(() => api('DELETE', path + '/' + encodeURIComponent(note.id)))) {
      notice = 'Note deleted.';
      firstPage();
    } else {
      notAuthor(removing);
    }
  }

  function noteForm(form, note, onSubmit) {
    const id = form.id + '-form';
    return html`<form id=${id} @submit=${onSubmit} @input=${keepDraft(form.id)} novalidate>
      <div class="grid">
        ${field({ form, name: 'type', label: 'Type', options: TYPES, value: note?.type ?? 'phone', required: true })}
        ${field({ form, name: 'occurredAt', label: 'When', type: 'datetime-local', value: note ? localInput(note.occurredAt) : '',
          help: note ? undefined : 'Now, when left empty' })}
      </div>
      ${field({ form, name: 'summary', label: 'Summary', type: 'textarea', value: note?.summary ?? '', required: true, attrs: { maxlength: 5000 } })}
      ${field({ form, name: 'followUp', label: 'Follow-up', type: 'textarea', value: note?.followUp ?? '', attrs: { maxlength: 2000 } })}
      ${form.summary(FIELDS)}
      <div class="actions">
        ${submit(form, note ? 'Save note' : 'Add note')}
        ${note ? html`<button type="button" class="secondary" @click=${() => { editingId = null; clearDraft(form.id); update(); }}>Cancel</button>` : nothing}
      </div>
    </form>`;
  }

  function noteView(note, me) {
    if (note.id === editingId) return html`<article class="note" id=${'note-' + note.id}>${noteForm(editing, note, e => save(e, note))}</article>`;
    const mine = note.authorId === me && can('notes:write');
    return html`<article class="note" id=${'note-' + note.id}>
      <header><strong>${TYPES.find(([v]) => v === note.type)?.[1] ?? note.type}</strong> ·
        <small>${dateTime(note.occurredAt)} · by ${note.authorId}${note.updatedAt !== note.createdAt ? ' · edited' : ''}</small></header>
      <p class="note-summary">${note.summary}</p>
      ${note.followUp ? html`<p><small>Follow-up:</small> ${note.followUp}</p>` : nothing}
      ${mine ? html`<footer class="actions">
        <button type="button" class="secondary outline note-edit" @click=${() => edit(note)}>Edit</button>
        <button type="button" class="secondary outline note-delete" ?disabled=${removing.busy} @click=${() => remove(note)}>Delete</button>
      </footer>` : nothing}
    </article>`;
  }

  return {
    view() {
      const me = session()?.userId;
      return html`${can('notes:write') ? html`<article><h2>Add a note</h2>${noteForm(adding, null, add)}</article>` : nothing}
        <p role="status" id="notes-result">${notice ?? nothing}</p>
        ${removing.summary()}
        <h2>Notes</h2>
        ${notes.view(page => html`<div id="notes-list">
          ${page.data.length === 0 ? html`<p>No notes yet.</p>` : page.data.map(note => noteView(note, me))}
          ${pager.view(page.nextCursor, 'Note pages')}
        </div>`, 'the notes')}`;
    },
  };
}
