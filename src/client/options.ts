/**
 * Everything the Hostaway client can be told, validated once. Defaults follow Hostaway's documented
 * limits and the project's agreed timeouts; the server's configuration (environment, .env, flags)
 * fills this in.
 */
import * as z from 'zod';

const ms = (def: number) => z.number().int().min(0).default(def);
const Window = z.object({ limit: z.number().int().positive(), windowMs: z.number().int().positive() });

/** How long each kind of read stays fresh in the cache. */
export const DEFAULT_TTLS_MS = {
  listings: 5 * 60_000,
  calendar: 60_000,
  reservations: 30_000,
  conversations: 15_000,
  messages: 10_000,
  templates: 10 * 60_000,
  reviews: 5 * 60_000,
  tasks: 30_000,
  finance: 5 * 60_000,
} as const;
export type CacheNamespace = keyof typeof DEFAULT_TTLS_MS;

export const ClientOptions = z
  .object({
    baseUrl: z.url({ protocol: /^https?$/ }).default('https://api.hostaway.com/v1'),
    accountId: z.string().regex(/^\d+$/, 'the Hostaway account id is a number'),
    apiKey: z.string().min(1, 'the Hostaway API key is required'),
    timeouts: z.object({ connectMs: ms(5_000), readMs: ms(30_000), writeMs: ms(10_000) }).prefault({}),
    retries: z
      .object({
        /** Retries after the first attempt. */
        max: z.number().int().min(0).max(10).default(3),
        /** Backoff before retry 1, 2, 3...; the last repeats. Retry-After wins when longer. */
        delaysMs: z.array(z.number().int().min(0)).min(1).default([2_000, 4_000, 8_000]),
        /** Each delay varies by up to this share, so that replicas do not retry in step. */
        jitter: z.number().min(0).max(1).default(0.2),
        /** How long to hold off after a 429 that did not say (no Retry-After). */
        defaultRetryAfterMs: ms(1_000),
        /** The longest Retry-After honoured; a longer one is cut to this. */
        maxRetryAfterMs: ms(60_000),
      })
      .prefault({}),
    limits: z
      .object({
        perIp: Window.default({ limit: 15, windowMs: 10_000 }),
        perAccount: Window.default({ limit: 20, windowMs: 10_000 }),
        /**
         * Added to each window. Requests are counted from when their answer arrives, which already
         * covers the network's delay; the margin covers how Hostaway itself rounds its windows.
         */
        marginMs: ms(100),
        maxInFlight: z.number().int().positive().default(10),
        /** Longest a call waits for its turn before it fails with a clear error. */
        maxWaitMs: ms(60_000),
        /** Names the egress IP's budget; replicas behind one address share it (with a shared store). */
        ipKey: z.string().default('local'),
      })
      .prefault({}),
    token: z
      .object({
        refreshMarginMs: ms(7 * 86_400_000),
        activationDelayMs: ms(1_000),
        file: z.string().optional(),
      })
      .prefault({}),
    cache: z
      .object({
        enabled: z.boolean().default(true),
        maxEntries: z.number().int().positive().default(2_000),
        ttlMs: z
          .object(
            Object.fromEntries(Object.entries(DEFAULT_TTLS_MS).map(([k, v]) => [k, ms(v)])) as {
              [K in CacheNamespace]: z.ZodDefault<z.ZodNumber>;
            },
          )
          .prefault({}),
      })
      .prefault({}),
    /** Largest answer body read from Hostaway (a year of calendar for every listing is far below). */
    maxBodyBytes: z
      .number()
      .int()
      .positive()
      .default(32 * 1_048_576),
    maxConnections: z.number().int().positive().default(10),
    userAgent: z.string().default('hostaway-mcp-server'),
  })
  .strict();
export type ClientOptionsInput = z.input<typeof ClientOptions>;
export type ClientOptions = z.output<typeof ClientOptions>;
