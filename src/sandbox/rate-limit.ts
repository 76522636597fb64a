/**
 * Hostaway's documented limits, as the sandbox enforces them: at most N requests in any window of W
 * milliseconds, counted per IP address and per account (15 and 20 per 10 s by default).
 *
 * This is an emulation of the upstream server, not a client-side limiter, so it is the strictest reading
 * of the docs: a sliding window over the exact times of the requests it accepted. A client that stays
 * within it stays within any coarser window the real service may use. Rejected requests do not count,
 * so a client that backs off recovers as soon as the window allows.
 */
export interface WindowLimit {
  limit: number;
  windowMs: number;
}

export interface RateLimitOptions {
  perIp: WindowLimit;
  perAccount: WindowLimit;
}

export const HOSTAWAY_RATE_LIMITS: RateLimitOptions = {
  perIp: { limit: 15, windowMs: 10_000 },
  perAccount: { limit: 20, windowMs: 10_000 },
};

export type RateDecision = { ok: true } | { ok: false; retryAfterMs: number; scope: 'ip' | 'account' };

class SlidingWindow {
  private readonly hits = new Map<string, number[]>();

  constructor(private readonly rule: WindowLimit) {}

  /** Milliseconds until `key` may make another request; 0 when it may now. */
  waitFor(key: string, now: number): number {
    const list = this.prune(key, now);
    if (list.length < this.rule.limit) return 0;
    return (list[list.length - this.rule.limit] as number) + this.rule.windowMs - now;
  }

  record(key: string, now: number): void {
    const list = this.prune(key, now);
    list.push(now);
    this.hits.set(key, list);
  }

  private prune(key: string, now: number): number[] {
    const list = this.hits.get(key) ?? [];
    let drop = 0;
    while (drop < list.length && (list[drop] as number) <= now - this.rule.windowMs) drop++;
    if (drop > 0) list.splice(0, drop);
    return list;
  }
}

export class SandboxRateLimiter {
  private readonly ip: SlidingWindow;
  private readonly account: SlidingWindow;

  constructor(readonly options: RateLimitOptions) {
    this.ip = new SlidingWindow(options.perIp);
    this.account = new SlidingWindow(options.perAccount);
  }

  /** Admits the request (and counts it) or says how long to wait. */
  admit(ip: string, accountId: number | undefined, now: number): RateDecision {
    const ipWait = this.ip.waitFor(ip, now);
    if (ipWait > 0) return { ok: false, retryAfterMs: ipWait, scope: 'ip' };
    const key = accountId === undefined ? undefined : String(accountId);
    if (key !== undefined) {
      const accountWait = this.account.waitFor(key, now);
      if (accountWait > 0) return { ok: false, retryAfterMs: accountWait, scope: 'account' };
      this.account.record(key, now);
    }
    this.ip.record(ip, now);
    return { ok: true };
  }
}
