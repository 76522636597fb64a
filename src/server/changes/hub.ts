/**
 * Where recorded account changes are announced inside the process: the MCP surfaces listen (resource
 * updated notifications), and so can tests. With replicas, a change recorded on one is announced on the
 * others through Redis (stores/redis-change-bus.ts), so that a client whose stream is open on another
 * replica hears of it too.
 */
import type { RecordedChange } from '../../domain/account-changes.js';

export type ChangeListener = (change: RecordedChange) => void;

export interface ChangeHub {
  /** Tells every listener here (and, with a bus, on the other replicas). Never throws. */
  announce(change: RecordedChange): void;
  /** Listens to changes announced here or heard from other replicas; returns how to stop. */
  listen(listener: ChangeListener): () => void;
}

/** Carries announcements between replicas: what `announce` sends, `heard` delivers. */
export interface ChangeBus {
  send(change: RecordedChange): void;
  /** Returns how to stop. */
  receive(handler: ChangeListener): () => void;
}

export function createChangeHub(onError: (err: unknown) => void, bus?: ChangeBus): ChangeHub {
  const listeners = new Set<ChangeListener>();
  const deliver = (change: RecordedChange) => {
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
