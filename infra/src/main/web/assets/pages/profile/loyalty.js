// The profile's points and coupons (seed 003): the balance (available, lifetime, expired), the
// statement with the points left on each lot, redeem with a one-time code, adjust, the tier and its
// override, coupons (and a campaign's coupon given here), the codes sent, the referral code. Points arrive through a queue a moment after
// a charge: Refresh reads them again.
import { api, newIdempotencyKey } from '../../api.js';
import { can } from '../../auth.js';
import {
  Action, Pager, Resource, confirmDialog, date, dateTime, field, formValues, html, keepDraft, money, nothing,
  statusBadge, submit,
} from '../../ui.js';

/** An Action whose field-less problems (by their code) show beside the field they are about. */
class CodedAction extends Action {
  constructor(id, codes) {
    super(id);
    this.codes = codes;
  }

  fieldError(name) {
    return super.fieldError(name) ?? (this.problem && this.codes[this.problem.code] === name ? this.problem.message : null);
  }

  summary(fields = []) {
    if (this.problem && fields.includes(this.codes[this.problem.code])) {
      return html`<p class="problem" role="alert">Check the field marked below.</p>`;
    }
    return super.summary(fields);
  }
}

const REDEEM_CODES = {
  otp_required: 'otp', otp_invalid: 'otp', otp_expired: 'otp', otp_used: 'otp',
  insufficient_points: 'points', too_many_lots: 'points',
};

/** "120" → 120; anything else as typed, for the API to name the field. */
function integer(text) {
  return /^-?\d+$/.test(text) ? Number(text) : text;
}

function optional(text) {
  return text === '' ? undefined : text;
}

function terms(t) {
  if (!t) return '—';
  const offer = t.type === 'percent_off' ? `${t.percentOff}% off`
    : t.type === 'amount_off' ? `${money(t.amountOff)} off` : `${t.points} points`;
  return t.validUntil ? `${offer}, until ${date(t.validUntil)}` : offer;
}

