import { html } from '../ui.js';

export function page() {
  return { title: 'analytics', view: () => html`<h1>analytics</h1><p>Coming next.</p>` };
}
