/**
 * Tasks (cleanings, repairs, check-ins): the list tool, and what the task writes share with it. Hostaway
 * keeps a task's start (`canStartFrom`) and due time (`shouldEndBy`) as `YYYY-MM-DD HH:MM:SS` timestamps
 * in UTC, next to copies in the listing's zone (`...ListingTime`); tools show and take times in the
 * listing's own zone, worked out from the UTC ones (the copies go stale when a write changes only one).
 */
import * as z from 'zod';
import type { HostawayClient } from '../client/client.js';
import { checkRange } from '../domain/dates.js';
import { table } from '../domain/render.js';
import { dateInZone, parseDateTime, timeInZone } from '../hostaway/dates.js';
import type { TaskFilter } from '../hostaway/queries.js';
import { TASK_STATUSES, type Task } from '../hostaway/schemas.js';
import { DateArg, defineTool, READ_ONLY } from './define.js';
import { dateIn, type ListingIndex, listingIndex, mainZone } from './listing-index.js';

/** Statuses of a task still to be done. */
export const OPEN_TASK_STATUSES: readonly string[] = ['pending', 'confirmed', 'inProgress'];
/** How many tasks a server-side filter (the listing) looks through at most. */
const MAX_SCAN = 2_000;
const PAGE = 100;

/** A UTC wire timestamp as `YYYY-MM-DD HH:MM` in `timeZone`. */
export function localTime(utc: string | null | undefined, timeZone: string): string | null {
  if (!utc) return null;
  const ms = parseDateTime(utc);
  if (Number.isNaN(ms)) return utc;
  return `${dateInZone(ms, timeZone)} ${timeInZone(ms, timeZone)}`;
}

/**
 * The zone a task's times are read and written in: its listing's, or for a task of no (known) listing
 * the zone most listings use.
 */
export function taskZone(t: Pick<Task, 'listingMapId'>, index: ListingIndex): string {
  return (t.listingMapId && index.get(t.listingMapId)?.timeZone) || mainZone(index);
}

/** A task's start or due time as the listing reads it (the listing-time copy when there is no UTC one). */
function shown(utc: string | null | undefined, listingTime: string | null | undefined, zone: string) {
  return localTime(utc, zone) ?? listingTime?.slice(0, 16) ?? null;
}

export const TaskLine = z.object({
  id: z.number().int(),
  title: z.string(),
  listingId: z.number().int().nullable(),
  listing: z.string().nullable(),
  reservationId: z.number().int().nullable(),
  status: z.string().nullable(),
  start: z.string().nullable().describe('can start from, YYYY-MM-DD HH:MM in timeZone'),
  due: z.string().nullable().describe('should end by, YYYY-MM-DD HH:MM in timeZone'),
  timeZone: z
    .string()
    .describe("the listing's zone (for a task without a listing, the one most listings use)"),
  assigneeUserId: z.number().int().nullable(),
  priority: z.number().int().nullable(),
});
export type TaskLine = z.infer<typeof TaskLine>;

export function taskLine(t: Task, index: ListingIndex): TaskLine {
  const zone = taskZone(t, index);
  return {
    id: t.id,
    title: t.title,
    listingId: t.listingMapId ?? null,
    listing: t.listingMapId ? (index.get(t.listingMapId)?.name ?? null) : null,
    reservationId: t.reservationId ?? null,
    status: t.status ?? null,
    start: shown(t.canStartFrom, t.canStartFromListingTime, zone),
    due: shown(t.shouldEndBy, t.shouldEndByListingTime, zone),
    timeZone: zone,
    assigneeUserId: t.assigneeUserId ?? null,
    priority: t.priority ?? null,
  };
}

/** Every task matching Hostaway's filters, page by page, up to `max`. */
export async function walkTasks(
  client: HostawayClient,
  filter: TaskFilter,
  signal: AbortSignal,
  max = MAX_SCAN,
): Promise<{ items: Task[]; total: number | null; truncated: boolean }> {
  const items: Task[] = [];
  let total: number | null = null;
  for (let offset = 0; items.length < max; offset += PAGE) {
    const page = await client.tasks.list({ ...filter, limit: PAGE, offset }, signal);
    total ??= page.count;
    items.push(...page.items.slice(0, max - items.length));
    if (page.items.length < PAGE || (total !== null && offset + PAGE >= total)) break;
  }
  return { items, total, truncated: total !== null ? items.length < total : items.length >= max };
}

