/**
 * The polling fallback: where no webhook can reach the server (stdio on a laptop, no public URL), the
 * same changes are found by asking Hostaway now and then, on its documented filters:
 * - `GET /v1/reservations?latestActivityStart=<day>`, in the default order (newest update first),
 *   read until the updates are older than the last look;
 * - `GET /v1/conversations?includeResources=1`, most recent first, each with its latest message.
 * Two requests a look in a quiet account; the interval is kept long enough that the poller never takes
 * more than its share of the per-account window (config: HOSTAWAY_POLL_SECONDS, HOSTAWAY_POLL_SHARE).
 * Its requests queue in a line of their own, so a tool call never waits behind a whole look.
 * What it finds goes through the same recorder as webhook deliveries: one key per fact, so a change
 * that both found is recorded once.
 */
import type { HostawayClient } from '../../client/client.js';
import {
  changeFromPolledConversation,
  changeFromPolledReservation,
  stamp,
} from '../../domain/change-sources.js';
import { type Logger, withCaller } from '../../logging.js';
import type { ChangeRecorder } from './recorder.js';

/** Reservations per page, and the most pages read in one look (a burst of changes waits for the next). */
export const POLL_PAGE = 50;
export const POLL_MAX_PAGES = 3;
/** Conversations looked through, most recent first. */
export const POLL_CONVERSATIONS = 25;
/** Requests a look makes when the account is quiet. */
export const REQUESTS_PER_LOOK = 2;
/** Each look reaches back this far before the previous one: clocks differ, and updates land late. */
export const POLL_OVERLAP_MS = 2 * 60_000;
export const POLLER_CALLER = 'change poller';

export interface PollerOptions {
  accounts: ReadonlyArray<{ accountId: string; client: HostawayClient }>;
  recorder: ChangeRecorder;
  everyMs: number;
  /** The present as Hostaway (or the sandbox) sees it: watermarks compare with its timestamps. */
  now: () => number;
  logger: Logger;
}

export interface PollStatus {
  everyMs: number;
  lastLookAt: number | null;
  lastError: string | null;
  looks: number;
  requests: number;
}

export class ChangePoller {
  private timer: NodeJS.Timeout | undefined;
  private readonly watermarks = new Map<string, number>();
  private running: Promise<void> | undefined;
  private readonly abort = new AbortController();
  private readonly state: PollStatus;

  constructor(private readonly options: PollerOptions) {
    this.state = { everyMs: options.everyMs, lastLookAt: null, lastError: null, looks: 0, requests: 0 };
    const start = options.now();
    for (const { accountId } of options.accounts) this.watermarks.set(accountId, start);
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.look(), this.options.everyMs);
    this.timer.unref();
  }

  status(): PollStatus {
    return { ...this.state };
  }

  /** One look at every account; a look already under way is joined, not doubled. */
  look(): Promise<void> {
    this.running ??= this.lookNow().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    this.abort.abort();
    await this.running?.catch(() => undefined);
  }

  private async lookNow(): Promise<void> {
    for (const { accountId, client } of this.options.accounts) {
      if (this.abort.signal.aborted) return;
      const startedAt = this.options.now();
      const since = stamp((this.watermarks.get(accountId) ?? startedAt) - POLL_OVERLAP_MS);
      try {
        await withCaller(POLLER_CALLER, () => this.lookAt(accountId, client, since));
        this.watermarks.set(accountId, startedAt);
        this.state.lastError = null;
      } catch (err) {
        // The next look starts from the same watermark: nothing is skipped.
        this.state.lastError = err instanceof Error ? err.message : String(err);
        this.options.logger.warn({ err: this.state.lastError, account: accountId }, 'change poll failed');
      }
    }
    this.state.looks++;
    this.state.lastLookAt = this.options.now();
  }

  private async lookAt(accountId: string, client: HostawayClient, since: string): Promise<void> {
    const { recorder } = this.options;
    const signal = this.abort.signal;
    const receivedAt = this.options.now();
    let afterId: number | undefined;
    for (let page = 0; page < POLL_MAX_PAGES; page++) {
      this.state.requests++;
      const p = await client.reservations.list(
        { latestActivityStart: since.slice(0, 10), limit: POLL_PAGE, ...(afterId ? { afterId } : {}) },
        signal,
        { fresh: true },
      );
      let older = false;
      for (const r of p.items) {
        if ((r.updatedOn ?? '') < since) {
          older = true;
          continue;
        }
        await recorder.recordAndApply(changeFromPolledReservation(r, accountId, since, receivedAt));
      }
      if (older || !p.nextCursor) break;
      afterId = p.nextCursor;
    }
    this.state.requests++;
    const conversations = await client.conversations.list(
      { limit: POLL_CONVERSATIONS, includeResources: true },
      signal,
      { fresh: true },
    );
    for (const c of conversations.items) {
      const change = changeFromPolledConversation(c, accountId, since, receivedAt);
      if (change) await recorder.recordAndApply(change);
    }
  }
}

/**
 * The shortest interval that keeps a quiet look within `share` of each window: the account's own (one
 * look's requests) and the per-IP one (every account's looks leave from the same address).
 */
export function minPollIntervalMs(
  windows: { perAccount: Limit; perIp: Limit },
  share: number,
  accounts = 1,
): number {
  const need = (requests: number, w: Limit) => Math.ceil((requests / (share * w.limit)) * w.windowMs);
  return Math.max(
    need(REQUESTS_PER_LOOK, windows.perAccount),
    need(REQUESTS_PER_LOOK * accounts, windows.perIp),
  );
}

interface Limit {
  limit: number;
  windowMs: number;
}