export function tab({ customerId, customer, reload }) {
  const path = '/customers/' + encodeURIComponent(customerId);
  const points = new Resource(() => api('GET', path + '/points').then(r => r.body));
  const statementPager = new Pager(cursor => statement.load(cursor));
  const statement = new Resource(cursor => api('GET', path + '/points/statement', { query: { limit: 20, cursor } }).then(r => r.body));
  const tier = new Resource(() => api('GET', path + '/tier').then(r => r.body));
  const tiers = new Resource(() => api('GET', '/loyalty/tiers').then(r => r.body.tiers ?? []).catch(() => []));
  const couponPager = new Pager(cursor => coupons.load(cursor));
  const coupons = new Resource(cursor => api('GET', path + '/coupons', { query: { limit: 20, cursor } }).then(r => r.body));
  const otpPager = new Pager(cursor => otps.load(cursor));
  const otps = new Resource(cursor => api('GET', path + '/points/otps', { query: { limit: 10, cursor } }).then(r => r.body));
  const sending = new Action('otp-send');
  const redeeming = new CodedAction('redeem', REDEEM_CODES);
  const adjusting = new CodedAction('adjust', { insufficient_points: 'points', too_many_lots: 'points' });
  const overriding = new Action('tier');
  const campaigns = new Resource(() => api('GET', '/campaigns', { query: { limit: 100 } })
    .then(r => r.body.data.filter(c => c.coupon && c.status !== 'ended')));
  const giving = new CodedAction('coupon', { campaign_has_no_coupon: 'campaignId', invalid_state: 'campaignId' });
  let given = null;
  let sent = null;
  let done = null;

  function refresh() {
    points.reload();
    statementPager.reset();
    statement.load(null);
    tier.reload();
    otpPager.reset();
    otps.load(null);
    reload();
  }

  points.load();
  statement.load(null);
  tier.load();
  coupons.load(null);
  otps.load(null);
  if (can('points:adjust')) tiers.load();
  if (can('settings:write')) campaigns.load();

  async function giveCoupon(event) {
    event.preventDefault();
    const { campaignId } = formValues(event.currentTarget);
    const key = newIdempotencyKey();
    given = null;
    const answer = await giving.run(() => api('POST', '/campaigns/' + encodeURIComponent(campaignId) + '/coupons',
      { body: { customerId }, idempotencyKey: key }));
    if (answer) {
      given = `Coupon ${answer.body.code} given.`;
      couponPager.reset();
      coupons.load(null);
    }
  }

  async function sendCode(event) {
    event.preventDefault();
    const { channel } = formValues(event.currentTarget);
    sent = null;
    const answer = await sending.run(() => api('POST', path + '/points/otp', { body: channel ? { channel } : {} }));
    if (answer) {
      sent = answer.body;
      otpPager.reset();
      otps.load(null);
    }
  }

  async function redeem(event) {
    event.preventDefault();
    const form = event.currentTarget;
    const v = formValues(form);
    const body = { points: integer(v.points), reason: v.reason, storeId: optional(v.storeId), terminalId: optional(v.terminalId), otp: optional(v.code) };
    const key = newIdempotencyKey();
    done = null;
    const answer = await redeeming.run(() => api('POST', path + '/points/redemptions', { body, idempotencyKey: key }));
    if (answer) {
      const r = answer.body;
      done = `Redeemed ${r.points} points (${money(r.value)}): ${r.balance?.available ?? '—'} left.`;
      form.reset();
      sent = null;
      refresh();
    }
  }

  async function adjust(event) {
    event.preventDefault();
    const form = event.currentTarget;
    const v = formValues(form);
    const body = { points: integer(v.points), reason: v.reason };
    const key = newIdempotencyKey();
    done = null;
    const answer = await adjusting.run(() => api('POST', path + '/points/adjustments', { body, idempotencyKey: key }));
    if (answer) {
      done = `Adjusted by ${answer.body.points} points: ${answer.body.balance?.available ?? '—'} available.`;
      form.reset();
      refresh();
    }
  }

  async function setTier(event) {
    event.preventDefault();
    const form = event.currentTarget;
    const v = formValues(form);
    const answer = await overriding.run(() => api('PUT', path + '/tier', { body: { key: v.key, reason: v.reason } }));
    if (answer) {
      form.reset();
      tier.reload();
      reload();
    }
  }

  async function automaticTier() {
    const ok = await confirmDialog({
      title: 'Give the tier back to the automation?',
      message: 'The customer takes at once the tier their measure qualifies for now, up or down.',
      confirm: 'Give back',
    });
    if (!ok) return;
    if (await overriding.run(() => api('DELETE', path + '/tier'))) {
      tier.reload();
      reload();
    }
  }

  function balance(p) {
    return html`<section class="indicators" aria-label="Points">
      <article><small>Available</small><p class="figure" id="points-available">${p.available}</p></article>
      <article><small>Lifetime</small><p class="figure" id="points-lifetime">${p.lifetime}</p></article>
      <article><small>Expired</small><p class="figure" id="points-expired">${p.expired}</p></article>
      <article><small>Redeemed</small><p class="figure" id="points-redeemed">${p.redeemed}</p></article>
      <article><small>Next expiry</small><p class="figure">${p.nextExpiry ? html`${p.nextExpiry.points}
        <small>on ${date(p.nextExpiry.date)}</small>` : '—'}</p></article>
    </section>`;
  }

  function codeForm() {
    return html`<form id="otp-form" class="actions" @submit=${sendCode} aria-label="Send a one-time code">
      ${field({ form: sending, name: 'channel', label: 'Send a code by', options: [['', 'Default (SMS, else email)'], ['email', 'Email'], ['sms', 'SMS']] })}
      ${submit(sending, 'Send code', { secondary: true })}
    </form>
    ${sending.summary(['channel'])}
    <p role="status" id="otp-sent">${sent ? html`A code was sent by ${sent.channel} to ${sent.sentTo}; it is valid until
      ${dateTime(sent.expiresAt)}.${sent.code ? html` No SMS provider is wired here: the sandbox code is <code>${sent.code}</code>.` : nothing}` : nothing}</p>`;
  }

  function redeemForm() {
    const fields = ['points', 'reason', 'storeId', 'terminalId', 'otp'];
    // Named "code" so that no draft keeps it; the API calls it "otp".
    return html`<article>
      <h2>Redeem points</h2>
      ${codeForm()}
      <form id="redeem-form" @submit=${redeem} @input=${keepDraft('redeem')} novalidate>
        <div class="grid">
          ${field({ form: redeeming, name: 'points', label: 'Points', type: 'number', required: true, attrs: { min: 1, step: 1, inputmode: 'numeric' } })}
          ${field({ form: redeeming, name: 'code', apiField: 'otp', label: 'One-time code', attrs: { inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: 6 },
            help: 'Asked of the customer when the programme requires codes' })}
        </div>
        ${field({ form: redeeming, name: 'reason', label: 'Reason', required: true })}
        <div class="grid">
          ${field({ form: redeeming, name: 'storeId', label: 'Store' })}
          ${field({ form: redeeming, name: 'terminalId', label: 'Terminal' })}
        </div>
        ${redeeming.summary(fields)}
        ${submit(redeeming, 'Redeem')}
      </form>
    </article>`;
  }

  function adjustForm() {
    return html`<article>
      <h2>Adjust points</h2>
      <form id="adjust-form" @submit=${adjust} @input=${keepDraft('adjust')} novalidate>
        ${field({ form: adjusting, name: 'points', label: 'Points (negative to take away)', type: 'number', required: true, attrs: { step: 1 } })}
        ${field({ form: adjusting, name: 'reason', label: 'Reason', required: true })}
        ${adjusting.summary(['points', 'reason'])}
        ${submit(adjusting, 'Adjust')}
      </form>
    </article>`;
  }

  function statementTable(s, pager) {
    const t = s.totals;
    return html`<article>
      <h2>Points statement</h2>
      <div class="table-wrap"><table class="striped" id="points-statement">
        <thead><tr><th scope="col">Date</th><th scope="col">Type</th><th scope="col">Store</th><th scope="col">Terminal</th>
          <th scope="col">Transaction</th><th scope="col">Expires</th><th scope="col" class="num">Points</th>
          <th scope="col" class="num">Points left</th><th scope="col">Reason</th></tr></thead>
        <tbody>
          ${s.data.length === 0 ? html`<tr><td colspan="9">No points yet.</td></tr>` : s.data.map(l => html`<tr>
            <td>${dateTime(l.createdAt)}</td><td>${l.type}</td><td>${l.storeId ?? '—'}</td><td>${l.terminalId ?? '—'}</td>
            <td><small>${l.transactionId ?? '—'}</small></td><td>${date(l.expiryDate)}</td>
            <td class="num">${l.points > 0 ? '+' : ''}${l.points}</td><td class="num points-left">${l.pointsLeft ?? '—'}</td>
            <td>${l.reason ?? l.description ?? ''}${l.unrecoverable ? html` <small>(${l.unrecoverable} unrecoverable)</small>` : nothing}</td>
          </tr>`)}
        </tbody>
      </table></div>
      ${pager.view(s.nextCursor, 'Statement pages')}
      ${t ? html`<p><small>Credited ${t.credited} · redeemed ${t.redeemed} · expired ${t.expired} · clawed back ${t.clawedBack}
        · adjusted down ${t.adjustedDown}</small></p>` : nothing}
    </article>`;
  }

  function tierForm(t) {
    const choices = tiers.value ?? [];
    if (choices.length === 0) return html`<p><small>The programme has no tiers to set by hand (Settings → Loyalty).</small></p>`;
    return html`<form id="tier-form" @submit=${setTier} novalidate>
      <div class="grid">
        ${field({ form: overriding, name: 'key', label: 'Set the tier by hand', required: true,
          options: choices.map(c => [c.key, c.name]), value: t.tier?.key ?? choices[0].key })}
        ${field({ form: overriding, name: 'reason', label: 'Reason', required: true })}
      </div>
      ${overriding.summary(['key', 'reason'])}
      <div class="actions">
        ${submit(overriding, 'Set tier')}
        ${t.tier?.override ? html`<button type="button" class="secondary" id="tier-automatic" @click=${automaticTier}
          ?disabled=${overriding.busy}>Give back to the automation</button>` : nothing}
      </div>
    </form>`;
  }

  function tierView(t) {
    const p = t.progress;
    return html`<article>
      <h2>Tier</h2>
      <p id="tier-name"><strong>${t.tier?.name ?? 'No tier'}</strong>
        ${t.tier ? html`<small>since ${date(t.tier.since)}${t.tier.override ? html` · set by hand${t.overrideReason ? ': ' + t.overrideReason : ''}` : nothing}</small>` : nothing}</p>
      ${p?.nextTier ? html`<p><small>${p.basis === 'spend' ? money({ amount: p.value, currency: p.currency }) : p.value + ' points'}
        of ${p.basis === 'spend' ? money({ amount: p.nextThreshold, currency: p.currency }) : p.nextThreshold} for ${p.nextTier}</small></p>` : nothing}
      ${can('points:adjust') ? tierForm(t) : nothing}
      ${t.history?.length ? html`<details><summary>History</summary><ul>
        ${t.history.map(h => html`<li><small>${dateTime(h.at)}</small> ${h.from ?? '—'} → ${h.to ?? '—'} (${h.reason}${h.note ? ': ' + h.note : ''})</li>`)}
      </ul></details>` : nothing}
    </article>`;
  }

  function couponForm(list) {
    if (list.length === 0) return html`<p><small>No campaign offers coupons: <a href="#/settings">create one in Settings</a>.</small></p>`;
    return html`<form id="coupon-form" class="actions" @submit=${giveCoupon} novalidate aria-label="Generate a coupon">
        ${field({ form: giving, name: 'campaignId', label: 'Campaign', options: list.map(c => [c.id, `${c.name} (${terms(c.coupon)})`]) })}
        ${submit(giving, 'Generate coupon', { secondary: true })}
      </form>
      ${giving.summary(['campaignId'])}
      <p role="status" id="coupon-result">${given ?? nothing}</p>`;
  }

  function couponsTable(c) {
    return html`<article>
      <h2>Coupons</h2>
      ${can('settings:write') ? campaigns.view(couponForm, 'the campaigns') : nothing}
      ${c.data.length === 0 ? html`<p>No coupons given or used.</p>` : html`<div class="table-wrap"><table class="striped" id="customer-coupons">
        <thead><tr><th scope="col">Code</th><th scope="col">Terms</th><th scope="col">Status</th><th scope="col" class="num">Uses</th>
          <th scope="col">Given</th><th scope="col">Last used</th></tr></thead>
        <tbody>${c.data.map(k => html`<tr><td><code>${k.code}</code></td><td>${terms(k.terms)}</td><td>${statusBadge(k.status)}</td>
          <td class="num">${k.uses}</td><td>${k.given ? dateTime(k.givenAt) : 'Shared code'}</td>
          <td>${k.lastUsedAt ? html`${dateTime(k.lastUsedAt)}${k.lastStoreId ? ' · ' + k.lastStoreId : ''}` : '—'}</td></tr>`)}</tbody>
      </table></div>`}
      ${couponPager.view(c.nextCursor, 'Coupon pages')}
    </article>`;
  }

  function otpTable(o) {
    return html`<article>
      <h2>One-time codes sent</h2>
      ${o.data.length === 0 ? html`<p>No codes sent.</p>` : html`<div class="table-wrap"><table class="striped" id="customer-otps">
        <thead><tr><th scope="col">Sent</th><th scope="col">By</th><th scope="col">To</th><th scope="col">State</th>
          <th scope="col" class="num">Wrong tries</th></tr></thead>
        <tbody>${o.data.map(x => html`<tr><td>${dateTime(x.issuedAt)}</td><td>${x.channel}</td><td>${x.sentTo ?? '—'}</td>
          <td>${x.usedAt ? `used ${dateTime(x.usedAt)}` : x.expired ? 'expired' : `valid until ${dateTime(x.expiresAt)}`}</td>
          <td class="num">${x.failedAttempts}</td></tr>`)}</tbody>
      </table></div>`}
      ${otpPager.view(o.nextCursor, 'Code pages')}
    </article>`;
  }

  function referral(c) {
    return html`<article>
      <h2>Referral</h2>
      <dl>
        <dt>Referral code</dt><dd id="referral-code">${c.referralCode ? html`<code>${c.referralCode}</code>` : 'None (created before referrals)'}</dd>
        ${c.referredBy ? html`<dt>Referred by</dt><dd><code>${c.referredBy}</code></dd>` : nothing}
      </dl>
    </article>`;
  }

  return {
    view() {
      return html`<div class="actions">
          <button type="button" class="secondary outline" id="points-refresh" @click=${refresh}
            aria-busy=${points.state === 'loading' ? 'true' : 'false'}>Refresh</button>
        </div>
        ${points.view(balance, 'the points')}
        <p role="status" id="points-result">${done ?? nothing}</p>
        <div class="grid">
          ${can('points:redeem') ? redeemForm() : nothing}
          <div>
            ${can('points:adjust') ? adjustForm() : nothing}
            ${tier.view(tierView, 'the tier')}
            ${customer.view(referral)}
          </div>
        </div>
        ${statement.view(s => statementTable(s, statementPager), 'the statement')}
        ${coupons.view(couponsTable, 'the coupons')}
        ${otps.view(otpTable, 'the codes')}`;
    },
  };
}
