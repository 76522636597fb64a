/**
 * The availability calendar: listings down, days across (hostaway_availability_calendar). Each day is
 * free (with its price and minimum stay), reserved (with the guest and channel), pending or blocked; a
 * listing's today is outlined on its own row, in its own time zone. The arrows ask the same tool for the
 * month before or after, and "More listings" adds the next page of listings under those shown.
 */
import type { AvailabilityCalendarOut as Grid } from '../src/tools/availability-calendar-schema.js';
import { callTool, h, on, root, sameAccount, start, type ToolAnswer, ToolFailed } from './lib/app.js';

const TOOL = 'hostaway_availability_calendar';
const WEEKDAY = ['Su', 'Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa'];

const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();

/** Every date from `from` to `to`, both included. */
function datesFrom(from: string, to: string): string[] {
  const out: string[] = [];
  for (
    let d = new Date(`${from}T00:00:00Z`);
    d.toISOString().slice(0, 10) <= to;
    d.setUTCDate(d.getUTCDate() + 1)
  )
    out.push(d.toISOString().slice(0, 10));
  return out;
}

/** YYYY-MM of the month `delta` months from the one `date` falls in. */
function monthFrom(date: string, delta: number): string {
  const d = new Date(`${date.slice(0, 7)}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + delta);
  return d.toISOString().slice(0, 7);
}

const initials = (name: string | null) =>
  (name ?? '?')
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]?.toUpperCase())
    .join('');

/**
 * Asks the tool and draws its answer. With `below`, the answer is the next page of listings for the same
 * days: it is drawn under the rows already shown, which keep their place (and the first page's arguments).
 */
async function go(args: Record<string, unknown>, below?: ToolAnswer<Grid>): Promise<void> {
  const status = document.getElementById('status');
  if (status) status.textContent = 'Loading…';
  try {
    const data = await callTool<Grid>(TOOL, args);
    render(
      below ? { arguments: below.arguments, data: appended(below.data, data) } : { arguments: args, data },
    );
  } catch (err) {
    if (status) status.textContent = err instanceof ToolFailed ? err.message : String(err);
  }
}

/** The rows shown, then the next page's; a stay both pages name is listed once. */
function appended(shown: Grid, next: Grid): Grid {
  const seen = new Set(shown.reservations.map((r) => r.id));
  return {
    ...next,
    listings: [...shown.listings, ...next.listings],
    reservations: [...shown.reservations, ...next.reservations.filter((r) => !seen.has(r.id))],
  };
}

function render(answer: ToolAnswer<Grid>): void {
  const { arguments: args, data } = answer;
  const booked = new Map(data.reservations.map((r) => [r.id, r]));
  // Columns from the range itself: a listing whose calendar lacks a day gets an empty cell there, and
  // the other days stay under their own dates.
  const dates = datesFrom(data.startDate, data.endDate);
  const scope = {
    ...sameAccount(args),
    ...(args.listingIds ? { listingIds: args.listingIds } : {}),
    ...(args.limit ? { limit: args.limit } : {}),
  };
  const offset = typeof args.offset === 'number' ? args.offset : 0;
  const shown = data.listings.length;

  const nav = h(
    'div',
    { class: 'bar' },
    on(
      h('button', { 'aria-label': 'Previous month' }, '‹'),
      'click',
      () => void go({ ...scope, month: monthFrom(data.startDate, -1) }),
    ),
    h('strong', {}, `${data.startDate} to ${data.endDate}`),
    on(
      h('button', { 'aria-label': 'Next month' }, '›'),
      'click',
      () => void go({ ...scope, month: monthFrom(data.startDate, 1) }),
    ),
    h(
      'span',
      { class: 'muted' },
      shown ? `listings ${offset + 1}–${offset + shown} of ${data.total}` : 'no listings',
    ),
    data.nextOffset !== null
      ? on(
          h('button', {}, 'More listings'),
          'click',
          () =>
            void go(
              { ...scope, startDate: data.startDate, endDate: data.endDate, offset: data.nextOffset },
              answer,
            ),
        )
      : null,
    h('span', { id: 'status', class: 'muted', role: 'status' }),
  );

  const head = h(
    'tr',
    {},
    h('th', { class: 'listing' }, 'Listing'),
    ...dates.map((d) =>
      h(
        'th',
        { class: weekday(d) % 6 === 0 ? 'wknd' : undefined },
        `${WEEKDAY[weekday(d)]} ${Number(d.slice(8))}`,
      ),
    ),
  );
  const rows = data.listings.map((l) => {
    const byDate = new Map(l.days.map((d) => [d.date, d]));
    return h(
      'tr',
      { 'data-listing': l.id },
      h('td', { class: 'listing', title: `${l.name} (#${l.id}), ${l.timeZone}, today ${l.today}` }, l.name),
      ...dates.map((date) => {
        const d = byDate.get(date);
        if (!d)
          return h('td', { class: 'day', 'data-date': date, title: `${date}: not in the calendar` }, '?');
        const r = d.reservationId === null ? undefined : booked.get(d.reservationId);
        const tip =
          d.state === 'free'
            ? `${d.date}: free${d.price !== null ? `, ${d.price}` : ''}${d.minStay ? `, min ${d.minStay} nights` : ''}`
            : `${d.date}: ${d.state}${r ? ` · ${r.guest ?? 'guest'} · ${r.channel ?? ''} · ${r.arrival} → ${r.departure}` : ''}`;
        return h(
          'td',
          {
            class: `day ${d.state}${d.date === l.today ? ' today' : ''}`,
            'data-date': d.date,
            'data-state': d.state,
            'data-reservation': d.reservationId ?? undefined,
            title: tip,
          },
          d.state === 'free' ? String(d.price ?? '') : r ? initials(r.guest) : '',
          d.state === 'free' && d.minStay && d.minStay > 1 ? h('br') : null,
          d.state === 'free' && d.minStay && d.minStay > 1 ? `${d.minStay}n` : null,
        );
      }),
    );
  });

  const legend = h(
    'p',
    { class: 'legend grid' },
    h('span', { class: 'free' }, 'free: price, min nights'),
    h('span', { class: 'reserved' }, 'reserved'),
    h('span', { class: 'pending' }, 'pending'),
    h('span', { class: 'blocked' }, 'blocked'),
    h('span', { class: 'today' }, "listing's today"),
  );
  const stays = data.reservations.length
    ? h(
        'table',
        { class: 'list', 'data-testid': 'reservations' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...['Guest', 'Channel', 'Arrival', 'Departure', 'Listing', 'Status'].map((t) => h('th', {}, t)),
          ),
        ),
        h(
          'tbody',
          {},
          ...data.reservations.map((r) =>
            h(
              'tr',
              { 'data-reservation': r.id },
              h('td', {}, r.guest ?? '–'),
              h('td', {}, r.channel ?? '–'),
              h('td', {}, r.arrival ?? '–'),
              h('td', {}, r.departure ?? '–'),
              h('td', {}, data.listings.find((l) => l.id === r.listingId)?.name ?? `#${r.listingId}`),
              h('td', {}, r.status ?? '–'),
            ),
          ),
        ),
      )
    : h('p', { class: 'muted' }, 'No reservations in these days.');

  root().replaceChildren(
    h('h1', {}, 'Availability'),
    nav,
    h(
      'div',
      { class: 'scroll' },
      h('table', { class: 'grid' }, h('thead', {}, head), h('tbody', {}, ...rows)),
    ),
    legend,
    h('h2', {}, 'Reservations'),
    stays,
  );
}

void start<Grid>('calendar', { render });
