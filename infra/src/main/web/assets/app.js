// The dashboard's shell: configuration, sign-in, the hash router, navigation and the page in view.
import { render } from './vendor/lit-html/lit-html.js';
import { api, configureApi, Problem } from './api.js';
import { can, endSession, keepSession, session } from './auth.js';
import { Action, clearAllDrafts, failure, field, formValues, html, keepDraft, nothing, onUpdate, submit, update } from './ui.js';

const PAGES = {
  customers: () => import('./pages/customers.js'),
  customer: () => import('./pages/customer.js'),
  transactions: () => import('./pages/transactions.js'),
  lists: () => import('./pages/lists.js'),
  analytics: () => import('./pages/analytics.js'),
  settings: () => import('./pages/settings.js'),
};

const NAV = [
  ['customers', 'Customers', 'customers:read'],
  ['transactions', 'Transactions', 'payments:read'],
  ['lists', 'Smart lists', 'customers:read'],
  ['analytics', 'Analytics', 'customers:read'],
  ['settings', 'Settings', 'settings:read'],
];

const RETURN_TO = 'clientele.returnTo';
const root = document.getElementById('app');
let config = null;
let configProblem = null;
let current = { name: null, page: null, route: null };
let signInForm = new Action('sign-in');
let signInError = null;

/** "#/customers/cus_1/points?x=1" → {segments: ['customers', 'cus_1', 'points'], query: URLSearchParams}. */
function parseRoute() {
  const hash = location.hash.replace(/^#\/?/, '');
  const [path, search = ''] = hash.split('?');
  return { segments: path.split('/').filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(search), hash };
}

function pageName(segments) {
  const [first, second] = segments;
  if (first === 'customers' && second) return 'customer';
  if (first in PAGES && first !== 'customer') return first;
  return null;
}

function signedOut() {
  if (parseRoute().segments[0] !== 'signin') {
    sessionStorage.setItem(RETURN_TO, location.hash || '#/customers');
    location.hash = '#/signin';
  }
}

async function route() {
  const { segments, query, hash } = parseRoute();
  if (segments[0] === 'signin') {
    current = { name: 'signin', page: null, route: hash };
    update();
    return;
  }
  if (!session()) {
    signedOut();
    return;
  }
  const name = pageName(segments);
  if (!name) {
    location.replace('#/customers');
    return;
  }
  current = { name, page: null, route: hash, loading: true };
  update();
  try {
    const module = await PAGES[name]();
    if (current.route !== hash) return;
    current = { name, page: module.page({ segments, query, navigate }), route: hash };
    document.title = `${current.page.title ?? 'Clientele'} · Clientele`;
  } catch (e) {
    current = { name, page: null, route: hash, error: e };
  }
  update();
  document.getElementById('main')?.focus({ preventScroll: true });
}

/** Goes to a hash route; with {replace: true} the history keeps one entry (filters, tabs). */
export function navigate(hash, { replace = false } = {}) {
  if (!replace) {
    location.hash = hash;
    return;
  }
  history.replaceState(null, '', hash);
  route();
}

function header() {
  const me = session();
  const section = current.name === 'customer' ? 'customers' : current.name;
  return html`<header class="container-fluid app-header">
    <nav aria-label="Main">
      <ul><li><a href="#/customers" class="brand"><strong>Clientele</strong></a></li></ul>
      ${me ? html`<ul class="main-nav">
        ${NAV.filter(([, , scope]) => can(scope)).map(([key, label]) => html`<li>
          <a href="#/${key}" aria-current=${section === key ? 'page' : nothing}>${label}</a></li>`)}
      </ul>
      <ul>
        <li><span class="who"><span id="signed-in-user">${me.userId}</span>
          <small>${me.role || 'custom scopes'} · ${me.tenantId}</small></span></li>
        <li><button type="button" class="secondary outline" @click=${signOut}>Sign out</button></li>
      </ul>` : nothing}
    </nav>
  </header>`;
}

function signOut() {
  endSession();
  clearAllDrafts();
  sessionStorage.removeItem(RETURN_TO);
  location.hash = '#/signin';
}

function afterSignIn() {
  const back = sessionStorage.getItem(RETURN_TO) || '#/customers';
  sessionStorage.removeItem(RETURN_TO);
  signInForm = new Action('sign-in');
  location.hash = back;
}

async function signInLocally(event) {
  event.preventDefault();
  const values = formValues(event.currentTarget);
  const answer = await signInForm.run(() => api('POST', '/_local/tokens', {
    anonymous: true,
    body: { tenantId: values.tenantId, userId: values.userId || 'local-user', role: values.role },
  }));
  if (answer) {
    keepSession(answer.body.token, null);
    afterSignIn();
  }
}

async function signInWithProvider() {
  try {
    const oidc = await import('./oidc.js');
    await oidc.startSignIn(config, sessionStorage.getItem(RETURN_TO) || '#/customers');
  } catch (e) {
    signInError = e;
    update();
  }
}

function signInPage() {
  const expired = sessionStorage.getItem(RETURN_TO) !== null;
  return html`<main id="main" class="container narrow" tabindex="-1">
    <article>
      <header><h1>Sign in</h1></header>
      ${expired ? html`<p role="status">Sign in to go on where you left off; what you typed is kept.</p>` : nothing}
      ${signInError ? failure(signInError) : nothing}
      ${config?.signIn === 'oidc'
        ? html`<button type="button" @click=${signInWithProvider}>Sign in with your identity provider</button>`
        : html`<p>Development sign-in of the local cloud: any tenant, user and role.</p>
          <form id="sign-in-form" @submit=${signInLocally} @input=${keepDraft('sign-in')} novalidate>
            ${field({ form: signInForm, name: 'tenantId', label: 'Tenant', value: 'acme', required: true, attrs: { autocomplete: 'organization' } })}
            ${field({ form: signInForm, name: 'userId', label: 'User', value: 'alice', required: true, attrs: { autocomplete: 'username' } })}
            ${field({ form: signInForm, name: 'role', label: 'Role', value: 'admin',
              options: [['viewer', 'Viewer'], ['cashier', 'Cashier'], ['manager', 'Manager'], ['admin', 'Admin']] })}
            ${signInForm.summary(['tenantId', 'userId', 'role'])}
            ${submit(signInForm, 'Sign in')}
          </form>`}
    </article>
  </main>`;
}

function view() {
  if (configProblem) {
    return html`<main id="main" class="container" tabindex="-1">${failure(configProblem, () => location.reload())}</main>`;
  }
  if (!config) return html`<p aria-busy="true">Loading Clientele…</p>`;
  if (current.name === 'signin') return html`${header()}${signInPage()}`;
  let content;
  if (current.error) content = failure(current.error, () => route());
  else if (!current.page) content = html`<p aria-busy="true">Loading…</p>`;
  else content = current.page.view();
  return html`${header()}<main id="main" class="container-fluid" tabindex="-1">${content}</main>`;
}

async function start() {
  root.replaceChildren();
  onUpdate(() => render(view(), root));
  try {
    const response = await fetch('/config.json', { cache: 'no-store' });
    if (!response.ok) throw new Error(`The dashboard's configuration could not be read (${response.status}).`);
    config = await response.json();
  } catch (e) {
    configProblem = e instanceof Problem ? e : new Error(e.message || 'The dashboard could not start. Retry.');
    update();
    return;
  }
  configureApi(config.apiUrl ?? '', signedOut);
  if (config.signIn === 'oidc') {
    try {
      const oidc = await import('./oidc.js');
      const signedIn = await oidc.finishSignIn(config);
      if (signedIn) {
        keepSession(signedIn.token, signedIn.expiresAt);
        sessionStorage.setItem(RETURN_TO, signedIn.returnTo || '#/customers');
        afterSignIn();
      }
    } catch (e) {
      signInError = e;
      location.hash = '#/signin';
    }
  }
  // the skip link moves the focus to the page's content (its "#main" would be taken for a route)
  document.querySelector('.skip-link')?.addEventListener('click', event => {
    event.preventDefault();
    document.getElementById('main')?.focus();
  });
  window.addEventListener('hashchange', route);
  route();
}

start();
