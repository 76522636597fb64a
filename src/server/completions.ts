/**
 * Suggestions for prompt arguments and resource template variables (MCP completion): reservation ids of
 * the guests waiting for a reply or by guest name, listings by name, recent months. They read through
 * the Hostaway client, so its rate budget and cache apply; a failure gives no suggestions rather than
 * an error (a suggestion is a convenience, and the request it helps with says what went wrong).
 */
import { conversationState } from '../domain/conversations.js';
import { LIVE_PHASES, stayPhase } from '../domain/stay-phase.js';
import { addDays, dateInZone } from '../hostaway/dates.js';
import { type ListingIndex, listingIndex, mainZone } from '../tools/listing-index.js';
import type { Runtime } from './runtime.js';

/** Recent conversations looked through for waiting guests: one page, cached by the client. */
const SCAN = 100;
/** Stays looked at for a guest name: one page. */
const NAME_PAGE = 100;

export interface Completers {
  /** Reservation ids: waiting guests' (longest wait first) for digits, stays of a guest for a name. */
  reservationIds(value: string): Promise<string[]>;
  /** Listing names matching what was typed (whole name or any word, from its start). */
  listingNames(value: string): Promise<string[]>;
  /** Listing ids: those starting with the digits typed, or of the listings named so. */
  listingIds(value: string): Promise<string[]>;
  /** YYYY-MM months, this one first and the eleven before it, matching what was typed. */
  months(value: string): Promise<string[]>;
}

/** Whether `name` starts with `typed`, or one of its words does (case and accents aside). */
export function namePrefixMatch(name: string, typed: string): boolean {
  const want = fold(typed.trim());
  if (!want) return true;
  const whole = fold(name);
  return whole.startsWith(want) || whole.split(/[\s\-–—,/()&]+/).some((w) => w.startsWith(want));
}

function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

export function completers(runtime: Runtime): Completers {
  // Completion requests carry no signal of their own: each gets the tool deadline.
  const signal = () => AbortSignal.timeout(runtime.config.toolDeadlineMs);
  const safely =
    <A extends unknown[]>(what: string, fn: (...args: A) => Promise<string[]>) =>
    async (...args: A): Promise<string[]> => {
      try {
        return await fn(...args);
      } catch (err) {
        runtime.logger.warn({ err: err instanceof Error ? err.message : String(err), what }, 'completion');
        return [];
      }
    };
  const index = () => listingIndex(runtime.client, signal());

  return {
    reservationIds: safely('reservation ids', async (value) => {
      const typed = value.trim();
      if (/^\d*$/.test(typed))
        return (await waitingReservations(runtime, await index(), signal())).filter((id) =>
          id.startsWith(typed),
        );
      const page = await runtime.client.reservations.list({ match: typed, limit: NAME_PAGE }, signal());
      return page.items
        .filter((r) => namePrefixMatch(r.guestName ?? '', typed))
        .sort((a, b) => (b.arrivalDate ?? '').localeCompare(a.arrivalDate ?? '') || b.id - a.id)
        .map((r) => String(r.id));
    }),
    listingNames: safely('listing names', async (value) => {
      const names = [...(await index()).values()].map((l) => l.name).filter((n) => namePrefixMatch(n, value));
      return [...new Set(names)].sort((a, b) => a.localeCompare(b));
    }),
    listingIds: safely('listing ids', async (value) => {
      const typed = value.trim();
      const all = [...(await index()).entries()].sort((a, b) => a[0] - b[0]);
      const hits = /^\d*$/.test(typed)
        ? all.filter(([id]) => String(id).startsWith(typed))
        : all.filter(([, l]) => namePrefixMatch(l.name, typed));
      return hits.map(([id]) => String(id));
    }),
    months: safely('months', async (value) => {
      const today = dateInZone(runtime.now(), mainZone(await index()));
      const months: string[] = [];
      let day = `${today.slice(0, 7)}-01`;
      for (let i = 0; i < 12; i++) {
        months.push(day.slice(0, 7));
        day = `${addDays(day, -1).slice(0, 7)}-01`;
      }
      return months.filter((m) => m.startsWith(value.trim()));
    }),
  };
}

/**
 * Reservation ids of the guests who wrote last on a live stay, among the most recent conversations,
 * longest wait first: whom the manager most likely wants to answer.
 */
async function waitingReservations(
  runtime: Runtime,
  index: ListingIndex,
  signal: AbortSignal,
): Promise<string[]> {
  const page = await runtime.client.conversations.list(
    { limit: SCAN, offset: 0, includeResources: true },
    signal,
  );
  const now = runtime.now();
  const waiting: Array<{ id: number; minutes: number }> = [];
  for (const c of page.items) {
    const state = conversationState(c, now);
    const r = c.Reservation;
    if (state.lastFrom !== 'guest' || !c.reservationId || !r) continue;
    const zone = index.get(c.listingMapId ?? r.listingMapId ?? 0)?.timeZone ?? 'UTC';
    if (!LIVE_PHASES.has(stayPhase(r.status, r.arrivalDate, r.departureDate, dateInZone(now, zone))))
      continue;
    waiting.push({ id: c.reservationId, minutes: state.waitingMinutes ?? 0 });
  }
  return waiting.sort((a, b) => b.minutes - a.minutes || a.id - b.id).map((w) => String(w.id));
}
