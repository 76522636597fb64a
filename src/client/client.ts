/**
 * The Hostaway client: every tool stands on it.
 *
 * One call goes: read cache -> coalesce with an identical read in flight -> retry policy -> token ->
 * rate budget turn -> HTTP -> envelope and schema check. Writes skip the cache and invalidate what they
 * touch. Only requests that are safe to repeat are retried; a POST is repeated only when it surely never
 * reached Hostaway (no connection) or Hostaway refused it unprocessed (429, or a rejected token).
 */
import { randomUUID } from 'node:crypto';
import type { IBackoff, IBackoffFactory, IRetryBackoffContext } from 'cockatiel';
import { LRUCache } from 'lru-cache';
import type * as z from 'zod';
import { FailBody } from '../hostaway/schemas.js';
import { currentCorrelationId, type Logger, silentLogger } from '../logging.js';
import { cancelled, raceAbort } from './abort.js';
import { type CacheBus, type CacheInvalidation, noCacheBus } from './cache-bus.js';
import { conversationEndpoints, templateEndpoints } from './conversations.js';
import type { CallSpec, Query } from './endpoint-kit.js';
import { errorForStatus, HostawayError, scrubSecrets } from './errors.js';
import { calendarEndpoints, ListingsEnvelope, listingEndpoints } from './listings.js';
import { financeEndpoints, reviewEndpoints, taskEndpoints } from './operations.js';
import { type CacheNamespace, ClientOptions, type ClientOptionsInput } from './options.js';
import { type BudgetStore, MemoryBudgetStore, RateGate } from './rate-budget.js';
import { reservationEndpoints } from './reservations.js';
import { retryAfter, TokenManager } from './token.js';
import type { TokenStore } from './token-store.js';
import { type RawRequest, type RawResponse, Transport, TransportError } from './transport.js';
import { webhookEndpoints } from './webhooks.js';

export type {
  CallSpec,
  Page,
  Query,
  QueryValue,
  ReadOptions,
  ReservationPage,
  WalkOptions,
} from './endpoint-kit.js';

/** What the last connection check found. */
export interface ProbeResult {
  ok: boolean;
  /** When it was checked, ISO 8601 in UTC. */
  checkedAt: string;
  /** How long the check took, when it succeeded. */
  ms: number | null;
  /** Why it failed, in words for the model; null when it worked. */
  reason: string | null;
}

const PROBE_TTL_MS = 30_000;

export interface ClientStats {
  /** HTTP requests sent to Hostaway, the token's included. */
  upstreamRequests: number;
  cacheHits: number;
  cacheMisses: number;
  /** Reads that joined an identical read already in flight. */
  coalesced: number;
  retries: number;
  /** 429 answers received. */
  rateLimited: number;
  /** Cache invalidations received from other replicas (through the cache bus). */
  remoteInvalidations: number;
}

/** One upstream HTTP answer (or its failure), as an observer sees it. */
export interface UpstreamEvent {
  method: string;
  /** The path as a low-cardinality template: `listings/{id}/calendar`, `accessTokens`. */
  endpoint: string;
  /** HTTP status; 0 when no answer came (connection refused, reset, timed out or cancelled). */
  status: number;
  /** From the budget turn being granted to the answer (or failure), in milliseconds. */
  ms: number;
}

/** Called once per upstream request sent; it must be cheap, and whatever it throws is ignored. */
export type UpstreamObserver = (event: UpstreamEvent) => void;

export interface ClientDeps {
  logger?: Logger;
  budgetStore?: BudgetStore;
  /** The wall clock for token ages and expiry; the system's unless a test moves time on. */
  now?: () => number;
  /** Sees every upstream answer (metrics); can also be set later with `setUpstreamObserver`. */
  onUpstream?: UpstreamObserver;
  /** Where the access token is kept (replicas share one through Redis); the token file otherwise. */
  tokenStore?: TokenStore;
  /** Tells other replicas what a write invalidated, and hears what theirs did; nobody by default. */
  cacheBus?: CacheBus;
}

interface Flight {
  promise: Promise<unknown>;
  controller: AbortController;
  interested: number;
  /** The namespace's generation when the read began: only reads begun since then may join it. */
  generation: number;
}

