/**
 * Changing a listing's calendar through the two-step write protocol: block or open days, set the nightly
 * price, the minimum or maximum stay, or the day's note, over one or more date ranges. The preview shows
 * each day before and after; a night held by a stay never has its availability changed. The days are
 * kept just before the write (for hostaway_undo_change) and read back after it.
 */
import * as z from 'zod';
import type { HostawayClient } from '../client/client.js';
import {
  dates,
  differing,
  fieldsOf,
  heldNightBlockers,
  inWords,
  mergeRanges,
  pick,
  runs,
  spanOf,
  toBody,
  type Values,
} from '../domain/calendar-change.js';
import { checkRange } from '../domain/dates.js';
import { dateInZone } from '../hostaway/dates.js';
import { runWrite, type WriteSpec } from '../writes/engine.js';
import {
  type CalendarPayload,
  CalendarResult,
  calendarCommit,
  calendarReconcile,
  calendarSnapshot,
  type Row,
  rowsOf,
  ValuesOut,
} from './calendar-days.js';
import { DateArg, defineTool, ToolInputError } from './define.js';
import { dateIn } from './listing-index.js';
import { ConfirmationId, OVERWRITES, PROTOCOL, renderWrite, writeOutput } from './write-kit.js';

/** One calendar read covers the change (Hostaway's calendar reads, like the read tool, span a year). */
const MAX_SPAN_DAYS = 366;
const MAX_RANGES = 50;
/** Hostaway gives no limit for a day's note; a longer one is surely a mistake. */
const MAX_NOTE_CHARS = 1_000;

const Range = z
  .object({
    startDate: DateArg.describe('first day: YYYY-MM-DD, or today, tomorrow, +N in the listing zone'),
    endDate: DateArg.describe('last day, included'),
  })
  .strict();

const SetValues = z
  .object({
    available: z.boolean().optional().describe('false blocks the days (closed for booking), true opens them'),
    price: z.number().positive().optional().describe('nightly price, in the listing currency'),
    minimumStay: z.number().int().min(1).optional().describe('minimum nights'),
    maximumStay: z.number().int().min(1).optional().describe('maximum nights'),
    note: z.string().max(MAX_NOTE_CHARS).optional().describe('the note on each day; "" clears it'),
  })
  .strict();

const UpdateInput = z
  .object({
    listingId: z.number().int().min(1),
    ranges: z
      .array(Range)
      .min(1)
      .max(MAX_RANGES)
      .describe('the days to change: ranges within one year of each other; overlapping ones are joined'),
    set: SetValues.describe('the values every day of the ranges takes: at least one'),
    confirmationId: ConfirmationId,
  })
  .strict();
type UpdateArgs = z.output<typeof UpdateInput>;

const UpdatePreview = z.object({
  listing: z.object({ id: z.number().int(), name: z.string(), timeZone: z.string() }),
  today: z.string().describe("today in the listing's time zone"),
  ranges: z
    .array(z.object({ startDate: z.string(), endDate: z.string() }))
    .describe('the days covered, both ends included'),
  set: ValuesOut,
  daysChanged: z.number().int(),
  daysUnchanged: z.number().int().describe('days that already hold these values'),
  changes: z
    .array(
      z.object({
        from: z.string(),
        to: z.string(),
        days: z.number().int(),
        before: ValuesOut,
        after: ValuesOut,
      }),
    )
    .describe('runs of consecutive days that change alike'),
  warnings: z.array(z.string()),
});
type UpdatePreview = z.infer<typeof UpdatePreview>;

function updateSpec(
  client: HostawayClient,
  now: () => number,
): WriteSpec<UpdateArgs, CalendarPayload, CalendarResult> {
  return {
    tool: 'hostaway_update_calendar',
    // A PUT of the same values: repeating it is harmless.
    idempotent: true,
    async plan(args, signal) {
      const set = valuesOf(args.set);
      const fields = fieldsOf(set);
      if (fields.length === 0)
        throw new ToolInputError(
          'set must hold at least one of available, price, minimumStay, maximumStay or note.',
        );
      if (set.minimumStay != null && set.maximumStay != null && set.minimumStay > set.maximumStay)
        throw new ToolInputError(
          `set.minimumStay (${set.minimumStay}) is more than set.maximumStay (${set.maximumStay}).`,
        );
      const listing = await client.listings.get(args.listingId, signal);
      const zone = listing.timeZoneName || 'UTC';
      const today = dateInZone(now(), zone);
      const ranges = mergeRanges(
        args.ranges.map((r, i) => {
          const startDate = dateIn(`ranges[${i}].startDate`, r.startDate, zone, now());
          const endDate = dateIn(`ranges[${i}].endDate`, r.endDate, zone, now());
          checkRange(`ranges[${i}].startDate`, startDate, `ranges[${i}].endDate`, endDate, MAX_SPAN_DAYS - 1);
          if (startDate < today)
            throw new ToolInputError(
              `ranges[${i}].startDate (${startDate}) is before today in ${listing.name}'s time zone (${today}, ${zone}): this tool changes today and later only.`,
            );
          return { startDate, endDate };
        }),
      );
      const span = spanOf(ranges);
      checkRange('the first startDate', span.from, 'the last endDate', span.to, MAX_SPAN_DAYS - 1);
      const intervals = ranges.map((r) => toBody(r.startDate, r.endDate, set));
      const rows = await rowsOf(client, listing.id, intervals, signal);
      const changed = rows.filter((r) => differing(r.day, r.want).length > 0);
      const blockers = heldNightBlockers(rows);
      if (set.available !== undefined && rows.some((r) => r.day.multiUnit))
        blockers.push(
          `${listing.name} is a multi-unit listing: Hostaway blocks its days through the number of units to sell (desiredUnitsToSell), which this tool does not set; change its price, stays or note only`,
        );
      if (changed.length === 0)
        blockers.push(`every day of the ranges already holds ${inWords(set)}: there is nothing to change`);
      const preview: UpdatePreview = {
        listing: { id: listing.id, name: listing.name, timeZone: zone },
        today,
        ranges,
        set,
        daysChanged: changed.length,
        daysUnchanged: rows.length - changed.length,
        changes: runs(changed, (r) => JSON.stringify(pick(r.day, fields))).map((run) => ({
          from: run.from,
          to: run.to,
          days: run.days,
          before: pick(run.first.day, fields),
          after: set,
        })),
        warnings: warningsFor(set, changed),
      };
      const covered = ranges.map((r) => dates(r.startDate, r.endDate)).join(', ');
      return {
        target: `calendar of listing ${listing.id} (${listing.name}), ${covered}`,
        payload: { kind: 'calendar', listingId: listing.id, listing: listing.name, intervals },
        preview,
        summary: `${listing.name}: set ${inWords(set)} on ${changed.length} day(s) of ${covered}.`,
        blockers: blockers.length ? blockers : undefined,
      };
    },
    snapshot: (payload, signal) => calendarSnapshot(client, payload, signal),
    commit: (payload, snapshot, signal) => calendarCommit(client, payload, snapshot, signal),
    reconcile: (payload, intent, signal) => calendarReconcile(client, payload, intent, signal),
  };
}

