// The profile's activity and messages (seeds 002, 003): the activity feed, the communications sent
// to the customer (subject, channel, status) and the journeys (the lifecycle stages and segments the
// customer went through: times entered, last entered).
import { api } from '../../api.js';
import { Pager, Resource, dateTime, html, nothing, statusBadge } from '../../ui.js';

const STAGES = { new: 'New', active: 'Active', loyal: 'Loyal', at_risk: 'At risk', lapsed: 'Lapsed' };

function journeyName(journey) {
  if (journey.startsWith('segment:')) return 'Segment: ' + journey.slice('segment:'.length).replace(/_/g, ' ');
  return STAGES[journey] ?? journey;
}

export function tab({ customerId }) {
  const path = '/customers/' + encodeURIComponent(customerId);
  const pages = (suffix, limit) => cursor => api('GET', path + suffix, { query: { limit, cursor } }).then(r => r.body);
  const activities = new Resource(pages('/activities', 20));
  const activityPager = new Pager(cursor => activities.load(cursor));
  const messages = new Resource(pages('/communications', 10));
  const messagePager = new Pager(cursor => messages.load(cursor));
  const journeys = new Resource(() => api('GET', path + '/journeys').then(r => r.body.data));
  activities.load(null);
  messages.load(null);
  journeys.load();

  function refresh() {
    activityPager.reset();
    messagePager.reset();
    activities.load(null);
    messages.load(null);
    journeys.load();
  }

  function feed(list) {
    return html`<div class="table-wrap"><table class="striped" id="activity-feed">
      <thead><tr><th scope="col">When</th><th scope="col">What</th><th scope="col">Reference</th><th scope="col">By</th></tr></thead>
      <tbody>${list.data.length === 0 ? html`<tr><td colspan="4">No activity yet.</td></tr>` : list.data.map(a => html`<tr>
        <td>${dateTime(a.at)}</td><td>${a.summary}<br><small>${a.kind}</small></td><td><small>${a.ref ?? '—'}</small></td>
        <td>${a.actor?.userId ?? (a.actor ? '—' : 'the system')}</td></tr>`)}</tbody>
    </table></div>
    ${activityPager.view(list.nextCursor, 'Activity pages')}`;
  }

  function communications(list) {
    return html`<div class="table-wrap"><table class="striped" id="communications">
      <thead><tr><th scope="col">Sent</th><th scope="col">Subject</th><th scope="col">Channel</th><th scope="col">To</th>
        <th scope="col">Status</th></tr></thead>
      <tbody>${list.data.length === 0 ? html`<tr><td colspan="5">No messages sent.</td></tr>` : list.data.map(m => html`<tr>
        <td>${dateTime(m.sentAt ?? m.createdAt)}</td><td>${m.subject}</td><td>${m.channel}</td><td>${m.to ?? '—'}</td>
        <td>${statusBadge(m.status)}${m.reason ? html` <small>${m.reason.replace(/_/g, ' ')}</small>` : nothing}</td></tr>`)}</tbody>
    </table></div>
    ${messagePager.view(list.nextCursor, 'Message pages')}`;
  }

  function journeyTable(list) {
    if (list.length === 0) return html`<p>No journeys yet: they begin with the customer's first payment.</p>`;
    return html`<div class="table-wrap"><table class="striped" id="journeys">
      <thead><tr><th scope="col">Journey</th><th scope="col">Now</th><th scope="col" class="num">Times entered</th>
        <th scope="col">First entered</th><th scope="col">Last entered</th><th scope="col">Last left</th></tr></thead>
      <tbody>${list.map(j => html`<tr><td>${journeyName(j.journey)}</td><td>${j.current ? 'In it' : 'Left'}</td>
        <td class="num">${j.timesEntered}</td><td>${dateTime(j.firstEnteredAt)}</td><td>${dateTime(j.lastEnteredAt)}</td>
        <td>${dateTime(j.lastLeftAt)}</td></tr>`)}</tbody>
    </table></div>`;
  }

  return {
    view() {
      return html`<div class="actions">
          <button type="button" class="secondary outline" id="activity-refresh" @click=${refresh}>Refresh</button>
        </div>
        <article><h2>Activity</h2>${activities.view(feed, 'the activity')}</article>
        <article><h2>Communications</h2>${messages.view(communications, 'the messages')}</article>
        <article><h2>Journeys</h2>${journeys.view(journeyTable, 'the journeys')}</article>`;
    },
  };
}