export class HostawayClient {
  readonly options: ClientOptions;
  readonly stats: ClientStats = {
    upstreamRequests: 0,
    cacheHits: 0,
    cacheMisses: 0,
    coalesced: 0,
    retries: 0,
    rateLimited: 0,
    remoteInvalidations: 0,
  };
  private readonly logger: Logger;
  private readonly transport: Transport;
  private readonly gate: RateGate;
  private readonly tokens: TokenManager;
  private readonly cache: LRUCache<string, { value: unknown }>;
  private readonly inflight = new Map<string, Flight>();
  private lastProbe: { at: number; result: ProbeResult } | undefined;
  private probing: Promise<ProbeResult> | undefined;
  /** Bumped when a namespace is invalidated, so a read that started before a write is not cached. */
  private readonly generation = new Map<CacheNamespace, number>();
  private onUpstream: UpstreamObserver | undefined;
  /** Names this client on the cache bus, so that it passes over its own invalidations. */
  private readonly instanceId = randomUUID();
  private readonly cacheBus: CacheBus;
  private readonly stopListening: () => void;

  constructor(input: ClientOptionsInput, deps: ClientDeps = {}) {
    this.options = ClientOptions.parse(input);
    const o = this.options;
    this.onUpstream = deps.onUpstream;
    this.logger = (deps.logger ?? silentLogger).child({ component: 'hostaway-client' });
    this.transport = new Transport({
      baseUrl: o.baseUrl,
      connectTimeoutMs: o.timeouts.connectMs,
      readTimeoutMs: o.timeouts.readMs,
      writeTimeoutMs: o.timeouts.writeMs,
      maxBodyBytes: o.maxBodyBytes,
      maxConnections: o.maxConnections,
      userAgent: o.userAgent,
    });
    this.gate = new RateGate({
      store: deps.budgetStore ?? new MemoryBudgetStore(),
      maxInFlight: o.limits.maxInFlight,
      maxWaitMs: o.limits.maxWaitMs,
      windows: [
        {
          key: `ip:${o.limits.ipKey}`,
          limit: o.limits.perIp.limit,
          windowMs: o.limits.perIp.windowMs + o.limits.marginMs,
        },
        {
          key: `account:${o.accountId}`,
          limit: o.limits.perAccount.limit,
          windowMs: o.limits.perAccount.windowMs + o.limits.marginMs,
        },
      ],
    });
    this.tokens = new TokenManager({
      accountId: o.accountId,
      apiKey: o.apiKey,
      refreshMarginMs: o.token.refreshMarginMs,
      activationDelayMs: o.token.activationDelayMs,
      tokenFile: o.token.file,
      store: deps.tokenStore,
      logger: this.logger,
      send: (req) => this.sendCounted(req),
      now: deps.now,
    });
    this.cache = new LRUCache({ max: o.cache.maxEntries });
    this.cacheBus = deps.cacheBus ?? noCacheBus;
    this.stopListening = this.cacheBus.subscribe((inv) => this.heard(inv));
  }

  /** The Hostaway account this client reads (its id, as webhook deliveries name it). */
  get accountId(): string {
    return this.options.accountId;
  }

  /** Hostaway's windows as this client keeps to them (the poller takes a share of each). */
  get limits(): {
    perAccount: { limit: number; windowMs: number };
    perIp: { limit: number; windowMs: number };
  } {
    const { perAccount, perIp } = this.options.limits;
    return { perAccount: { ...perAccount }, perIp: { ...perIp } };
  }

  // -------------------------------------------------------------------------------------------------
  // Endpoints (official docs pages in brackets)

  readonly listings = listingEndpoints((spec) => this.call(spec));

  readonly calendar = calendarEndpoints((spec) => this.call(spec));

  readonly reservations = reservationEndpoints((spec) => this.call(spec));

  readonly conversations = conversationEndpoints((spec) => this.call(spec));

  readonly templates = templateEndpoints((spec) => this.call(spec));

  readonly reviews = reviewEndpoints((spec) => this.call(spec));

  readonly tasks = taskEndpoints((spec) => this.call(spec));

  readonly finance = financeEndpoints((spec) => this.call(spec));

  /** [_webhook_unifiedWebhook*.md] Where Hostaway posts the account's changes (src/client/webhooks.ts). */
  readonly webhooks = webhookEndpoints((spec) => this.call(spec));

  // -------------------------------------------------------------------------------------------------

  /**
   * Proves the connection works: a token and one small request (`GET /v1/listings?limit=1`), never
   * from the cache and without retries, so that a wrong key or a down API shows as it is. The answer is
   * kept for half a minute: asking often spends no budget.
   */
  async probe(signal?: AbortSignal): Promise<ProbeResult> {
    const fresh = this.lastProbe && Date.now() - this.lastProbe.at < PROBE_TTL_MS;
    if (fresh && this.lastProbe) return this.lastProbe.result;
    this.probing ??= this.probeOnce().finally(() => {
      this.probing = undefined;
    });
    return raceAbort(this.probing, signal);
  }

