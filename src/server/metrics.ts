/**
 * Prometheus metrics for `/metrics`: tool calls, upstream requests, the rate budget and the read cache.
 *
 * Every runtime has a registry of its own (never prom-client's global one), so several runtimes can live
 * in one process (the tests) without clashing names. Three sources feed it:
 * - the surfaces, which call `observeToolCall`, `toolCallStarted`/`toolCallEnded` and `observeHttp`;
 * - the client, through `upstreamObserver`, once per upstream answer;
 * - the client's state, read when Prometheus scrapes (collect callbacks): the budget's turns in flight
 *   and waiting, the slots left, a 429 pause, and the cache counters. Nothing is counted twice: the
 *   cache counters are the client's own `stats`, read as they stand.
 *
 * Label values must come from small fixed sets (tool names, outcomes, routes): an unbounded value (an
 * id, a path with ids in it) would make a new series for each and swamp Prometheus.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { HostawayClient, UpstreamObserver } from '../client/client.js';
import type { Surface } from './call.js';

export type { Surface };

export interface MetricsOptions {
  /** The client whose upstream requests, budget and cache are measured. */
  client: HostawayClient;
  /** Put before every metric name (default none): `team_` gives `team_hostaway_mcp_tool_calls_total`. */
  prefix?: string;
  /** Node's own metrics too (CPU, memory, event-loop lag, GC, handles), under the same prefix; default on. */
  defaultMetrics?: boolean;
  /** Whether the rate budget is shared with the other replicas now (Redis answers); none: never. */
  budgetShared?: () => boolean;
}

export interface Metrics {
  /** The registry behind `render`, for anything added beside these metrics. */
  readonly registry: Registry;
  /** The content type of `render`'s text, for the `/metrics` answer's header. */
  readonly contentType: string;
  /** One finished tool call: `outcome` is `ok` or the failure's kind (`invalid_arguments`, `deadline`...). */
  observeToolCall(tool: string, outcome: string, seconds: number, surface: Surface): void;
  /** A tool call begins (the in-flight gauge goes up); pair each with `toolCallEnded`. */
  toolCallStarted(): void;
  toolCallEnded(): void;
  /** One answer of our own HTTP server; `route` from a fixed set (`/mcp`, `/health`, `/metrics`, `other`). */
  observeHttp(route: string, status: number): void;
  /** One webhook delivery: `recorded`, `duplicate`, `stale`, `ignored`, `unauthorised`, `too_large`... */
  observeWebhook(outcome: string): void;
  /**
   * Give this to the client (`client.setUpstreamObserver(metrics.upstreamObserver)`, or as
   * `ClientDeps.onUpstream` when the client is built after the metrics). The metrics need the client
   * (its state is read at scrape time) and the client's observer feeds the metrics, so one of the two
   * must be joined after construction: the client takes its observer late, by `setUpstreamObserver`.
   */
  readonly upstreamObserver: UpstreamObserver;
  /** The Prometheus text exposition of every metric, read now. */
  render(): Promise<string>;
}

/** 1 ms to 2 min: cached answers take about a millisecond, a deadline-bound walk up to the deadline. */
export const TOOL_CALL_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120,
];

/** 5 ms to 30 s: Hostaway answers in tens to hundreds of ms; the read timeout bounds the top. */
export const UPSTREAM_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

type ClientStatus = Awaited<ReturnType<HostawayClient['status']>>;