export const listTasks = defineTool({
  name: 'hostaway_list_tasks',
  title: 'List tasks',
  description: `Tasks (turnover cleanings, repairs, check-ins...) with Hostaway's documented filters: reservationId, status, text in the title or description (match), and date ranges on the start (canStartFromStart/canStartFromEnd) and the due time (shouldEndByStart/shouldEndByEnd), each YYYY-MM-DD or today, tomorrow, yesterday, +N/-N (read in the listing's zone when listingId is given, else in the zone most listings use); Hostaway compares them with the tasks' UTC times. listingId is applied by this server (the API has no listing filter): it looks through up to ${MAX_SCAN} tasks matching the other filters. One compact line per task: id, title, listing, reservation, status, start and due in the listing's local time, assignee user id, priority. Page with offset.`,
  toolset: 'tasks',
  input: z
    .object({
      listingId: z.number().int().min(1).optional(),
      reservationId: z.number().int().min(1).optional(),
      status: z.enum(TASK_STATUSES).optional(),
      match: z.string().trim().min(1).max(100).optional().describe('text in the title or description'),
      canStartFromStart: DateArg.optional().describe('start on or after this date'),
      canStartFromEnd: DateArg.optional().describe('start on or before this date'),
      shouldEndByStart: DateArg.optional().describe('due on or after this date'),
      shouldEndByEnd: DateArg.optional().describe('due on or before this date'),
      limit: z.number().int().min(1).max(100).default(20),
      offset: z.number().int().min(0).max(10_000).default(0),
    })
    .strict(),
  output: z.object({
    tasks: z.array(TaskLine),
    total: z.number().int().nullable().describe('tasks matching every filter'),
    nextOffset: z.number().int().nullable(),
    note: z.string().nullable(),
  }),
  annotations: READ_ONLY,
  handler: async (args, ctx) => {
    const index = await listingIndex(ctx.client, ctx.signal);
    const zone = (args.listingId && index.get(args.listingId)?.timeZone) || mainZone(index);
    const now = ctx.now();
    const day = (name: string, value: string | undefined) => value && dateIn(name, value, zone, now);
    const filter: TaskFilter = {
      reservationId: args.reservationId,
      status: args.status,
      match: args.match,
      canStartFromStart: day('canStartFromStart', args.canStartFromStart),
      canStartFromEnd: day('canStartFromEnd', args.canStartFromEnd),
      shouldEndByStart: day('shouldEndByStart', args.shouldEndByStart),
      shouldEndByEnd: day('shouldEndByEnd', args.shouldEndByEnd),
    };
    for (const [a, b] of [
      ['canStartFromStart', 'canStartFromEnd'],
      ['shouldEndByStart', 'shouldEndByEnd'],
    ] as const) {
      const start = filter[a];
      const end = filter[b];
      if (start && end) checkRange(a, start, b, end, 3 * 366);
    }
    if (args.listingId === undefined) {
      const page = await ctx.client.tasks.list(
        { ...filter, limit: args.limit, offset: args.offset },
        ctx.signal,
      );
      const total = page.count;
      const next = args.offset + page.items.length;
      return {
        tasks: page.items.map((t) => taskLine(t, index)),
        total,
        nextOffset: page.items.length === args.limit && (total === null || next < total) ? next : null,
        note: null,
      };
    }
    const scanned = await walkTasks(ctx.client, filter, ctx.signal);
    const kept = scanned.items.filter((t) => t.listingMapId === args.listingId);
    const slice = kept.slice(args.offset, args.offset + args.limit);
    return {
      tasks: slice.map((t) => taskLine(t, index)),
      total: scanned.truncated ? null : kept.length,
      nextOffset: args.offset + args.limit < kept.length ? args.offset + args.limit : null,
      note: `listing filtered by this server over ${scanned.items.length} task(s) matching the other filters${scanned.truncated ? ` (of ${scanned.total ?? 'more'}: narrow the dates or status to see them all)` : ''}`,
    };
  },
  render: (o) =>
    `${o.tasks.length} task(s)${o.total !== null ? ` of ${o.total}` : ''}${o.nextOffset !== null ? `; next page: offset=${o.nextOffset}` : ''}${o.note ? `\nnote: ${o.note}` : ''}\n${table(o.tasks, ['id', 'title', 'listingId', 'listing', 'reservationId', 'status', 'start', 'due', 'timeZone', 'assigneeUserId', 'priority'])}`,
});
