/**
 * What one server process holds for its whole life, shared by every request and every transport: the
 * Hostaway client (with its token, budget and cache), the logger, and in demo mode the sandbox it runs.
 */
import type { AccountSpec } from '../accounts.js';
import { HostawayClient } from '../client/client.js';
import type { ClientOptionsInput } from '../client/options.js';
import { type BudgetStore, MemoryBudgetStore } from '../client/rate-budget.js';
import type { Config } from '../config.js';
import { createLogger, type Logger } from '../logging.js';
import type { Sandbox, SandboxOptionsInput } from '../sandbox/index.js';
import type { BudgetMode, ResilientBudgetStore } from '../stores/index.js';
import type { RedisSharing } from '../stores/redis-sharing.js';
import type { WatchState } from '../tools/define.js';
import { openWriteStore, type WriteStoreSpec } from '../writes/open.js';
import type { WriteStore } from '../writes/store.js';
import { type ChangeHub, createChangeHub, noticeBus } from './changes/hub.js';
import { ChangePoller, minPollIntervalMs } from './changes/poller.js';
import { ChangeRecorder } from './changes/recorder.js';
import type { Metrics } from './metrics.js';

export interface Runtime {
  config: Config;
  mode: 'live' | 'sandbox';
  /** The first account's client (the only one, unless several accounts are configured). */
  client: HostawayClient;
  /**
   * Every account's client by its name, in the configured order: each with its own token and cache,
   * all drawing on one rate budget (the per-IP window is every account's; each has its own per-account
   * window). With more than one, every tool takes an `account` argument.
   */
  accounts: ReadonlyMap<string, HostawayClient>;
  logger: Logger;
  sandbox: Sandbox | undefined;
  /** The present as the data source sees it: the sandbox's clock in demo mode. */
  now: () => number;
  /** Values that must never appear in an answer (scrubbed from error texts as a last guard). */
  secrets: string[];
  /**
   * The write store, opened on first use (a server that never writes never pays for it), then shared
   * by every call. A failure to open is not remembered: the next write tries again.
   */
  writeStore(): Promise<WriteStore>;
  /** Wall-clock time for confirmation expiry and leases (tests move it). */
  clock: () => number;
  /** Prometheus metrics, when asked for (the HTTP server serves them at /metrics). */
  metrics: Metrics | undefined;
  /**
   * Where the rate budget is kept: `local` (this process's own: no REDIS_URL), `shared` (with the other
   * replicas, through Redis) or `degraded` (Redis out of reach: this replica's share, alone).
   */
  budgetMode(): 'local' | BudgetMode;
  /** Account changes: where they are recorded and announced, and how they are found. */
  changes: Changes;
  close(): Promise<void>;
}

export interface Changes {
  hub: ChangeHub;
  recorder: ChangeRecorder;
  /** Whether webhooks are received here, and how the poll goes. */
  watching(): WatchState;
  /**
   * Starts the polling fallback when the configuration asks for it (the entry points call this; a
   * runtime alone never polls, so tests and the CLI's one-off calls make no request of their own).
   */
  startPolling(): ChangePoller | undefined;
}

export interface RuntimeOptions {
  logger?: Logger;
  /** Demo mode only: sandbox options (tests pin its clock, or turn its limits off). */
  sandbox?: Omit<SandboxOptionsInput, 'port' | 'seed' | 'listings'>;
  /** Client options on top of the configuration (tests shorten retries and widen budgets). */
  client?: Partial<ClientOptionsInput>;
  /** Live mode: the present as the tools see it (tests pin it); the sandbox keeps its own clock. */
  now?: () => number;
  /** The write store, instead of the configured one (tests). */
  writeStore?: WriteStoreSpec;
  /** Wall-clock time for confirmations and leases (tests move it). */
  clock?: () => number;
  /**
   * Prometheus metrics (with Node's own process metrics unless `defaultMetrics` is false). Asked for
   * by the HTTP server only: prom-client is loaded just then, so stdio starts without it.
   */
  metrics?: boolean | { defaultMetrics?: boolean };
  /** With REDIS_URL: the budget's Redis namespace and timings (tests keep apart and go faster). */
  sharedBudget?: { namespace?: string; startTimeoutMs?: number; checkEveryMs?: number };
}

