import * as z from 'zod';
import { fields } from '../domain/render.js';
import { dateInZone, timeInZone } from '../hostaway/dates.js';
import { defineTool, READ_ONLY } from './define.js';

export const connectionStatus = defineTool({
  name: 'hostaway_connection_status',
  title: 'Connection status',
  description:
    "Checks how this server is connected to Hostaway and proves it: live account working, live account failing (with the reason), or the built-in demo sandbox; the current date and time in each time zone the account's listings use (a listing's \"today\" is in its own zone); the access token state (never the token), how much of Hostaway's rate budget is left, cache use, and whether writes are switched off. Use it first when something fails, or to learn today's date where a listing is.",
  toolset: 'account',
  input: z.object({}).strict(),
  output: z.object({
    mode: z
      .enum(['live', 'sandbox'])
      .describe('sandbox = demo data from the built-in Hostaway sandbox, not a real account'),
    connection: z
      .object({
        state: z
          .enum(['live-ok', 'live-failing', 'demo'])
          .describe(
            'live-ok: a token and a request just worked; live-failing: see reason; demo: the sandbox',
          ),
        reason: z.string().nullable().describe('why the check failed, when it did'),
        checkedAt: z.string().describe('when the check ran, ISO 8601 in UTC (checks are reused for 30 s)'),
        ms: z.number().int().nullable().describe('how long the check took'),
      })
      .describe('a token and one small request to Hostaway (GET /v1/listings?limit=1), not from the cache'),
    accountId: z.string(),
    apiBase: z.string(),
    readOnly: z.boolean(),
    writes: z.boolean().describe('whether the write tools (previewed, confirmed) are offered'),
    nowUtc: z.string().describe('the current instant, ISO 8601 in UTC'),
    clocks: z
      .array(
        z.object({
          timeZone: z.string().describe('IANA time zone'),
          date: z.string().describe('today there, YYYY-MM-DD'),
          time: z.string().describe('the time there now, HH:MM (24-hour)'),
          listings: z.number().int().describe('listings in this zone'),
        }),
      )
      .describe("today's date and the time in each zone the listings use, most listings first"),
    token: z.object({
      state: z.enum(['none', 'valid', 'renewing_soon']),
      source: z.enum(['minted', 'file', 'shared']).nullable(),
      expiresAt: z.string().nullable().describe('ISO 8601 in UTC'),
    }),
    rateBudget: z.array(
      z.object({
        scope: z.string(),
        remaining: z.number().int(),
        limit: z.number().int(),
        windowSeconds: z.number(),
      }),
    ),
    pausedSeconds: z
      .number()
      .int()
      .describe('Hostaway answered 429: no request is sent for this many seconds more (0 when not paused)'),
    inFlight: z.number().int(),
    queued: z.number().int(),
    cache: z.object({
      entries: z.number().int(),
      hits: z.number().int(),
      misses: z.number().int(),
      coalesced: z.number().int(),
    }),
    upstreamRequests: z.number().int(),
  }),
  annotations: { ...READ_ONLY, openWorldHint: false },
  handler: async (_args, ctx) => {
    const [status, probe, listings] = await Promise.all([
      ctx.client.status(),
      ctx.client.probe(ctx.signal),
      ctx.client.listings.all({}, { signal: ctx.signal, maxItems: 5_000 }).catch(() => undefined),
    ]);
    const now = ctx.now();
    const zones = new Map<string, number>();
    for (const l of listings?.items ?? [])
      if (l.timeZoneName) zones.set(l.timeZoneName, (zones.get(l.timeZoneName) ?? 0) + 1);
    const clocks = [...zones.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([timeZone, count]) => ({
        timeZone,
        date: dateInZone(now, timeZone),
        time: timeInZone(now, timeZone),
        listings: count,
      }));
    return {
      mode: ctx.mode,
      connection: {
        state:
          ctx.mode === 'sandbox'
            ? ('demo' as const)
            : probe.ok
              ? ('live-ok' as const)
              : ('live-failing' as const),
        reason: probe.reason,
        checkedAt: probe.checkedAt,
        ms: probe.ms,
      },
      accountId: ctx.client.options.accountId,
      apiBase: new URL(ctx.client.options.baseUrl).origin + new URL(ctx.client.options.baseUrl).pathname,
      readOnly: ctx.readOnly,
      writes: ctx.writes.enabled,
      nowUtc: new Date(now).toISOString(),
      clocks,
      token: { state: status.token.state, source: status.token.source, expiresAt: status.token.expiresAt },
      rateBudget: status.budget.remaining.map((w) => ({
        scope: w.key.startsWith('ip:') ? 'per IP' : 'per account',
        remaining: w.remaining,
        limit: w.limit,
        windowSeconds: Math.round(w.windowMs / 100) / 10,
      })),
      pausedSeconds: Math.ceil(status.budget.pausedForMs / 1000),
      inFlight: status.budget.inFlight,
      queued: status.budget.queued,
      cache: {
        entries: status.cacheEntries,
        hits: status.stats.cacheHits,
        misses: status.stats.cacheMisses,
        coalesced: status.stats.coalesced,
      },
      upstreamRequests: status.stats.upstreamRequests,
    };
  },
  render: (o) =>
    `${o.mode === 'sandbox' ? 'DEMO MODE: built-in Hostaway sandbox with generated data (set HOSTAWAY_ACCOUNT_ID and HOSTAWAY_API_KEY for a real account).\n' : ''}${fields(
      {
        connection: `${o.connection.state}${o.connection.reason ? `: ${o.connection.reason}` : ''} (checked ${o.connection.checkedAt})`,
        account: o.accountId,
        api: o.apiBase,
        readOnly: o.readOnly,
        writes: o.writes ? 'on (previewed, then confirmed)' : 'off',
        now: `${o.nowUtc} (UTC)`,
        clocks: o.clocks
          .map((c) => `${c.date} ${c.time} in ${c.timeZone} (${c.listings} listings)`)
          .join('; '),
        token: `${o.token.state}${o.token.expiresAt ? ` until ${o.token.expiresAt} (UTC)` : ''}`,
        rateBudget: o.rateBudget
          .map((b) => `${b.remaining}/${b.limit} per ${b.windowSeconds}s ${b.scope}`)
          .join(', '),
        paused: o.pausedSeconds ? `${o.pausedSeconds} s more: Hostaway asked us to wait (HTTP 429)` : null,
        inFlight: o.inFlight,
        queued: o.queued,
        cache: `${o.cache.entries} entries, ${o.cache.hits} hits, ${o.cache.misses} misses`,
      },
    )}`,
});
