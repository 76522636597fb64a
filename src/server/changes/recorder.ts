/**
 * Records account changes (from webhooks or the poller) in the write store, the same store as the audit
 * log, and then makes them felt: the cached reads they touch are dropped (on every replica, through the
 * cache bus) and the change is announced (MCP clients that listen are told which resources changed).
 *
 * Recording and its effects are two steps on purpose: the webhook receiver records before it answers
 * Hostaway (so an acknowledged delivery is never lost, and a store failure gets a retry), and does the
 * rest after its answer.
 */
import type { HostawayClient } from '../../client/client.js';
import type { AccountChange, RecordOutcome } from '../../domain/account-changes.js';
import type { Logger } from '../../logging.js';
import type { WriteStore } from '../../writes/store.js';
import { cachedReadsTouched } from './effects.js';
import { type ChangeHub, noticeOf } from './hub.js';

export interface Retention {
  /** Changes received longer ago than this are dropped. */
  maxAgeMs: number;
  /** At most this many are kept per account (the newest). */
  maxCount: number;
}

export const DEFAULT_RETENTION: Retention = { maxAgeMs: 14 * 86_400_000, maxCount: 10_000 };

/** How often old changes are pruned, at most. */
const PRUNE_EVERY_MS = 60 * 60_000;

export interface RecorderDeps {
  store: () => Promise<WriteStore>;
  /** The client of a Hostaway account id, when this server serves it. */
  clientFor: (accountId: string) => HostawayClient | undefined;
  hub: ChangeHub;
  logger: Logger;
  clock: () => number;
  retention?: Retention;
}

export type RecordCounts = Record<RecordOutcome['outcome'], number>;

export class ChangeRecorder {
  readonly counts: RecordCounts = { recorded: 0, duplicate: 0, stale: 0 };
  private lastPrune = 0;
  private readonly retention: Retention;

  constructor(private readonly deps: RecorderDeps) {
    this.retention = deps.retention ?? DEFAULT_RETENTION;
  }

  /** Whether changes of this account are ours to record. */
  serves(accountId: string): boolean {
    return this.deps.clientFor(accountId) !== undefined;
  }

  /** Keeps the change (once, in order); throws only when the store fails. */
  async record(change: AccountChange): Promise<RecordOutcome> {
    const store = await this.deps.store();
    const outcome = await store.recordChange(change, this.deps.clock());
    this.counts[outcome.outcome]++;
    return outcome;
  }

  /** A recorded change's effects: cached reads dropped everywhere, listeners told. Never throws. */
  async apply(outcome: RecordOutcome): Promise<void> {
    if (outcome.outcome !== 'recorded') return;
    const { change } = outcome;
    try {
      await this.deps.clientFor(change.account)?.changed(cachedReadsTouched(change));
    } catch (err) {
      this.deps.logger.warn({ err: String(err), change: change.key }, 'cache invalidation failed');
    }
    this.deps.hub.announce(noticeOf(change));
    await this.pruneNow(false);
  }

  async recordAndApply(change: AccountChange): Promise<RecordOutcome> {
    const outcome = await this.record(change);
    await this.apply(outcome);
    return outcome;
  }

  /** Drops changes past the retention limits (at most hourly unless forced). Never throws. */
  async pruneNow(force = true): Promise<number> {
    const now = this.deps.clock();
    if (!force && now - this.lastPrune < PRUNE_EVERY_MS) return 0;
    this.lastPrune = now;
    try {
      const store = await this.deps.store();
      return await store.pruneChanges({
        olderThan: now - this.retention.maxAgeMs,
        keepAtMost: this.retention.maxCount,
      });
    } catch (err) {
      this.deps.logger.warn({ err: String(err) }, 'pruning old account changes failed');
      return 0;
    }
  }
}
