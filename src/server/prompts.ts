/**
 * Prompts: the manager's recurring jobs as ready instructions for the assistant. Each names the tool
 * calls to make, in order, and what to do with their answers; none carries account data of its own
 * (the tools fetch it when the assistant runs them). A prompt names only tools this server offers, as
 * configured (toolsets, read-only, writes), and is left out when none of the tools it needs is there.
 */
import { completable, type McpServer, ProtocolError, ProtocolErrorCode } from '@modelcontextprotocol/server';
import * as z from 'zod';
import { HostawayError } from '../client/errors.js';
import { isRelativeDate } from '../domain/relative-dates.js';
import { isIsoDate } from '../hostaway/dates.js';
import { DateArg } from '../tools/define.js';
import { listingIndex } from '../tools/listing-index.js';
import type { Completers } from './completions.js';
import {
  dailyBrief,
  type FoundListing,
  OPERATIONS_BRIEF,
  ownerReport,
  PORTFOLIO_METRICS,
  replyToGuest,
} from './prompt-texts.js';
import type { Runtime } from './runtime.js';

const say = (text: string) => ({
  messages: [{ role: 'user' as const, content: { type: 'text' as const, text } }],
});
export function registerPrompts(
  server: McpServer,
  runtime: Runtime,
  tools: ReadonlySet<string>,
  complete: Completers,
): void {
  const has = (name: string) => tools.has(name);

  if (has(OPERATIONS_BRIEF) || has('hostaway_search_reservations') || has('hostaway_list_conversations'))
    server.registerPrompt(
      'daily_brief',
      {
        title: 'Daily brief',
        description:
          "The manager's day in one go: arrivals, departures and turnovers, guests waiting for a reply, tasks due, as a short brief with the next steps. Optional date (YYYY-MM-DD, today, tomorrow, +N); today by default, each listing's own today.",
        argsSchema: z.object({
          date: DateArg.optional().describe(
            'the day to brief: YYYY-MM-DD, today, tomorrow or +N; today when left out',
          ),
        }),
      },
      ({ date }) => {
        if (date && !isRelativeDate(date) && !isIsoDate(date))
          throw new ProtocolError(
            ProtocolErrorCode.InvalidParams,
            `date "${date}" is not a real date (YYYY-MM-DD)`,
          );
        return say(dailyBrief(date ?? 'today', has));
      },
    );

  if (has('hostaway_get_conversation'))
    server.registerPrompt(
      'reply_to_guest',
      {
        title: 'Reply to a guest',
        description:
          "Reply to the guest of a reservation: read the conversation, pick fitting message templates, draft a reply, then send it only after the person approves the preview. Completes with the reservations of guests waiting for a reply, or of a guest's name.",
        argsSchema: z.object({
          reservationId: completable(
            z
              .string()
              .regex(/^\d{1,12}$/, 'a reservation id is a whole number, e.g. 1000001')
              .describe('the reservation whose guest to answer; type digits, or the start of the guest name'),
            (value) => complete.reservationIds(value ?? ''),
          ),
        }),
      },
      ({ reservationId }) => say(replyToGuest(Number(reservationId), has)),
    );

  if (has('hostaway_finance_report') || has(PORTFOLIO_METRICS))
    server.registerPrompt(
      'owner_monthly_report',
      {
        title: "Owner's monthly report",
        description:
          "A month's report for one listing's owner: revenue, stays, occupancy and what stood out, from the finance report and portfolio metrics. The listing by name (completes from the account's listings), the month as YYYY-MM.",
        argsSchema: z.object({
          listing: completable(
            z.string().trim().min(1).max(200).describe('the listing name, as in Hostaway (or its id)'),
            (value) => complete.listingNames(value ?? ''),
          ),
          month: completable(
            z
              .string()
              .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'write the month as YYYY-MM, e.g. 2026-10')
              .describe('the month, YYYY-MM'),
            (value) => complete.months(value ?? ''),
          ),
        }),
      },
      async ({ listing, month }, ctx) => {
        const found = await findListing(runtime, listing, ctx.mcpReq.signal);
        return say(ownerReport(found, month, has));
      },
    );
}

/** The listing a name means: the one so named (case aside), or the only one whose name contains it. */
async function findListing(runtime: Runtime, typed: string, signal: AbortSignal): Promise<FoundListing> {
  let index: Awaited<ReturnType<typeof listingIndex>>;
  try {
    index = await listingIndex(
      runtime.client,
      AbortSignal.any([signal, AbortSignal.timeout(runtime.config.toolDeadlineMs)]),
    );
  } catch (err) {
    throw new ProtocolError(
      ProtocolErrorCode.InternalError,
      err instanceof HostawayError ? err.message : 'reading the listings failed; see the server log',
    );
  }
  const want = typed.trim().toLowerCase();
  const all = [...index.entries()].map(([id, l]) => ({ id, name: l.name, timeZone: l.timeZone }));
  const byId = /^\d+$/.test(want) ? all.find((l) => l.id === Number(want)) : undefined;
  if (byId) return byId;
  const exact = all.filter((l) => l.name.toLowerCase() === want);
  const partial = all.filter((l) => l.name.toLowerCase().includes(want));
  const hits = exact.length ? exact : partial;
  if (hits.length === 1) return hits[0] as FoundListing;
  const shown = hits
    .slice(0, 5)
    .map((l) => `"${l.name}" (${l.id})`)
    .join(', ');
  throw new ProtocolError(
    ProtocolErrorCode.InvalidParams,
    hits.length
      ? `"${typed}" names ${hits.length} listings: ${shown}${hits.length > 5 ? ', ...' : ''}. Give the full name, or the listing id.`
      : `No listing is named "${typed}". Completion on the listing argument offers the names.`,
  );
}
