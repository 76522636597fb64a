/**
 * Where recorded account changes are announced inside the process: the MCP surfaces listen (resource
 * updated notifications), and so can tests. With replicas, a change recorded on one is announced on the
 * others through Redis (stores/redis-change-bus.ts), so that a client whose stream is open on another
 * replica hears of it too.
 */
import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { CHANGE_KINDS, type RecordedChange } from '../../domain/account-changes.js';

/** What listeners hear of a change: enough to know which resources moved, never a guest's words. */
export const ChangeNotice = z.object({
  account: z.string().max(40),
  seq: z.number().int(),
  key: z.string().max(200),
  kind: z.enum(CHANGE_KINDS),
  reservationId: z.number().int().nullable(),
  conversationId: z.number().int().nullable(),
});
export type ChangeNotice = z.infer<typeof ChangeNotice>;

export function noticeOf(change: RecordedChange): ChangeNotice {
  const { account, seq, key, kind, reservationId, conversationId } = change;
  return { account, seq, key, kind, reservationId, conversationId };
}

export type ChangeListener = (change: ChangeNotice) => void;

export interface ChangeHub {
  /** Tells every listener here (and, with a bus, on the other replicas). Never throws. */
  announce(change: ChangeNotice): void;
  /** Listens to changes announced here or heard from other replicas; returns how to stop. */
  listen(listener: ChangeListener): () => void;
}

/** Carries announcements between replicas: what one `send`s, the others `receive`. */
export interface ChangeBus {
  send(change: ChangeNotice): void;
  /** Returns how to stop. */
  receive(handler: ChangeListener): () => void;
}

export function createChangeHub(onError: (err: unknown) => void, bus?: ChangeBus): ChangeHub {
  const listeners = new Set<ChangeListener>();
  const deliver = (change: ChangeNotice) => {
    for (const listener of [...listeners]) {
      try {
        listener(change);
      } catch (err) {
        onError(err);
      }
    }
  };
  bus?.receive(deliver);
  return {
    announce(change) {
      deliver(change);
      try {
        bus?.send(change);
      } catch (err) {
        onError(err);
      }
    },
    listen(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** A channel of short texts to the other replicas (Redis pub/sub, one per account). */
export interface NoticeChannel {
  publish(text: string): Promise<void>;
  subscribe(handler: (text: string) => void): () => void;
}

const Wire = ChangeNotice.extend({ from: z.string().max(64) });

/**
 * A change bus over one notice channel per account. Pub/sub hands a sender its own message too: each
 * notice names its sender, which passes over its own.
 */
export function noticeBus(channels: ReadonlyMap<string, NoticeChannel>): ChangeBus {
  const me = randomUUID();
  return {
    send(notice) {
      void channels.get(notice.account)?.publish(JSON.stringify({ ...notice, from: me }));
    },
    receive(handler) {
      const stops = [...channels.values()].map((channel) =>
        channel.subscribe((text) => {
          let parsed: z.infer<typeof Wire> | undefined;
          try {
            const result = Wire.safeParse(JSON.parse(text));
            parsed = result.success ? result.data : undefined;
          } catch {
            parsed = undefined;
          }
          if (!parsed || parsed.from === me) return;
          const { from: _from, ...notice } = parsed;
          handler(notice);
        }),
      );
      return () => {
        for (const stop of stops) stop();
      };
    },
  };
}