/** The values given, without the ones left out. */
function valuesOf(set: UpdateArgs['set']): Values {
  const out: Values = {};
  for (const [k, v] of Object.entries(set)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

/** What is allowed but likely a slip: a stay limit the day's other limit contradicts, a price far off. */
function warningsFor(set: Values, changed: readonly Row[]): string[] {
  const warnings: string[] = [];
  if (set.minimumStay != null && set.maximumStay === undefined) {
    const below = changed.filter(
      (r) => r.day.maximumStay !== null && r.day.maximumStay < (set.minimumStay ?? 0),
    );
    if (below.length)
      warnings.push(
        `minimumStay ${set.minimumStay} is more than the maximum stay of ${below.length} day(s) (first ${below[0]?.date}: ${below[0]?.day.maximumStay})`,
      );
  }
  if (set.maximumStay != null && set.minimumStay === undefined) {
    const above = changed.filter(
      (r) => r.day.minimumStay !== null && r.day.minimumStay > (set.maximumStay ?? 0),
    );
    if (above.length)
      warnings.push(
        `maximumStay ${set.maximumStay} is less than the minimum stay of ${above.length} day(s) (first ${above[0]?.date}: ${above[0]?.day.minimumStay})`,
      );
  }
  const prices = changed.map((r) => r.day.price).filter((p): p is number => p !== null && p > 0);
  if (set.price != null && prices.length) {
    const average = prices.reduce((a, b) => a + b, 0) / prices.length;
    if (set.price < average / 3 || set.price > average * 3)
      warnings.push(
        `price ${set.price} is far from these days' current average of ${Math.round(average)}: check it is per night and in the listing currency`,
      );
  }
  return warnings;
}

const UpdateOutput = writeOutput(UpdatePreview, CalendarResult);

export const updateCalendar = defineTool({
  name: 'hostaway_update_calendar',
  title: "Update a listing's calendar",
  description: `Changes days of one listing's calendar: block them (set.available false) or open them (true), or set their nightly price, minimum or maximum stay, or note. ranges: one or more date ranges (both ends included; YYYY-MM-DD, or today, tomorrow, +N in the listing's time zone); every day takes the same values. ${PROTOCOL} The preview shows each day before and after (runs of days alike) and how many days already hold the values. A night held by a reservation never has its availability changed: such a change is blocked and the reservation named. After the commit every day is read back and any day that did not take is listed. hostaway_undo_change with the changeId restores the days as they were.`,
  toolset: 'calendar',
  input: UpdateInput,
  output: UpdateOutput,
  annotations: OVERWRITES,
  handler: async (args, ctx) =>
    runWrite(updateSpec(ctx.client, ctx.now), args, ctx.writes, ctx.signal) as Promise<
      z.output<typeof UpdateOutput>
    >,
  render: (o) => {
    const p = o.preview;
    const lines = [
      `${p.listing.name} (#${p.listing.id}, ${p.listing.timeZone}, today ${p.today}): set ${inWords(p.set)}; ${p.daysChanged} day(s) change, ${p.daysUnchanged} already as asked`,
      ...p.changes.map(
        (c) =>
          `${dates(c.from, c.to)}${c.days > 1 ? ` (${c.days} days)` : ''}: ${inWords(c.before)} -> ${inWords(c.after)}`,
      ),
      ...(p.warnings.length ? [`Warnings: ${p.warnings.join('; ')}`] : []),
    ];
    return renderWrite(o, lines.join('\n'), resultText);
  },
});

/** The read-back, in words. */
export function resultText(r: CalendarResult): string {
  if (r.readBackError)
    return `Sent; reading the days back failed (${r.readBackError}): check them with hostaway_get_availability.`;
  if (r.verified) return `Verified: every day read back with the values sent (${r.daysChanged} changed).`;
  return `Sent, but ${r.notApplied.length} day(s) read back without the values sent: ${r.notApplied
    .slice(0, 20)
    .map((m) => `${m.date} (expected ${inWords(m.expected)}; found ${inWords(m.found)})`)
    .join(', ')}${r.notApplied.length > 20 ? ', ...' : ''}.`;
}