  private async probeOnce(): Promise<ProbeResult> {
    const started = performance.now();
    const checkedAt = new Date().toISOString();
    let result: ProbeResult;
    try {
      await this.attempt(
        {
          method: 'GET',
          path: 'listings',
          query: { limit: 1 },
          schema: ListingsEnvelope,
          what: 'the connection check',
          idempotent: true,
        },
        new AbortController().signal,
      );
      result = { ok: true, checkedAt, ms: Math.round(performance.now() - started), reason: null };
    } catch (err) {
      const reason = err instanceof HostawayError ? err.message : 'the connection check failed unexpectedly';
      result = { ok: false, checkedAt, ms: null, reason: scrubSecrets(reason, [this.options.apiKey]) };
    }
    this.lastProbe = { at: Date.now(), result };
    return result;
  }

  /** Token and budget state, for the connection-status tool. Never the token itself. */
  async status() {
    return {
      token: this.tokens.state(),
      budget: await this.gate.status(),
      stats: { ...this.stats },
      cacheEntries: this.cache.size,
    };
  }

  /**
   * Sets (or, with undefined, removes) the observer of upstream answers. It exists beside
   * `ClientDeps.onUpstream` because whoever observes (the metrics) may be built after the client, and
   * itself reads the client (stats, budget) at scrape time.
   */
  setUpstreamObserver(observer: UpstreamObserver | undefined): void {
    this.onUpstream = observer;
  }

  /** Drops every cached read. */
  clearCache(): void {
    this.cache.clear();
  }

  async close(): Promise<void> {
    this.stopListening();
    await this.transport.close();
  }

  private async call<S extends z.ZodType>(spec: CallSpec<S>): Promise<z.output<S>> {
    if (spec.signal?.aborted) throw cancelled();
    const ns = spec.cache;
    if (ns) return this.cachedRead({ ...spec, cache: ns });
    try {
      return await this.withRetries(spec, spec.signal);
    } finally {
      // Also after a failure: a write whose answer was lost may still have changed things.
      const touched = spec.invalidates ?? [];
      for (const ns of touched) this.invalidate(ns);
      // The other replicas too, before the write returns: whoever reads next on any replica asks Hostaway.
      if (touched.length > 0)
        await this.cacheBus.publish({ namespaces: [...touched], source: this.instanceId });
    }
  }

  /**
   * Drops cached reads of one kind, so that the next read here asks Hostaway (a write's read-back).
   * This replica only: other replicas hear of the write itself.
   */
  forget(ns: CacheNamespace): void {
    this.invalidate(ns);
  }

  /**
   * Drops cached reads of these kinds here and on every other replica (a change Hostaway told of, by
   * webhook or found by polling): whoever reads next, anywhere, asks Hostaway.
   */
  async changed(namespaces: readonly CacheNamespace[]): Promise<void> {
    for (const ns of namespaces) this.invalidate(ns);
    if (namespaces.length > 0)
      await this.cacheBus.publish({ namespaces: [...namespaces], source: this.instanceId });
  }

  /** Another replica wrote: its invalidation, applied here as a local write's would be. */
  private heard(invalidation: CacheInvalidation): void {
    if (invalidation.source === this.instanceId) return;
    this.stats.remoteInvalidations++;
    for (const ns of invalidation.namespaces) this.invalidate(ns);
  }

  private invalidate(ns: CacheNamespace): void {
    this.generation.set(ns, (this.generation.get(ns) ?? 0) + 1);
    for (const key of [...this.cache.keys()]) if (key.startsWith(`${ns}|`)) this.cache.delete(key);
  }

