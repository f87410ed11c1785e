// Analytics: the tenant's customer figures as charts (Chart.js), each with its numbers in a table
// beside it for screen readers and keyboard users.
import { api } from '../api.js';
import { Resource, html, money, moneyList, nothing } from '../ui.js';

const SEGMENTS = [['high_value', 'High value'], ['at_risk', 'At risk'], ['loyal', 'Loyal'], ['new', 'New'], ['business', 'Business']];
const SEGMENT_PAGES = 10;
let chartLibrary = null;

/** Chart.js, loaded once when the first chart is drawn (the other pages never pay for it). */
function loadCharts() {
  chartLibrary ??= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = '/assets/vendor/chart.js/dist/chart.umd.min.js';
    script.onload = () => resolve(window.Chart);
    script.onerror = () => {
      chartLibrary = null;
      reject(new Error('The charting library could not be loaded. Retry.'));
    };
    document.head.append(script);
  });
  return chartLibrary;
}

/** How many customers a segment holds: pages of 100 counted, up to SEGMENT_PAGES of them. */
async function segmentSize(segment) {
  let count = 0;
  let cursor = null;
  for (let page = 0; page < SEGMENT_PAGES; page++) {
    const body = (await api('GET', '/customers', { query: { segment, limit: 100, cursor } })).body;
    count += body.data.length;
    cursor = body.nextCursor;
    if (!cursor) return { count, more: false };
  }
  return { count, more: true };
}

export function page() {
  const charts = [];
  const figures = new Resource(async () => {
    const [customers, journeys, segments] = await Promise.all([
      api('GET', '/analytics/customers').then(r => r.body),
      api('GET', '/analytics/journeys').then(r => r.body.stages),
      Promise.all(SEGMENTS.map(([key]) => segmentSize(key))),
    ]);
    const value = { customers, journeys, segments };
    setTimeout(() => draw(value));
    return value;
  });
  figures.load();

  async function draw({ customers, journeys, segments }) {
    let Chart;
    try {
      Chart = await loadCharts();
    } catch (e) {
      figures.error = e;
      figures.state = 'failed';
      return;
    }
    charts.splice(0).forEach(chart => chart.destroy());
    const bar = (id, labels, datasets, options = {}) => {
      const canvas = document.getElementById(id);
      if (canvas) charts.push(new Chart(canvas, { type: 'bar', data: { labels, datasets }, options: { animation: false, maintainAspectRatio: false, ...options } }));
    };
    const line = (id, labels, datasets) => {
      const canvas = document.getElementById(id);
      if (canvas) charts.push(new Chart(canvas, { type: 'line', data: { labels, datasets }, options: { animation: false, maintainAspectRatio: false } }));
    };
    const distribution = customers.ltvDistribution[0];
    if (distribution) {
      bar('chart-ltv', distribution.buckets.map(b => bucketLabel(b)), [{ label: `Customers (${distribution.currency})`, data: distribution.buckets.map(b => b.customers) }]);
    }
    const months = customers.months.map(m => m.month);
    bar('chart-new', months, [{ label: 'New customers', data: customers.months.map(m => m.newCustomers) }]);
    line('chart-revenue', months, currencies(customers.months).map(currency => ({
      label: `New recurring revenue (${currency})`,
      data: customers.months.map(m => minor(m.newRecurringRevenue, currency)),
    })));
    line('chart-churn', months, [{ label: 'Churn rate %', data: customers.months.map(m => m.churnRatePct) }]);
    bar('chart-segments', SEGMENTS.map(([, label]) => label), [{ label: 'Customers', data: segments.map(s => s.count) }]);
    bar('chart-journeys', Object.keys(journeys).map(stage => stage.replace(/_/g, ' ')), [{ label: 'Customers', data: Object.values(journeys) }]);
  }

  const bucketLabel = b => (b.to ? `${money(b.from)}–${money(b.to)}` : `${money(b.from)}+`);
  const currencies = months => [...new Set(months.flatMap(m => m.newRecurringRevenue.map(x => x.currency)))];
  const minor = (list, currency) => {
    const found = list.find(x => x.currency === currency);
    return found ? found.amount / 100 : 0;
  };

  function chart(id, title, summary, rows) {
    return html`<article class="chart-card">
      <h2>${title}</h2>
      <div class="chart-box"><canvas id=${id} role="img" aria-label=${title + ': ' + summary}></canvas></div>
      <details><summary>Numbers</summary><table><tbody>
        ${rows.map(([label, value]) => html`<tr><th scope="row">${label}</th><td class="num">${value}</td></tr>`)}
      </tbody></table></details>
    </article>`;
  }

  function view({ customers: c, journeys, segments }) {
    const distribution = c.ltvDistribution[0];
    return html`<section class="indicators" aria-label="Figures">
        <article><small>Customers</small><p class="figure" id="analytics-total">${c.totalCustomers}</p></article>
        <article><small>New in 30 days</small><p class="figure">${c.newCustomersLast30Days}</p></article>
        <article><small>Returning</small><p class="figure">${c.returningCustomersPct}%</p></article>
        <article><small>Average LTV</small><p class="figure">${moneyList(c.averageLtv)}</p></article>
        <article><small>Recurring revenue / month</small><p class="figure">${moneyList(c.monthlyRecurringRevenue)}</p></article>
        <article><small>Active (subscribed)</small><p class="figure">${c.activeCustomers}</p></article>
        <article><small>Payment failures</small><p class="figure">${c.paymentFailureRatePct}%</p></article>
        <article><small>Disputes</small><p class="figure">${c.disputeRatePct}%</p></article>
      </section>
      <div class="charts">
        ${chart('chart-ltv', 'LTV distribution', distribution ? `customers per LTV band in ${distribution.currency}` : 'no purchases yet',
          distribution ? distribution.buckets.map(b => [bucketLabel(b), b.customers]) : [])}
        ${chart('chart-new', 'New customers per month', 'the last 12 months', c.months.map(m => [m.month, m.newCustomers]))}
        ${chart('chart-revenue', 'New recurring revenue', 'per month', c.months.map(m => [m.month, moneyList(m.newRecurringRevenue)]))}
        ${chart('chart-churn', 'Churn rate', 'percent of subscribers lost per month', c.months.map(m => [m.month, m.churnRatePct + '%']))}
        ${chart('chart-segments', 'Segment sizes', 'customers per segment',
          SEGMENTS.map(([, label], i) => [label, segments[i].count + (segments[i].more ? '+' : '')]))}
        ${chart('chart-journeys', 'Journey stages', 'customers per lifecycle stage', Object.entries(journeys).map(([k, v]) => [k.replace(/_/g, ' '), v]))}
      </div>`;
  }

  return {
    title: 'Analytics',
    view: () => html`<h1>Analytics</h1>${figures.view(view, 'the analytics')}${nothing}`,
  };
}
