/**
 * State that the replicas of one deployment share: for now, Hostaway's rate budget in Redis. This
 * layer may import src/client, src/writes, src/hostaway and the logger, never the tools, the server or
 * the sandbox.
 */
import type { Logger } from '../logging.js';
import { RedisBudgetStore, type RedisBudgetStoreOptions } from './redis-budget.js';
import { type BudgetMode, ResilientBudgetStore } from './resilient-budget.js';

export { RedisBudgetStore, type RedisBudgetStoreOptions } from './redis-budget.js';
export {
  type BudgetMode,
  ResilientBudgetStore,
  type ResilientBudgetStoreOptions,
  type SharedBudgetStore,
} from './resilient-budget.js';

export interface SharedBudgetOptions extends RedisBudgetStoreOptions {
  /** Replicas sharing the budget: the share each takes alone while Redis is out of reach. */
  replicas: number;
  logger?: Logger;
  /** How long start-up waits for Redis before going on alone (it keeps trying). Default 2 s. */
  startTimeoutMs?: number;
  /** How often Redis is asked whether it answers. Default 2 s. */
  checkEveryMs?: number;
}

/**
 * The rate budget shared through Redis, degrading to this replica's share when Redis is out of reach:
 * never rejects, even when Redis does not answer at start.
 */
export async function openSharedBudget(options: SharedBudgetOptions): Promise<ResilientBudgetStore> {
  const { replicas, logger, startTimeoutMs, checkEveryMs, ...redis } = options;
  const store = new ResilientBudgetStore({
    shared: new RedisBudgetStore(redis),
    replicas,
    ...(logger ? { logger } : {}),
    ...(checkEveryMs ? { checkEveryMs } : {}),
    ...(redis.now ? { now: redis.now } : {}),
  });
  const mode: BudgetMode = await store.start(startTimeoutMs ?? 2_000);
  if (mode === 'shared') logger?.info({ replicas }, 'rate budget shared through Redis');
  return store;
}