  private async cachedRead<S extends z.ZodType>(
    spec: CallSpec<S> & { cache: CacheNamespace },
  ): Promise<z.output<S>> {
    const key = `${spec.cache}|${spec.method} ${spec.path}?${toSearch(spec.query).toString()}|${spec.form ? toSearch(spec.form).toString() : ''}`;
    const ttl = this.options.cache.enabled ? this.options.cache.ttlMs[spec.cache] : 0;
    const hit = ttl > 0 ? this.cache.get(key) : undefined;
    if (hit) {
      this.stats.cacheHits++;
      return hit.value as z.output<S>;
    }
    const generation = this.generation.get(spec.cache) ?? 0;
    let flight = this.inflight.get(key);
    // A read begun before an invalidation (here or on another replica) may carry what the write changed:
    // a read begun after it does not join that one, and that one's answer is not cached.
    if (flight && flight.generation !== generation) flight = undefined;
    if (flight) this.stats.coalesced++;
    else {
      this.stats.cacheMisses++;
      const controller = new AbortController();
      let own: Flight | undefined;
      const promise = this.withRetries(spec, controller.signal)
        .then((value) => {
          if (ttl > 0 && (this.generation.get(spec.cache) ?? 0) === generation)
            this.cache.set(key, { value }, { ttl });
          return value;
        })
        .finally(() => {
          if (this.inflight.get(key) === own) this.inflight.delete(key);
        });
      own = { promise, controller, interested: 0, generation };
      flight = own;
      this.inflight.set(key, flight);
    }
    const current = flight;
    current.interested++;
    // The shared read is cancelled only when everyone who wanted it has gone.
    const onAbort = () => {
      if (--current.interested === 0) current.controller.abort();
    };
    spec.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return (await raceAbort(current.promise, spec.signal)) as z.output<S>;
    } finally {
      spec.signal?.removeEventListener('abort', onAbort);
    }
  }

  private async withRetries<S extends z.ZodType>(
    spec: CallSpec<S>,
    signal: AbortSignal | undefined,
  ): Promise<z.output<S>> {
    const { max, delaysMs, jitter } = this.options.retries;
    const { retry, handleWhen } = await loadCockatiel();
    const policy = retry(
      handleWhen((err) => isRetryable(err, spec.idempotent)),
      { maxAttempts: max, backoff: new HostawayBackoff(delaysMs, jitter) },
    );
    policy.onRetry((event) => {
      this.stats.retries++;
      const err = 'error' in event ? event.error : undefined;
      this.logger.warn(
        {
          correlationId: currentCorrelationId(),
          what: spec.what,
          delayMs: Math.round(event.delay),
          error: err instanceof Error ? scrubSecrets(err.message) : undefined,
        },
        'retrying a Hostaway request',
      );
    });
    try {
      return await policy.execute(({ signal: attemptSignal }) => this.attempt(spec, attemptSignal), signal);
    } catch (err) {
      if (signal?.aborted && !(err instanceof HostawayError && err.kind !== 'cancelled')) throw cancelled();
      throw err;
    }
  }

  /** One try, with one replay when Hostaway rejects the token (unless new tokens are rejected too). */
  private async attempt<S extends z.ZodType>(spec: CallSpec<S>, signal: AbortSignal): Promise<z.output<S>> {
    let res = await this.sendAuthorized(spec, signal);
    if (rejectsToken(res.response.status) && this.tokens.invalidate(res.token))
      res = await this.sendAuthorized(spec, signal);
    if (!rejectsToken(res.response.status)) this.tokens.accepted(res.token);
    return this.parse(spec, res.response);
  }

  private async sendAuthorized<S extends z.ZodType>(spec: CallSpec<S>, signal: AbortSignal) {
    // The token first: minting takes a budget turn of its own, and must not wait behind us.
    const token = await this.tokens.get(signal);
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    const correlationId = currentCorrelationId();
    if (correlationId) headers['x-request-id'] = correlationId;
    let body: string | undefined;
    if (spec.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(spec.json);
    } else if (spec.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = toSearch(spec.form).toString();
    }
    const response = await this.sendCounted({
      method: spec.method,
      path: spec.path,
      query: toSearch(spec.query),
      headers,
      body,
      signal,
    });
    return { token, response };
  }

  /** Sends one request within the rate budget and logs it (without secrets). */
  private async sendCounted(req: RawRequest): Promise<RawResponse> {
    const release = await this.gate.acquire(req.signal);
    const started = performance.now();
    let status = 0;
    try {
      this.stats.upstreamRequests++;
      const res = await this.transport.send(req);
      status = res.status;
      if (res.status === 429) {
        this.stats.rateLimited++;
        const asked = this.retryAfter(res);
        await this.gate.pauseFor(
          asked !== undefined ? asked * 1000 : this.options.retries.defaultRetryAfterMs,
        );
      }
      return res;
    } finally {
      release();
      const ms = performance.now() - started;
      this.logger.debug(
        {
          correlationId: currentCorrelationId(),
          method: req.method,
          path: `/${req.path}`,
          status,
          ms: Math.round(ms),
        },
        'hostaway request',
      );
      const observer = this.onUpstream;
      if (observer) {
        try {
          observer({ method: req.method, endpoint: endpointTemplate(req.path), status, ms });
        } catch {
          // An observer's failure is its own: the request it watched goes on as it went.
        }
      }
    }
  }

  /**
   * The wait a 429 asked for, in seconds, capped: one absurd Retry-After (a day, say) must not stall
   * every call for that long. Hostaway's windows are 10 s, so a longer wait is never needed.
   */
  private retryAfter(res: RawResponse): number | undefined {
    const asked = retryAfter(res.headers['retry-after']);
    return asked === undefined ? undefined : Math.min(asked, this.options.retries.maxRetryAfterMs / 1000);
  }

  private parse<S extends z.ZodType>(spec: CallSpec<S>, res: RawResponse): z.output<S> {
    if (spec.text && res.status === 200) return res.text as z.output<S>;
    let body: unknown;
    try {
      body = JSON.parse(res.text);
    } catch (err) {
      if (res.status >= 400) throw errorForStatus(res.status, undefined, spec.what, this.retryAfter(res));
      throw new HostawayError(
        'upstream',
        `Hostaway's answer for ${spec.what} was not valid JSON (cut short or garbled). Try again.`,
        {
          status: res.status,
          retryable: true,
          cause: err,
        },
      );
    }
    if (res.status >= 400) throw errorForStatus(res.status, body, spec.what, this.retryAfter(res));
    const fail = FailBody.safeParse(body);
    if (fail.success) throw errorForStatus(400, body, spec.what);
    const parsed = spec.schema.safeParse(body);
    if (!parsed.success) {
      const issues = parsed.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`)
        .join('; ');
      throw new HostawayError(
        'upstream',
        `Hostaway's answer for ${spec.what} did not have the documented shape (${issues}). This is unexpected; try again later.`,
        {
          status: res.status,
        },
      );
    }
    return parsed.data;
  }
}

