import { html } from '../ui.js';

export function page() {
  return { title: 'lists', view: () => html`<h1>lists</h1><p>Coming next.</p>` };
}
