import { html } from '../ui.js';

export function page() {
  return { title: 'settings', view: () => html`<h1>settings</h1><p>Coming next.</p>` };
}
