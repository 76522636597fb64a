/**
 * Cache invalidations between replicas over Redis pub/sub (why a broadcast rather than versioned keys:
 * see src/client/cache-bus.ts). One channel per account, `<prefix>:cache:<accountId>`, in the
 * deployment's hash tag; messages name namespaces only.
 *
 * Pub/sub delivers to whoever is connected: a replica whose subscriber connection dropped may have
 * missed messages, so when it is back the bus hands its subscribers a resync (drop everything).
 */
import type { Redis } from 'ioredis';
import {
  type CacheBus,
  type CacheInvalidation,
  type CacheInvalidationHandler,
  decodeInvalidation,
  encodeInvalidation,
  resyncInvalidation,
} from '../client/cache-bus.js';
import { type Logger, silentLogger } from '../logging.js';
import { DEFAULT_REDIS_PREFIX } from './redis-token-store.js';

export interface RedisCacheBusOptions {
  /** Publishes; any connection in normal mode. Its owner closes it. */
  publisher: Redis;
  /** Listens; a connection of its own, which the bus puts into subscriber mode. Its owner closes it. */
  subscriber: Redis;
  accountId: string;
  prefix?: string;
  /** A write waits at most this long for its invalidation to be sent, then goes on (and says so). */
  publishTimeoutMs?: number;
  logger?: Logger;
}

export class RedisCacheBus implements CacheBus {
  readonly channel: string;
  private readonly handlers = new Set<CacheInvalidationHandler>();
  private readonly logger: Logger;
  private readonly publishTimeoutMs: number;
  private subscribed = false;
  /** Whether the subscriber connection has been lost since it last listened: the next `ready` resyncs. */
  private lost = false;
  private readonly onMessage = (channel: string, message: string) => {
    if (channel !== this.channel) return;
    const invalidation = decodeInvalidation(message);
    if (!invalidation) {
      this.logger.warn({ channel }, 'ignored a message on the cache channel that is not an invalidation');
      return;
    }
    this.deliver(invalidation);
  };
  private readonly onClose = () => {
    if (this.subscribed) this.lost = true;
  };
  private readonly onReady = () => {
    if (!this.lost) return;
    this.lost = false;
    // ioredis subscribes again by itself on reconnecting, but only after this event, and what was
    // published while we were away is gone: once listening is confirmed, drop everything.
    this.options.subscriber.subscribe(this.channel).then(
      () => {
        this.logger.warn(
          { channel: this.channel },
          'cache channel reconnected: invalidations may have been missed, so the whole read cache is dropped',
        );
        this.deliver(resyncInvalidation());
      },
      () => {
        // Lost again before listening: the next reconnect resyncs.
        this.lost = this.subscribed;
      },
    );
  };

  /** A bus listening on its channel (resolves once Redis has confirmed the subscription). */
  static async open(options: RedisCacheBusOptions): Promise<RedisCacheBus> {
    const bus = new RedisCacheBus(options);
    await bus.listen();
    return bus;
  }

  private constructor(private readonly options: RedisCacheBusOptions) {
    this.channel = `${options.prefix ?? DEFAULT_REDIS_PREFIX}:cache:${options.accountId}`;
    this.logger = options.logger ?? silentLogger;
    this.publishTimeoutMs = options.publishTimeoutMs ?? 2_000;
  }

  async publish(invalidation: CacheInvalidation): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.options.publisher.publish(this.channel, encodeInvalidation(invalidation)),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('timed out')), this.publishTimeoutMs);
        }),
      ]);
    } catch (err) {
      this.logger.warn(
        { channel: this.channel, namespaces: invalidation.namespaces, error: (err as Error).message },
        'could not tell the other replicas what a write changed; their cached reads expire by their TTLs',
      );
    } finally {
      clearTimeout(timer);
    }
  }

  subscribe(handler: CacheInvalidationHandler): () => void {
    this.handlers.add(handler);
    return () => {
      this.handlers.delete(handler);
    };
  }

  /** Stops listening (the connections stay open for their owner to close). */
  async close(): Promise<void> {
    const { subscriber } = this.options;
    this.handlers.clear();
    subscriber.off('message', this.onMessage);
    subscriber.off('close', this.onClose);
    subscriber.off('ready', this.onReady);
    if (this.subscribed) {
      this.subscribed = false;
      await subscriber.unsubscribe(this.channel).catch(() => {});
    }
  }

  private async listen(): Promise<void> {
    const { subscriber } = this.options;
    subscriber.on('message', this.onMessage);
    subscriber.on('close', this.onClose);
    subscriber.on('ready', this.onReady);
    if (subscriber.status !== 'ready') {
      // Redis is out of reach (at start): listening begins, with a resync, when it answers.
      this.subscribed = true;
      this.lost = true;
      return;
    }
    await subscriber.subscribe(this.channel);
    this.subscribed = true;
  }

  private deliver(invalidation: CacheInvalidation): void {
    for (const handler of [...this.handlers]) {
      try {
        handler(invalidation);
      } catch (err) {
        this.logger.warn({ error: (err as Error).message }, 'a cache invalidation handler failed');
      }
    }
  }
}