// ---------------------------------------------------------------------------------------------------

/** Hostaway's query conventions: booleans as 1/0, arrays as `name[]=`. */
export function toSearch(query: Query | undefined): URLSearchParams {
  const out = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const v of value) out.append(`${key}[]`, String(v));
    else if (typeof value === 'boolean') out.append(key, value ? '1' : '0');
    else out.append(key, String(value));
  }
  return out;
}

/**
 * A path as a low-cardinality template, for metric labels: the query is dropped and every segment that
 * holds a digit becomes `{id}` (Hostaway's endpoint names have none; ids, dates and tokens all do), so
 * `/listings/40160/calendar?x=1` is `listings/{id}/calendar`.
 */
export function endpointTemplate(path: string): string {
  const q = path.search(/[?#]/);
  const bare = q === -1 ? path : path.slice(0, q);
  const out: string[] = [];
  for (const segment of bare.split('/')) {
    if (segment === '') continue;
    out.push(/\d/.test(segment) ? '{id}' : segment);
  }
  return out.join('/');
}

/**
 * Hostaway answers 403 for a token that is unknown, expired or revoked (`_authentication.md`); a 401
 * says the same in the usual HTTP way, so either replaces the token (once, and with the backoff).
 */
function rejectsToken(status: number): boolean {
  return status === 403 || status === 401;
}

function isRetryable(err: unknown, idempotent: boolean): boolean {
  if (!(err instanceof HostawayError) || !err.retryable) return false;
  if (idempotent) return true;
  // Not idempotent: only when Hostaway surely did not act on it.
  if (err instanceof TransportError) return !err.maybeSent;
  return err.kind === 'rate_limited' && err.status === 429;
}

// Loaded on the first request rather than at start: the stdio server answers `initialize` sooner.
let cockatiel: Promise<typeof import('cockatiel')> | undefined;
function loadCockatiel(): Promise<typeof import('cockatiel')> {
  cockatiel ??= import('cockatiel');
  return cockatiel;
}

/**
 * Exponential backoff with jitter (2 s, 4 s, 8 s by default), never shorter than the Retry-After
 * Hostaway sent with a 429.
 */
class HostawayBackoff implements IBackoffFactory<IRetryBackoffContext<unknown>> {
  constructor(
    private readonly delaysMs: readonly number[],
    private readonly jitter: number,
    private readonly step = 0,
  ) {}

  next(context: IRetryBackoffContext<unknown>): IBackoff<IRetryBackoffContext<unknown>> {
    const base = this.delaysMs[Math.min(this.step, this.delaysMs.length - 1)] ?? 0;
    const jittered = base * (1 + (Math.random() * 2 - 1) * this.jitter);
    const err = 'error' in context.result ? context.result.error : undefined;
    const asked =
      err instanceof HostawayError && err.retryAfterSeconds !== undefined ? err.retryAfterSeconds * 1000 : 0;
    const following = new HostawayBackoff(this.delaysMs, this.jitter, this.step + 1);
    return { duration: Math.max(jittered, asked), next: (ctx) => following.next(ctx) };
  }
}
