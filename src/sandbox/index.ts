/**
 * The Hostaway sandbox: a local HTTP server that speaks Hostaway's public API v1 over a seeded account.
 * It backs the server's demo mode, every integration test and every benchmark.
 *
 *   const sandbox = await startSandbox({ port: 0, seed: 42, listings: 25 });
 *   // sandbox.url === 'http://127.0.0.1:<port>/v1', sandbox.accountId, sandbox.clientSecret
 *   await sandbox.close();
 *
 * Writes through the API (reservations created, changed, cancelled) and guests' messages (admin API)
 * are delivered to the account's unified webhooks (webhooks.ts).
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import * as z from 'zod';
import { type AdminHooks, createApp } from './app.js';
import { HeldAnswers } from './apply-fault.js';
import { SandboxAuth } from './auth.js';
import { generate } from './data/generate.js';
import { FaultInjector, FaultRuleInput } from './faults.js';
import { HOSTAWAY_RATE_LIMITS, SandboxRateLimiter } from './rate-limit.js';
import { RequestLog } from './request-log.js';
import { SandboxStore } from './store.js';
import { WebhookRegistry } from './webhook-registry.js';
import { WebhookDeliveryKnobs, WebhookDispatcher } from './webhooks.js';

const WindowLimit = z.object({
  limit: z.number().int().positive(),
  windowMs: z.number().int().positive(),
});

export const SandboxOptions = z
  .object({
    port: z.number().int().min(0).max(65_535).default(0).describe('0 picks a free port'),
    host: z.string().default('127.0.0.1'),
    seed: z.number().int().default(42),
    listings: z.number().int().min(1).max(2_000).default(25),
    accountId: z.number().int().positive().default(12345),
    clientSecret: z.string().min(8).default('sandbox-demo-secret-0000'),
    /** The sandbox's present: stays are laid out around it. An ISO date or time, or epoch ms. */
    now: z
      .union([z.number(), z.string()])
      .optional()
      .transform((v, ctx) => {
        if (v === undefined) return undefined;
        const ms = typeof v === 'number' ? v : Date.parse(v.length === 10 ? `${v}T12:00:00Z` : v);
        if (Number.isNaN(ms)) {
          ctx.addIssue({ code: 'custom', message: `now must be a date or time, got "${v}"` });
          return z.NEVER;
        }
        return ms;
      }),
    /** The docs say tokens live 24 months. */
    tokenTtlSeconds: z.number().int().positive().default(63_072_000),
    tokenActivationDelayMs: z.number().int().min(0).default(0),
    /** Hostaway's limits by default; `false` turns them off (benchmarks of raw speed). */
    rateLimits: z
      .union([z.literal(false), z.object({ perIp: WindowLimit, perAccount: WindowLimit })])
      .default(HOSTAWAY_RATE_LIMITS),
    faults: z.array(FaultRuleInput).default([]),
    /** Mounts `/_sandbox/*` (faults, request log, tokens, clock, reset). Off unless asked for. */
    admin: z.boolean().default(false),
    requestLogCapacity: z.number().int().positive().default(100_000),
    /**
     * Unified webhook deliveries: waits (`timeScale`, `retryDelaysMs`, `ackTimeoutMs`) and the knobs
     * that duplicate, reorder or hold them (webhooks.ts). Also settable through the admin API.
     */
    webhooks: WebhookDeliveryKnobs.default({}),
  })
  .strict();
export type SandboxOptionsInput = z.input<typeof SandboxOptions>;

export interface Sandbox {
  /** Base URL of the API, in the form of `https://api.hostaway.com/v1`. */
  url: string;
  /** Scheme, host and port, for the admin API. */
  origin: string;
  port: number;
  accountId: number;
  clientSecret: string;
  seed: number;
  store: () => SandboxStore;
  faults: FaultInjector;
  requests: RequestLog;
  auth: SandboxAuth;
  /** The account's unified webhooks. */
  webhooks: WebhookRegistry;
  /** Delivers the changes to them; its `log` lists every attempt. */
  deliveries: WebhookDispatcher;
  /** Moves the sandbox clock forward (tokens expire, "now" moves); real time keeps running too. */
  advanceClock(ms: number): void;
  /** Regenerates the account from the seed, discarding every write. Tokens stay valid. */
  reset(): void;
  close(): Promise<void>;
}

export async function startSandbox(input: SandboxOptionsInput = {}): Promise<Sandbox> {
  const options = SandboxOptions.parse(input);
  const startedAt = Date.now();
  const anchor = options.now ?? startedAt;
  let skew = 0;
  const now = () => anchor + (Date.now() - startedAt) + skew;

  const webhooks = new WebhookRegistry();
  const deliveries = new WebhookDispatcher(webhooks, options.seed, options.webhooks);
  const makeStore = () => {
    const made = new SandboxStore(
      generate({ seed: options.seed, listings: options.listings, accountId: options.accountId, now: now() }),
      now,
    );
    made.onEvent((event) => deliveries.dispatch(made.accountId, event));
    return made;
  };
  let store = makeStore();
  const auth = new SandboxAuth({
    accountId: options.accountId,
    clientSecret: options.clientSecret,
    tokenTtlSeconds: options.tokenTtlSeconds,
    tokenActivationDelayMs: options.tokenActivationDelayMs,
    now,
  });
  const faults = new FaultInjector(options.seed);
  for (const f of options.faults) faults.add(f);
  const requests = new RequestLog(options.requestLogCapacity);
  const limiter = options.rateLimits ? new SandboxRateLimiter(options.rateLimits) : null;
  const held = new HeldAnswers();

  const hooks: AdminHooks = {
    seed: options.seed,
    reset: () => {
      store = makeStore();
    },
    advanceClock: (ms) => {
      skew += ms;
    },
    info: () => ({
      accountId: options.accountId,
      seed: options.seed,
      now: new Date(now()).toISOString(),
      rateLimits: options.rateLimits,
      counts: store.counts(),
      tokensIssued: auth.tokensIssued,
      faults: faults.list().length,
      heldAnswers: held.size,
      webhooks: webhooks.size,
      webhookDeliveries: deliveries.state(),
    }),
  };
  const app = createApp({
    store: () => store,
    auth,
    limiter,
    faults,
    held,
    log: requests,
    admin: options.admin ? hooks : null,
    webhooks,
    deliveries,
  });

  const { server, port } = await new Promise<{ server: ReturnType<typeof serve>; port: number }>(
    (resolve, reject) => {
      const s = serve({ fetch: app.fetch, port: options.port, hostname: options.host }, (info: AddressInfo) =>
        resolve({ server: s, port: info.port }),
      );
      s.once('error', reject);
    },
  );
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const origin = `http://${host}:${port}`;

  return {
    url: `${origin}/v1`,
    origin,
    port,
    accountId: options.accountId,
    clientSecret: options.clientSecret,
    seed: options.seed,
    store: () => store,
    faults,
    requests,
    auth,
    webhooks,
    deliveries,
    advanceClock: hooks.advanceClock,
    reset: hooks.reset,
    close: () =>
      new Promise<void>((resolve) => {
        held.releaseAll();
        deliveries.close();
        const http = server as import('node:http').Server;
        http.close(() => resolve());
        http.closeAllConnections?.();
      }),
  };
}
