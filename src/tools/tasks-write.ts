/**
 * Creating a task through the two-step write protocol (see `src/writes/engine.ts`), and the time
 * arguments every task write shares. Times are taken in the listing's own zone and sent as Hostaway's
 * `YYYY-MM-DD HH:MM:SS` in UTC (`canStartFrom`, `shouldEndBy`).
 *
 * A POST is not idempotent: a lost answer is settled by listing the tasks of the same reservation (or
 * with the same title) and looking for one with the same title, listing and reservation whose id is
 * above the highest one seen just before sending.
 */
import * as z from 'zod';
import type { HostawayClient } from '../client/client.js';
import { formatDateTime, zonedTimeToUtc } from '../hostaway/dates.js';
import {
  BLOCKING_STATUSES,
  type Reservation,
  type ReservationStatus,
  TASK_STATUSES,
} from '../hostaway/schemas.js';
import { runWrite, type WriteSpec } from '../writes/engine.js';
import { defineTool, ToolInputError } from './define.js';
import { dateIn, listingIndex, mainZone } from './listing-index.js';
import { localTime, OPEN_TASK_STATUSES, walkTasks } from './tasks-read.js';
import { ADDS, ConfirmationId, PROTOCOL, renderWrite, writeOutput } from './write-kit.js';

/** A time argument: a date (or today, tomorrow, +N days) and an optional HH:MM, in the listing's zone. */
export const WhenArg = z
  .string()
  .regex(
    /^(\d{4}-\d{2}-\d{2}|today|tomorrow|yesterday|[+-]\d{1,4})( \d{2}:\d{2})?$/,
    "write the time as YYYY-MM-DD HH:MM in the listing's local time (or YYYY-MM-DD, today, tomorrow, +N days, with an optional HH:MM)",
  );

export interface When {
  /** Hostaway's wire form: `YYYY-MM-DD HH:MM:SS`, UTC. */
  utc: string;
  /** `YYYY-MM-DD HH:MM` in the zone. */
  local: string;
}

/** A time argument in `timeZone`; a date alone is 00:00, or 23:59 for a due time. */
export function whenArg(name: string, value: string, timeZone: string, now: number, endOfDay = false): When {
  const [day = '', clock] = value.split(' ');
  const date = dateIn(name, day, timeZone, now);
  const hour = clock ? Number(clock.slice(0, 2)) : endOfDay ? 23 : 0;
  const minute = clock ? Number(clock.slice(3, 5)) : endOfDay ? 59 : 0;
  if (hour > 23 || minute > 59)
    throw new ToolInputError(`${name} has no such time of day "${clock}": use 00:00 to 23:59.`);
  return atLocal(date, hour, minute, timeZone);
}

/** The instant of a local wall-clock time (fractional hours are exact to the millisecond once rounded). */
function atLocal(date: string, hour: number, minute: number, timeZone: string): When {
  const utc = formatDateTime(Math.round(zonedTimeToUtc(date, hour + minute / 60, timeZone)));
  return { utc, local: localTime(utc, timeZone) as string };
}

/** Same title, as a person reads it: case and spacing aside. */
function sameTitle(a: string, b: string): boolean {
  const norm = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase();
  return norm(a) === norm(b);
}

type Scope = { title: string; listingMapId?: number; reservationId?: number };

/**
 * The tasks a new one would sit among: those of its reservation (Hostaway's own filter), or those whose
 * text matches its title; and among them the ones with the same title, listing and reservation.
 */
async function scopeTasks(client: HostawayClient, scope: Scope, signal: AbortSignal) {
  const found = await walkTasks(
    client,
    scope.reservationId ? { reservationId: scope.reservationId } : { match: scope.title },
    signal,
    1_000,
  );
  const same = found.items.filter(
    (t) =>
      sameTitle(t.title, scope.title) &&
      (t.listingMapId ?? null) === (scope.listingMapId ?? null) &&
      (t.reservationId ?? null) === (scope.reservationId ?? null),
  );
  return { same, highestId: found.items.reduce((max, t) => Math.max(max, t.id), 0) };
}