export async function createRuntime(config: Config, options: RuntimeOptions = {}): Promise<Runtime> {
  const logger = options.logger ?? createLogger({ level: config.logLevel, base: { mode: config.mode } });
  let sandbox: Sandbox | undefined;
  let clientOptions = config.client;
  if (config.mode === 'sandbox') {
    // Demo mode: the same code path as live, against the built-in sandbox with Hostaway's limits on.
    // Loaded only here, so that a live server never pays for it at start.
    const { startSandbox } = await import('../sandbox/index.js');
    const { HOSTAWAY_RATE_LIMITS } = await import('../sandbox/rate-limit.js');
    sandbox = await startSandbox({
      port: 0,
      seed: config.sandbox.seed,
      listings: config.sandbox.listings,
      rateLimits: HOSTAWAY_RATE_LIMITS,
      ...options.sandbox,
    });
    clientOptions = {
      ...config.client,
      baseUrl: sandbox.url,
      accountId: String(sandbox.accountId),
      apiKey: sandbox.clientSecret,
      token: { ...config.client.token, activationDelayMs: 0, file: undefined },
    };
    logger.warn(
      { sandbox: sandbox.url, listings: config.sandbox.listings, seed: config.sandbox.seed },
      'DEMO MODE: no Hostaway credentials set; serving generated data from the built-in sandbox',
    );
  }
  const specs: AccountSpec[] =
    config.mode === 'sandbox'
      ? [{ name: 'demo', accountId: String(clientOptions.accountId), apiKey: String(clientOptions.apiKey) }]
      : config.accounts;
  const first = specs[0];
  if (!first?.accountId || !first.apiKey)
    throw new Error('live mode needs HOSTAWAY_ACCOUNT_ID and HOSTAWAY_API_KEY, or HOSTAWAY_ACCOUNTS_FILE');
  // The budget shared with the other replicas, when REDIS_URL is set: never fails to open (Redis out of
  // reach means this replica's share, alone, until it answers). Loaded only then.
  let budget: ResilientBudgetStore | undefined;
  if (config.sharedBudget) {
    const { openSharedBudget } = await import('../stores/index.js');
    budget = await openSharedBudget({ ...config.sharedBudget, ...options.sharedBudget, logger });
  }
  // One store for every account's client: the per-IP window counts all of them (they leave from the
  // same address), while each account's own window is keyed by its id.
  const budgetStore: BudgetStore = budget ?? new MemoryBudgetStore();
  // Replicas on one account share its access token (minted once, encrypted) and hear each other's
  // cache invalidations through Redis, per account. Not in demo mode: each process has a sandbox of its own.
  const sharings: RedisSharing[] = [];
  const clients = new Map<string, HostawayClient>();
  for (const spec of specs) {
    let sharing: RedisSharing | undefined;
    if (config.redisUrl && config.mode === 'live') {
      const { openRedisSharing } = await import('../stores/redis-sharing.js');
      sharing = await openRedisSharing({
        url: config.redisUrl,
        accountId: spec.accountId,
        apiKey: spec.apiKey,
        tokenKey: config.tokenKey,
        logger,
      });
      sharings.push(sharing);
      logger.info(
        { store: 'redis', account: spec.name },
        'sharing the access token and cache invalidations with other replicas',
      );
    }
    const own: Partial<ClientOptionsInput> =
      config.mode === 'live'
        ? {
            ...(spec.baseUrl ? { baseUrl: spec.baseUrl } : {}),
            ...(specs.length > 1 || spec.tokenFile
              ? { token: { ...clientOptions.token, file: spec.tokenFile } }
              : {}),
          }
        : {};
    const client = new HostawayClient(
      {
        ...clientOptions,
        ...own,
        ...options.client,
        accountId: spec.accountId,
        apiKey: spec.apiKey,
      },
      {
        logger: specs.length > 1 ? logger.child({ account: spec.name }) : logger,
        tokenStore: sharing?.tokenStore,
        cacheBus: sharing?.cacheBus,
        budgetStore,
      },
    );
    clients.set(spec.name, client);
  }
  const client = clients.get(first.name) as HostawayClient;
  let metrics: Metrics | undefined;
  if (options.metrics) {
    const { createMetrics } = await import('./metrics.js');
    const defaultMetrics = typeof options.metrics === 'object' ? options.metrics.defaultMetrics : true;
    metrics = createMetrics({
      client,
      defaultMetrics: defaultMetrics ?? true,
      budgetShared: () => budget?.mode === 'shared',
    });
    // Upstream requests are counted for every account; the gauges read at scrape time (budget, cache,
    // token) are the first account's.
    for (const c of clients.values()) c.setUpstreamObserver(metrics.upstreamObserver);
  }
  const now = sandbox ? () => (sandbox as Sandbox).store().now() : (options.now ?? Date.now);
  const storeSpec = options.writeStore ?? config.writeStore;
  let store: Promise<WriteStore> | undefined;
  const writeStore = () => {
    store ??= openWriteStore(storeSpec).then(
      (opened) => {
        logger.info({ store: opened.kind }, 'write store open');
        return opened;
      },
      (err: unknown) => {
        store = undefined;
        logger.error({ err: err instanceof Error ? err.message : String(err) }, 'write store failed to open');
        throw err;
      },
    );
    return store;
  };
  // With replicas, a change recorded on one is announced on the others (their clients listen too).
  const noticeChannels = new Map(sharings.map((sharing) => [sharing.accountId, sharing.notices]));
  const hub = createChangeHub(
    (err) => logger.warn({ err: String(err) }, 'change listener failed'),
    noticeChannels.size ? noticeBus(noticeChannels) : undefined,
  );
  const byAccountId = new Map([...clients.values()].map((c) => [c.accountId, c]));
  const recorder = new ChangeRecorder({
    store: writeStore,
    clientFor: (id) => byAccountId.get(id),
    hub,
    logger,
    clock: now,
    retention: config.changes.retention,
  });
  let poller: ChangePoller | undefined;
  const changes: Changes = {
    hub,
    recorder,
    watching: () => {
      const status = poller?.status();
      return {
        webhooks: config.changes.webhook !== undefined,
        pollEveryMs: status?.everyMs ?? null,
        lastLookAt: status?.lastLookAt ?? null,
        lastError: status?.lastError ?? null,
      };
    },
    startPolling() {
      const asked = config.changes.pollEveryMs;
      if (asked === null || poller) return poller;
      // Never more than the configured share of either window, whatever interval was asked for.
      const floor = minPollIntervalMs(client.limits, config.changes.pollShare, clients.size);
      const everyMs = Math.max(asked, floor);
      if (everyMs > asked)
        logger.warn(
          { askedMs: asked, everyMs },
          'poll interval raised to stay within its share of the rate budget',
        );
      poller = new ChangePoller({
        accounts: [...clients.values()].map((c) => ({ accountId: c.accountId, client: c })),
        recorder,
        everyMs,
        now,
        logger,
      });
      poller.start();
      logger.info(
        { everyMs, webhooks: config.changes.webhook !== undefined },
        'watching for account changes',
      );
      return poller;
    },
  };
  return {
    config,
    mode: config.mode,
    client,
    accounts: clients,
    logger,
    sandbox,
    now,
    secrets: [
      ...specs.map((a) => a.apiKey),
      ...(config.http.authToken ? [config.http.authToken] : []),
      ...(config.changes.webhook ? [config.changes.webhook.password] : []),
    ],
    writeStore,
    clock: options.clock ?? Date.now,
    metrics,
    budgetMode: () => budget?.mode ?? 'local',
    changes,
    async close() {
      await poller?.stop();
      for (const c of clients.values()) await c.close();
      for (const sharing of sharings) await sharing.close();
      await budget?.close();
      if (store) await (await store.catch(() => undefined))?.close();
      await sandbox?.close();
      logger.flush?.();
    },
  };
}
