// What the profile's money tabs share: one Idempotency-Key per submission, a problem found before
// sending, and how a card is named.
import { newIdempotencyKey, Problem } from '../../api.js';

/**
 * The Idempotency-Key of a form's submission. Sending the same body again before the API has
 * answered it (an outage, a timeout, a request still running) reuses the key, so that the money
 * moves once; once the API answered (done, declined or refused), the next submission is a new one.
 */
export class SubmissionKey {
  constructor() {
    this.key = null;
    this.body = null;
  }

  for(body) {
    const text = JSON.stringify(body ?? null);
    if (this.key === null || text !== this.body) {
      this.key = newIdempotencyKey();
      this.body = text;
    }
    return this.key;
  }

  /** After {@code action.run}: forgets the key when the API gave its answer, keeps it when it may not have. */
  settle(action) {
    const unanswered = action.error || action.problem?.code === 'idempotency_key_in_use';
    if (!unanswered) {
      this.key = null;
      this.body = null;
    }
  }
}

/** A problem found before sending, shown beside {@code field} like the API's own. */
export function localProblem(field, message) {
  return new Problem(400, { detail: message, errors: [{ field, message }] });
}

/** "Visa •••• 4242" for a saved card or a payment's card; "—" for none. */
export function cardLabel(card) {
  if (!card) return '—';
  const brand = String(card.brand ?? 'card');
  return `${brand.charAt(0).toUpperCase()}${brand.slice(1)} •••• ${card.last4}`;
}

export const DECLINES = new Set(['card_declined', 'insufficient_funds', 'expired_card', 'processing_error']);