export function createMetrics({
  client,
  prefix = '',
  defaultMetrics = true,
  budgetShared,
}: MetricsOptions): Metrics {
  const registry = new Registry();
  const registers = [registry];
  const name = (n: string) => `${prefix}${n}`;

  // One read of the client's state per scrape, shared by every collect callback of that scrape (the
  // registry collects all metrics at once). `render` starts each scrape afresh; a caller of
  // `registry.metrics()` directly gets a fresh read once the event loop has turned.
  let snapshot: Promise<ClientStatus | undefined> | undefined;
  const status = (): Promise<ClientStatus | undefined> => {
    if (!snapshot) {
      const current = client.status().catch(() => undefined);
      snapshot = current;
      void current.then(() =>
        setImmediate(() => {
          if (snapshot === current) snapshot = undefined;
        }),
      );
    }
    return snapshot;
  };

  const toolCalls = new Counter({
    name: name('hostaway_mcp_tool_calls_total'),
    help: 'Tool calls finished, by tool, outcome (ok or the kind of failure) and surface (mcp or rest).',
    labelNames: ['tool', 'outcome', 'surface'] as const,
    registers,
  });
  const toolDuration = new Histogram({
    name: name('hostaway_mcp_tool_call_duration_seconds'),
    help: 'Time from a tool call arriving to its answer, by tool and surface.',
    labelNames: ['tool', 'surface'] as const,
    buckets: TOOL_CALL_BUCKETS,
    registers,
  });
  const toolInFlight = new Gauge({
    name: name('hostaway_mcp_tool_calls_in_flight'),
    help: 'Tool calls running now.',
    registers,
  });
  const httpRequests = new Counter({
    name: name('hostaway_mcp_http_requests_total'),
    help: "Requests answered by this server's HTTP surface, by route and status.",
    labelNames: ['route', 'status'] as const,
    registers,
  });
  const webhookDeliveries = new Counter({
    name: name('hostaway_mcp_webhook_deliveries_total'),
    help: 'Hostaway webhook deliveries received, by outcome (recorded, duplicate, stale, ignored, refused...).',
    labelNames: ['outcome'] as const,
    registers,
  });

  const upstreamRequests = new Counter({
    name: name('hostaway_upstream_requests_total'),
    help: 'Requests sent to Hostaway, by endpoint template, method and status (0: no answer: refused, reset, timed out or cancelled).',
    labelNames: ['endpoint', 'method', 'status'] as const,
    registers,
  });
  const upstreamDuration = new Histogram({
    name: name('hostaway_upstream_request_duration_seconds'),
    help: 'Time from sending a request to Hostaway to its answer (or failure), by endpoint template.',
    labelNames: ['endpoint'] as const,
    buckets: UPSTREAM_BUCKETS,
    registers,
  });
  const rateLimited = new Counter({
    name: name('hostaway_upstream_rate_limited_total'),
    help: 'Answers of 429 (rate limited) from Hostaway.',
    registers,
  });

  // Read at scrape time from the client.
  const budget = (metric: string, help: string, read: (s: ClientStatus) => number): Gauge<string> =>
    new Gauge({
      name: name(metric),
      help,
      registers,
      async collect() {
        const s = await status();
        // Unknown, not 0, when the state could not be read (a shared budget store out of reach).
        this.set(s ? read(s) : Number.NaN);
      },
    });
  budget(
    'hostaway_rate_budget_in_flight',
    'Upstream requests holding a turn of the rate budget now.',
    (s) => s.budget.inFlight,
  );
  budget(
    'hostaway_rate_budget_waiting',
    'Upstream requests queued for a turn of the rate budget.',
    (s) => s.budget.queued,
  );
  budget(
    'hostaway_rate_budget_paused_seconds',
    'How long the budget stays shut because Hostaway answered 429 (0 when open).',
    (s) => s.budget.pausedForMs / 1000,
  );
  budget('hostaway_cache_entries', 'Reads held in the cache now.', (s) => s.cacheEntries);
  new Gauge({
    name: name('hostaway_rate_budget_shared'),
    help: "1 while the rate budget is shared with the other replicas through Redis; 0 while it is this process's own (no REDIS_URL, or Redis out of reach: this replica's share of each window).",
    registers,
    collect() {
      this.set(budgetShared?.() ? 1 : 0);
    },
  });
  const windows = (
    metric: string,
    help: string,
    read: (w: ClientStatus['budget']['remaining'][number]) => number,
  ) =>
    new Gauge({
      name: name(metric),
      help,
      labelNames: ['window'] as const,
      registers,
      async collect() {
        const s = await status();
        this.reset();
        // The window's kind (`ip`, `account`), not its key: keys hold the account id.
        for (const w of s?.budget.remaining ?? []) this.set({ window: windowKind(w.key) }, read(w));
      },
    });
  windows(
    'hostaway_rate_budget_remaining',
    "Requests that may still be sent in each of Hostaway's sliding windows now.",
    (w) => w.remaining,
  );
  windows('hostaway_rate_budget_limit', 'Requests allowed in each sliding window.', (w) => w.limit);

  // Counters kept by the client itself: their value is the client's, read as it stands.
  const fromStats = (metric: string, help: string, read: (s: HostawayClient['stats']) => number) =>
    new Counter({
      name: name(metric),
      help,
      registers,
      collect() {
        this.reset();
        this.inc(read(client.stats));
      },
    });
  fromStats('hostaway_cache_hits_total', 'Reads answered from the cache.', (s) => s.cacheHits);
  fromStats(
    'hostaway_cache_misses_total',
    'Reads the cache could not answer, that went to Hostaway.',
    (s) => s.cacheMisses,
  );
  fromStats(
    'hostaway_cache_coalesced_total',
    'Reads that joined an identical read already in flight.',
    (s) => s.coalesced,
  );
  fromStats(
    'hostaway_upstream_retries_total',
    'Upstream requests retried after a failure.',
    (s) => s.retries,
  );

  if (defaultMetrics) collectDefaultMetrics({ register: registry, prefix });

  const upstreamObserver: UpstreamObserver = ({ method, endpoint, status: code, ms }) => {
    upstreamRequests.inc({ endpoint, method, status: String(code) });
    upstreamDuration.observe({ endpoint }, ms / 1000);
    if (code === 429) rateLimited.inc();
  };

  return {
    registry,
    contentType: registry.contentType,
    observeToolCall(tool, outcome, seconds, surface) {
      toolCalls.inc({ tool, outcome, surface });
      toolDuration.observe({ tool, surface }, seconds);
    },
    toolCallStarted() {
      toolInFlight.inc();
    },
    toolCallEnded() {
      toolInFlight.dec();
    },
    observeHttp(route, code) {
      httpRequests.inc({ route, status: String(code) });
    },
    observeWebhook(outcome) {
      webhookDeliveries.inc({ outcome });
    },
    upstreamObserver,
    render() {
      snapshot = undefined;
      return registry.metrics();
    },
  };
}

/** `ip:egress-1` -> `ip`, `account:12345` -> `account`. */
function windowKind(key: string): string {
  const colon = key.indexOf(':');
  return colon === -1 ? key : key.slice(0, colon);
}