const CreateInput = z
  .object({
    title: z.string().trim().min(1).max(255),
    description: z.string().trim().min(1).max(5_000).optional(),
    listingId: z.number().int().min(1).optional(),
    reservationId: z.number().int().min(1).optional(),
    afterCheckoutOf: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe(
        "a reservation id: the task is for that stay's listing, starts at its check-out (departure date, check-out hour) and is due by the next arrival at that listing, if one is booked",
      ),
    assigneeUserId: z.number().int().min(1).optional().describe('the Hostaway user who does it'),
    start: WhenArg.optional().describe("can start from: YYYY-MM-DD HH:MM, the listing's local time"),
    due: WhenArg.optional().describe("should end by: YYYY-MM-DD HH:MM, the listing's local time"),
    priority: z.number().int().min(0).optional(),
    status: z.enum(TASK_STATUSES).optional().describe("Hostaway's default is pending"),
    confirmationId: ConfirmationId,
  })
  .strict();
type CreateArgs = z.output<typeof CreateInput>;

const CreatePreview = z.object({
  title: z.string(),
  description: z.string().nullable(),
  listingId: z.number().int().nullable(),
  listing: z.string().nullable(),
  reservationId: z.number().int().nullable(),
  guest: z.string().nullable(),
  start: z.string().nullable().describe('YYYY-MM-DD HH:MM in timeZone'),
  due: z.string().nullable().describe('YYYY-MM-DD HH:MM in timeZone'),
  timeZone: z.string(),
  assigneeUserId: z.number().int().nullable(),
  priority: z.number().int().nullable(),
  status: z.string().nullable(),
  derivedFrom: z.string().nullable().describe('how afterCheckoutOf set the listing and the times'),
  warnings: z.array(z.string()),
  body: z.record(z.string(), z.unknown()).describe('exactly what is sent to Hostaway (times in UTC)'),
});
type CreatePreview = z.infer<typeof CreatePreview>;

const CreateResult = z.object({ taskId: z.number().int() });

type TaskBody = {
  title: string;
  description?: string;
  listingMapId?: number;
  reservationId?: number;
  assigneeUserId?: number;
  canStartFrom?: string;
  shouldEndBy?: string;
  priority?: number;
  status?: string;
};
type CreatePayload = { body: TaskBody };
type CreateSnapshot = { highestId: number };

/** The listing's next booked arrival on or after `from`, other than `except`. */
async function nextArrival(
  client: HostawayClient,
  listingId: number,
  from: string,
  except: number,
  signal: AbortSignal,
): Promise<Reservation | undefined> {
  const page = await client.reservations.list(
    { listingId, arrivalStartDate: from, sortOrder: 'arrivalDate', limit: 100 },
    signal,
  );
  return page.items
    .filter(
      (r) =>
        r.id !== except &&
        r.arrivalDate >= from &&
        BLOCKING_STATUSES.has(r.status as ReservationStatus) &&
        r.listingMapId === listingId,
    )
    .sort((a, b) => a.arrivalDate.localeCompare(b.arrivalDate) || a.id - b.id)[0];
}

const hh = (hour: number) => `${String(hour).padStart(2, '0')}:00`;

