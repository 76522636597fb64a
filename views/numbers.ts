/**
 * The numbers: occupancy, ADR, RevPAR and revenue for a period (hostaway_portfolio_metrics), by month
 * and by listing, each as a chart with its table beside. The model's call gives one grouping; the view
 * asks the same tool for the other one with the model's other arguments unchanged, so that every
 * upstream read it needs is already in the cache.
 */
import type { PortfolioMetricsOut as PortfolioMetrics } from '../src/tools/metrics-schema.js';
import { callTool, h, money, percent, root, start, svg, type ToolAnswer, ToolFailed } from './lib/app.js';

type Metrics = PortfolioMetrics['total']['current'];
type Group = PortfolioMetrics['groups'][number];

const TOOL = 'hostaway_portfolio_metrics';
const W = 360;
const H = 150;

function tiles(
  m: Metrics,
  currency: string | null,
  vs: PortfolioMetrics['total']['vsPrevious'],
): HTMLElement {
  // The raw figure rides along as data-value: what the table and tiles round is checked unrounded.
  const tile = (label: string, value: string, id: string, raw: number | null, extra?: string) =>
    h(
      'div',
      { class: 'tile', 'data-metric': id, 'data-value': raw ?? 'null' },
      h('span', { class: 'muted' }, label),
      h('b', {}, value),
      extra ? h('span', { class: 'muted' }, extra) : null,
    );
  const change = (v: number | null | undefined, unit: string) =>
    v === null || v === undefined ? undefined : `${v >= 0 ? '+' : ''}${v}${unit} vs before`;
  return h(
    'div',
    { class: 'tiles' },
    tile(
      'Occupancy',
      percent(m.occupancyPercent),
      'occupancy',
      m.occupancyPercent,
      change(vs?.occupancyPoints, ' pts'),
    ),
    tile('ADR', money(m.adr, currency), 'adr', m.adr),
    tile('RevPAR', money(m.revpar, currency), 'revpar', m.revpar),
    tile('Revenue', money(m.revenue, currency), 'revenue', m.revenue, change(vs?.revenuePercent, '%')),
    tile('Nights sold', `${m.nightsSold} of ${m.nightsAvailable}`, 'nightsSold', m.nightsSold),
  );
}

/** Revenue as bars, occupancy as a line (0 to 100 %), one pair per group, in the groups' order. */
function chart(groups: Group[], label: string): SVGElement {
  const max = Math.max(1, ...groups.map((g) => g.current.revenue));
  const step = W / Math.max(1, groups.length);
  const bar = Math.max(2, step * 0.6);
  const points: string[] = [];
  const parts: SVGElement[] = [];
  groups.forEach((g, i) => {
    const x = i * step + (step - bar) / 2;
    const height = (g.current.revenue / max) * (H - 20);
    const rect = svg('rect', { class: 'rev', x, y: H - 14 - height, width: bar, height });
    rect.append(svg('title', {}, `${g.key}: ${g.current.revenue}`));
    parts.push(rect);
    if (g.current.occupancyPercent !== null)
      points.push(`${x + bar / 2},${H - 14 - (g.current.occupancyPercent / 100) * (H - 20)}`);
    if (groups.length <= 14)
      parts.push(svg('text', { x: x + bar / 2, y: H - 2, 'text-anchor': 'middle' }, short(g.key)));
  });
  if (points.length > 1) parts.push(svg('polyline', { class: 'occ', points: points.join(' ') }));
  return svg('svg', { viewBox: `0 0 ${W} ${H}`, width: '100%', role: 'img', 'aria-label': label }, ...parts);
}

const short = (key: string) =>
  /^\d{4}-\d{2}$/.test(key) ? key.slice(2) : key.length > 8 ? `${key.slice(0, 7)}…` : key;

function table(groups: Group[], currency: string | null, by: string): HTMLElement {
  return h(
    'table',
    { 'data-group-by': by },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', {}, by === 'month' ? 'Month' : 'Listing'),
        h('th', {}, 'Occ.'),
        h('th', {}, 'ADR'),
        h('th', {}, 'RevPAR'),
        h('th', {}, 'Revenue'),
      ),
    ),
    h(
      'tbody',
      {},
      ...groups.map((g) =>
        h(
          'tr',
          { 'data-key': g.key },
          h('td', {}, g.key),
          h(
            'td',
            { 'data-metric': 'occupancy', 'data-value': g.current.occupancyPercent ?? 'null' },
            percent(g.current.occupancyPercent),
          ),
          h(
            'td',
            { 'data-metric': 'adr', 'data-value': g.current.adr ?? 'null' },
            money(g.current.adr, currency),
          ),
          h(
            'td',
            { 'data-metric': 'revpar', 'data-value': g.current.revpar ?? 'null' },
            money(g.current.revpar, currency),
          ),
          h(
            'td',
            { 'data-metric': 'revenue', 'data-value': g.current.revenue ?? 'null' },
            money(g.current.revenue, currency),
          ),
        ),
      ),
    ),
  );
}

function section(title: string, by: string, m: PortfolioMetrics): HTMLElement {
  return h(
    'section',
    { 'data-section': by },
    h('h2', {}, title, h('span', { class: 'muted' }, ' · bars: revenue, line: occupancy (0–100 %)')),
    h(
      'div',
      { class: 'split' },
      chart(m.groups, title),
      h('div', { class: 'scroll' }, table(m.groups, m.currency, by)),
    ),
  );
}

async function render({ arguments: args, data }: ToolAnswer<PortfolioMetrics>): Promise<void> {
  const span = data.periods[0]?.current;
  const head = h('h1', {}, `Portfolio numbers ${span ? `${span.from} to ${span.to}` : ''}`);
  const sub = h(
    'p',
    { class: 'muted' },
    `${data.listings} listing(s); revenue is rent of the nights sold, before taxes and cleaning.${data.complete ? '' : ' Incomplete: see the notes.'}`,
  );
  const notes = data.notes.map((n) => h('p', { class: 'muted' }, n));
  const byMonth = h('div', {}, h('p', { class: 'muted' }, 'Loading by month…'));
  const byListing = h('div', {}, h('p', { class: 'muted' }, 'Loading by listing…'));
  root().replaceChildren(
    head,
    sub,
    tiles(data.total.current, data.currency, data.total.vsPrevious),
    byMonth,
    byListing,
    ...notes,
  );

  // The other grouping, for the same dates and listings, from the same tool.
  const ask = async (groupBy: 'month' | 'listing'): Promise<PortfolioMetrics> =>
    data.groupBy === groupBy
      ? data
      : callTool<PortfolioMetrics>(TOOL, {
          // The model's own arguments, the grouping aside: the same periods, comparisons and calendars
          // as the call just made, so every upstream read is in the cache and the call costs none (a
          // relative date also keeps meaning each listing's own day). Dates from the answer only when
          // the host gave no arguments.
          from: span?.from,
          to: span?.to,
          ...args,
          groupBy,
        });
  const fill = async (slot: HTMLElement, groupBy: 'month' | 'listing', title: string) => {
    try {
      slot.replaceChildren(section(title, groupBy, await ask(groupBy)));
    } catch (err) {
      slot.replaceChildren(h('p', { class: 'error' }, err instanceof ToolFailed ? err.message : String(err)));
    }
  };
  await fill(byMonth, 'month', 'By month');
  await fill(byListing, 'listing', 'By listing');
}

void start<PortfolioMetrics>('numbers', { render: (answer) => void render(answer) });
