/**
 * Short notices between replicas over Redis pub/sub, on one channel per account,
 * `<prefix>:changes:<accountId>`: a replica that records an account change tells the others, so that
 * the MCP clients listening on them hear of it too. The text is the sender's to encode (small: ids and
 * kinds, never a guest's words); a notice missed while a connection is down is only a notice missed
 * (the change itself is in the shared store, and the feed reads it from there).
 */
import type { Redis } from 'ioredis';
import { type Logger, silentLogger } from '../logging.js';
import { DEFAULT_REDIS_PREFIX } from './redis-token-store.js';

/** The longest notice read; anything longer is not ours. */
export const MAX_NOTICE_BYTES = 2_048;

export interface NoticeChannelOptions {
  publisher: Redis;
  /** In subscriber mode (shared with the cache bus: each listens to its own channel). */
  subscriber: Redis;
  accountId: string;
  prefix?: string;
  logger?: Logger;
}

export class RedisNoticeChannel {
  readonly channel: string;
  private readonly handlers = new Set<(text: string) => void>();
  private readonly logger: Logger;
  private readonly onMessage = (channel: string, message: string) => {
    if (channel !== this.channel || message.length > MAX_NOTICE_BYTES) return;
    for (const handler of [...this.handlers]) handler(message);
  };

  static async open(options: NoticeChannelOptions): Promise<RedisNoticeChannel> {
    const channel = new RedisNoticeChannel(options);
    options.subscriber.on('message', channel.onMessage);
    // ioredis subscribes again by itself after a reconnect.
    await options.subscriber.subscribe(channel.channel).catch((err: Error) => {
      channel.logger.warn({ error: err.message }, 'change notices: not listening until Redis answers');
    });
    return channel;
  }

  private constructor(private readonly options: NoticeChannelOptions) {
    this.channel = `${options.prefix ?? DEFAULT_REDIS_PREFIX}:changes:${options.accountId}`;
    this.logger = options.logger ?? silentLogger;
  }

  /** Never throws: a notice that cannot be sent is logged and dropped. */
  async publish(text: string): Promise<void> {
    try {
      await this.options.publisher.publish(this.channel, text);
    } catch (err) {
      this.logger.warn({ error: (err as Error).message }, 'change notice not sent to the other replicas');
    }
  }

  subscribe(handler: (text: string) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  async close(): Promise<void> {
    this.handlers.clear();
    this.options.subscriber.off('message', this.onMessage);
    await this.options.subscriber.unsubscribe(this.channel).catch(() => undefined);
  }
}