function createSpec(
  client: HostawayClient,
  now: () => number,
): WriteSpec<CreateArgs, CreatePayload, z.infer<typeof CreateResult>> {
  // The engine hands reconcile() the intent as claimed, before its snapshot was saved: keep our own.
  let taken: CreateSnapshot | undefined;
  return {
    tool: 'hostaway_create_task',
    idempotent: false,
    async plan(args, signal) {
      if (
        args.afterCheckoutOf !== undefined &&
        args.reservationId !== undefined &&
        args.reservationId !== args.afterCheckoutOf
      )
        throw new ToolInputError(
          `afterCheckoutOf (${args.afterCheckoutOf}) and reservationId (${args.reservationId}) name different reservations: give one.`,
        );
      const reservationId = args.afterCheckoutOf ?? args.reservationId;
      const stay = reservationId ? await client.reservations.get(reservationId, signal) : undefined;
      const listingId = args.listingId ?? stay?.listingMapId;
      const listing = listingId ? await client.listings.get(listingId, signal) : undefined;
      const index = await listingIndex(client, signal);
      // A conflict with what Hostaway holds: shown in a preview that cannot be confirmed.
      const blockers =
        stay && listing && stay.listingMapId !== listing.id
          ? [
              `reservation ${stay.id} is at ${index.get(stay.listingMapId)?.name ?? 'another listing'} (listing ${stay.listingMapId}), not at listing ${listing.id}: leave listingId out, or pick the right reservation`,
            ]
          : undefined;
      const zone = listing ? listing.timeZoneName || 'UTC' : mainZone(index);
      const at = now();
      const warnings: string[] = [];
      let start = args.start ? whenArg('start', args.start, zone, at) : undefined;
      let due = args.due ? whenArg('due', args.due, zone, at, true) : undefined;
      let derivedFrom: string | null = null;
      if (args.afterCheckoutOf && stay && listing) {
        const parts: string[] = [];
        if (!BLOCKING_STATUSES.has(stay.status as ReservationStatus))
          warnings.push(
            `reservation ${stay.id} is ${stay.status}: check that the stay and its check-out happen`,
          );
        const outHour = stay.checkOutTime ?? listing.checkOutTime;
        if (!start) {
          if (outHour == null)
            throw new ToolInputError(
              `Neither reservation ${stay.id} nor its listing gives a check-out hour: pass start (YYYY-MM-DD HH:MM).`,
            );
          start = atLocal(stay.departureDate, outHour, 0, zone);
          parts.push(
            `start: check-out of reservation ${stay.id} (${stay.guestName ?? 'guest'}) on ${stay.departureDate} at ${hh(outHour)}`,
          );
        }
        if (!due) {
          const next = await nextArrival(client, listing.id, stay.departureDate, stay.id, signal);
          if (next) {
            const inHour = next.checkInTime ?? listing.checkInTimeStart;
            if (inHour == null)
              warnings.push(`the next arrival's check-in hour is not known: due at the start of its day`);
            due = atLocal(next.arrivalDate, inHour ?? 0, 0, zone);
            parts.push(
              `due: next arrival, reservation ${next.id} (${next.guestName ?? 'guest'}) on ${next.arrivalDate}${inHour == null ? '' : ` at ${hh(inHour)}`}`,
            );
          } else parts.push('no later arrival is booked at this listing: no due time');
        }
        derivedFrom = parts.join('; ') || null;
      }
      if (start && due && due.utc < start.utc)
        throw new ToolInputError(`The due time (${due.local}) is before the start (${start.local}).`);
      const body: TaskBody = clean({
        title: args.title,
        description: args.description,
        listingMapId: listingId,
        reservationId,
        assigneeUserId: args.assigneeUserId,
        canStartFrom: start?.utc,
        shouldEndBy: due?.utc,
        priority: args.priority,
        status: args.status,
      });
      // Fresh, not the cached list: a task added a moment ago elsewhere is the duplicate to warn of.
      client.forget('tasks');
      const { same } = await scopeTasks(client, body, signal);
      for (const t of same.filter((x) => OPEN_TASK_STATUSES.includes(x.status ?? '')))
        warnings.push(
          `an open task with the same title already exists for this ${reservationId ? 'reservation' : 'listing'}: #${t.id} (${t.status}${t.canStartFrom ? `, starts ${localTime(t.canStartFrom, zone)}` : ''})`,
        );
      const listingName = listing?.name ?? null;
      const preview: CreatePreview = {
        title: body.title,
        description: body.description ?? null,
        listingId: listingId ?? null,
        listing: listingName,
        reservationId: reservationId ?? null,
        guest: stay?.guestName ?? null,
        start: start?.local ?? null,
        due: due?.local ?? null,
        timeZone: zone,
        assigneeUserId: body.assigneeUserId ?? null,
        priority: body.priority ?? null,
        status: body.status ?? null,
        derivedFrom,
        warnings,
        body,
      };
      const where = [listingName, reservationId ? `reservation ${reservationId}` : null].filter(Boolean);
      return {
        target: `new task "${body.title}"${where.length ? ` (${where.join(', ')})` : ''}`,
        payload: { body },
        preview,
        summary: `Create task "${body.title}"${listingName ? ` at ${listingName}` : ''}${start ? `, from ${start.local}` : ''}${due ? `, due ${due.local}` : ''} (${zone}).`,
        blockers,
      };
    },
    async snapshot(payload, signal) {
      client.forget('tasks');
      const { highestId } = await scopeTasks(client, payload.body, signal);
      taken = { highestId };
      return taken;
    },
    async commit(payload, _snapshot, signal) {
      const created = await client.tasks.create(payload.body, signal);
      return { taskId: created.id };
    },
    async reconcile(payload, intent, signal) {
      const before = (intent.snapshot as CreateSnapshot | null) ?? taken;
      // Without a snapshot nothing was sent: the snapshot is taken (and saved) before the POST.
      if (!before) return { took: false };
      client.forget('tasks');
      const { same } = await scopeTasks(client, payload.body, signal);
      const found = same.filter((t) => t.id > before.highestId).sort((a, b) => a.id - b.id)[0];
      return found ? { took: true, result: { taskId: found.id } } : { took: false };
    },
  };
}

