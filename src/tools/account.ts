import * as z from 'zod';
import { fields } from '../domain/render.js';
import { dateInZone } from '../hostaway/dates.js';
import { defineTool, READ_ONLY } from './define.js';

export const connectionStatus = defineTool({
  name: 'hostaway_connection_status',
  title: 'Connection status',
  description:
    "Shows how this server is connected to Hostaway: live account or built-in demo sandbox, the access token state (never the token), how much of Hostaway's rate budget is left, cache use, and whether writes are switched off. Use it first when something fails, or to learn today's date.",
  toolset: 'account',
  input: z.object({}).strict(),
  output: z.object({
    mode: z
      .enum(['live', 'sandbox'])
      .describe('sandbox = demo data from the built-in Hostaway sandbox, not a real account'),
    accountId: z.string(),
    apiBase: z.string(),
    readOnly: z.boolean(),
    today: z
      .string()
      .describe('today in UTC, YYYY-MM-DD; listings may be a day behind or ahead in their own zone'),
    token: z.object({
      state: z.enum(['none', 'valid', 'renewing_soon']),
      source: z.enum(['minted', 'file']).nullable(),
      expiresAt: z.string().nullable(),
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
    const status = await ctx.client.status();
    return {
      mode: ctx.mode,
      accountId: ctx.client.options.accountId,
      apiBase: new URL(ctx.client.options.baseUrl).origin + new URL(ctx.client.options.baseUrl).pathname,
      readOnly: ctx.readOnly,
      today: dateInZone(ctx.now(), 'UTC'),
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
        mode: o.mode,
        account: o.accountId,
        api: o.apiBase,
        readOnly: o.readOnly,
        today: o.today,
        token: `${o.token.state}${o.token.expiresAt ? ` until ${o.token.expiresAt}` : ''}`,
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
