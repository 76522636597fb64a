/**
 * What replicas of one deployment share through Redis for the Hostaway client: the access token
 * (`RedisTokenStore`) and cache invalidations (`RedisCacheBus`), over two connections (commands, and
 * one in subscriber mode), opened together and closed together.
 */
import { Redis } from 'ioredis';
import { type Logger, silentLogger } from '../logging.js';
import { RedisCacheBus } from './redis-cache-bus.js';
import { RedisNoticeChannel } from './redis-notices.js';
import { RedisTokenStore } from './redis-token-store.js';

export interface RedisSharingOptions {
  /** REDIS_URL. */
  url: string;
  accountId: string;
  apiKey: string;
  /** HOSTAWAY_TOKEN_KEY; without it there is no shared token store (and this throws). */
  tokenKey: Buffer | undefined;
  /** The deployment's hash tag namespace, `{hostaway-mcp}` by default. */
  prefix?: string;
  logger?: Logger;
  /** The mint lock's lease (tests shorten it). */
  lockTtlMs?: number;
}

export interface RedisSharing {
  /** The Hostaway account shared. */
  accountId: string;
  tokenStore: RedisTokenStore;
  cacheBus: RedisCacheBus;
  /** Notices of account changes, to and from the other replicas. */
  notices: RedisNoticeChannel;
  close(): Promise<void>;
}

/** Opens the connections and subscribes; with Redis out of reach it goes on alone and joins when it answers. */
export async function openRedisSharing(options: RedisSharingOptions): Promise<RedisSharing> {
  const logger = (options.logger ?? silentLogger).child({ component: 'redis-sharing' });
  if (!options.tokenKey)
    throw new Error(
      'REDIS_URL shares the Hostaway access token between replicas, encrypted: set HOSTAWAY_TOKEN_KEY (32 bytes, e.g. `openssl rand -hex 32`, the same on every replica)',
    );
  let firstError: NodeJS.ErrnoException | undefined;
  const onError = (err: NodeJS.ErrnoException) => {
    firstError ??= err;
  };
  const commands = connection(options.url, logger, 'commands', onError);
  const subscriber = connection(options.url, logger, 'subscriber', onError);
  const closeAll = async () => {
    await Promise.all([commands, subscriber].map((c) => c.quit().catch(() => c.disconnect())));
  };
  try {
    await Promise.all([commands.connect(), subscriber.connect()]);
  } catch (err) {
    // Degrades, never stops the server: until Redis answers (ioredis keeps reconnecting), this replica
    // mints its own token when it needs one and keeps its cache to itself (TTLs bound staleness).
    // ioredis rejects with "Connection is closed."; the reason came with the error event before it.
    const cause = firstError ?? (err as NodeJS.ErrnoException);
    logger.warn(
      { error: cause.code ?? cause.message },
      'Redis is out of reach at start: this replica mints its own token and keeps its cache to itself until it answers',
    );
  }
  const tokenStore = new RedisTokenStore({
    redis: commands,
    key: options.tokenKey,
    accountId: options.accountId,
    apiKey: options.apiKey,
    prefix: options.prefix,
    lockTtlMs: options.lockTtlMs,
    logger,
  });
  let cacheBus: RedisCacheBus;
  try {
    cacheBus = await RedisCacheBus.open({
      publisher: commands,
      subscriber,
      accountId: options.accountId,
      prefix: options.prefix,
      logger,
    });
  } catch (err) {
    await closeAll();
    throw err;
  }
  const notices = await RedisNoticeChannel.open({
    publisher: commands,
    subscriber,
    accountId: options.accountId,
    prefix: options.prefix,
    logger,
  });
  return {
    accountId: options.accountId,
    tokenStore,
    cacheBus,
    notices,
    async close() {
      await notices.close();
      await cacheBus.close();
      await closeAll();
    },
  };
}

function connection(
  url: string,
  logger: Logger,
  role: string,
  onError: (err: NodeJS.ErrnoException) => void,
): Redis {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 5_000,
    // A command waits this long at most (Redis down: fail, and the client goes on without sharing).
    commandTimeout: 5_000,
    maxRetriesPerRequest: 2,
  });
  // Said once per outage, not once per reconnect attempt.
  let down = false;
  redis.on('error', (err: NodeJS.ErrnoException) => {
    onError(err);
    if (down) return;
    down = true;
    logger.warn({ role, error: err.code ?? err.message }, 'Redis connection failed; reconnecting');
  });
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    logger.info({ role }, 'Redis connection is back');
  });
  return redis;
}
