import { html } from '../ui.js';

export function page() {
  return { title: 'transactions', view: () => html`<h1>transactions</h1><p>Coming next.</p>` };
}
