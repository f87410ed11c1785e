// The API client: one fetch wrapper that adds the token, reads RFC 9457 problems, and tells a
// problem of the request (shown beside its field) from an outage (shown with a retry).
import { session } from './auth.js';

let base = '';
let onSignedOut = () => {};

export function configureApi(apiUrl, signedOut) {
  base = (apiUrl || '').replace(/\/$/, '');
  onSignedOut = signedOut;
}

export function apiUrl() {
  return base;
}

/** A 4xx answer: its problem document, with the field errors it names. */
export class Problem extends Error {
  constructor(status, body) {
    super(body?.detail || body?.title || body?.message || `The request was refused (${status})`);
    this.status = status;
    this.code = body?.code ?? null;
    this.body = body ?? {};
    this.errors = Array.isArray(body?.errors) ? body.errors : [];
  }

  /** The message for {@code field} (the API's field path, e.g. "email" or "company.name"), if any. */
  forField(field) {
    return this.errors.find(e => e.field === field)?.message ?? null;
  }
}

/** No answer, or a 5xx: worth a retry, never the user's fault. */
export class Unavailable extends Error {}

/** The token was refused (expired or signed out): the app asks to sign in again. */
export class SignedOut extends Error {}

/**
 * Calls the API. Returns {status, body, etag, headers}. Throws Problem (4xx), Unavailable
 * (network, 5xx) or SignedOut (401). Options: body (JSON), query (object; empty values left out),
 * ifMatch, idempotencyKey, anonymous (no token), signal.
 */
export async function api(method, path, options = {}) {
  const url = new URL(base + path, location.origin);
  for (const [name, value] of Object.entries(options.query ?? {})) {
    if (value !== undefined && value !== null && value !== '') url.searchParams.set(name, String(value));
  }
  const headers = { Accept: 'application/json' };
  if (!options.anonymous) {
    const current = session();
    if (!current) {
      onSignedOut();
      throw new SignedOut('Your session has ended: sign in again.');
    }
    headers.Authorization = 'Bearer ' + current.token;
  }
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.ifMatch) headers['If-Match'] = options.ifMatch;
  if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey;
  let response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new Unavailable('The API could not be reached. Check the connection and retry.');
  }
  const text = await response.text();
  let body = null;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = { message: text };
    }
  }
  if (response.status === 401 && !options.anonymous) {
    onSignedOut();
    throw new SignedOut('Your session has ended: sign in again.');
  }
  if (response.status >= 500) {
    throw new Unavailable(`The API failed to answer (${response.status}${body?.code ? ' ' + body.code : ''}). Retry in a moment.`);
  }
  if (response.status >= 400) throw new Problem(response.status, body);
  return { status: response.status, body, etag: response.headers.get('ETag'), headers: response.headers };
}

/** A fresh key for a money or points action, so that a retried click never charges twice. */
export function newIdempotencyKey() {
  return crypto.randomUUID();
}