/** Drops the fields left out, so that the stored payload is exactly what is sent. */
function clean<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

const CreateOutput = writeOutput(CreatePreview, CreateResult);

export const createTask = defineTool({
  name: 'hostaway_create_task',
  title: 'Create a task',
  description: `Creates a task (a cleaning, a repair, a check-in...) for a listing and/or a reservation, with an optional assignee (Hostaway user id), start ("can start from") and due time ("should end by"), priority and status. Times are the listing's local time, YYYY-MM-DD HH:MM (a date alone: 00:00 for start, 23:59 for due; without a listing, the zone most listings use); they are sent to Hostaway in UTC. afterCheckoutOf: reservationId fills the listing, the start (that stay's check-out) and the due time (the next booked arrival there), e.g. "send the cleaner after Friday's check-out". ${PROTOCOL} The preview shows the listing, the times, how they were worked out, the exact body sent, and warns about an open task with the same title for the same listing and reservation.`,
  toolset: 'tasks',
  input: CreateInput,
  output: CreateOutput,
  annotations: ADDS,
  handler: async (args, ctx) =>
    runWrite(createSpec(ctx.client, ctx.now), args, ctx.writes, ctx.signal) as Promise<
      z.output<typeof CreateOutput>
    >,
  render: (o) => {
    const p = o.preview;
    return renderWrite(
      o,
      [
        `Task "${p.title}"${p.listing ? ` at ${p.listing} (#${p.listingId})` : ''}${p.reservationId ? `, reservation ${p.reservationId}${p.guest ? ` (${p.guest})` : ''}` : ''}`,
        `start ${p.start ?? 'not set'}, due ${p.due ?? 'not set'} (${p.timeZone})`,
        p.derivedFrom ? `worked out: ${p.derivedFrom}` : '',
        [
          p.assigneeUserId ? `assignee user ${p.assigneeUserId}` : 'unassigned',
          p.priority !== null ? `priority ${p.priority}` : '',
          p.status ? `status ${p.status}` : '',
        ]
          .filter(Boolean)
          .join(', '),
        p.description ? `description: ${p.description}` : '',
        p.warnings.length ? `Warnings: ${p.warnings.join('; ')}` : '',
        `body: ${JSON.stringify(p.body)}`,
      ]
        .filter(Boolean)
        .join('\n'),
      (r) => `Task ${r.taskId} created.`,
    );
  },
});
