/**
 * The event bus behind the HTTP endpoint's `subscriptions/listen` streams, aware of accounts. The SDK's
 * router filters each stream by the URIs it asked for, but our URIs (`hostaway://inbox`, a reservation)
 * do not name the account: with several accounts, a token limited to one must not hear of the others'
 * bookings and messages. So each stream is tagged, when it opens, with the accounts its caller may read
 * (the request runs inside `as()`), and an account's change reaches only the streams tagged with it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { ServerEvent, ServerEventBus } from '@modelcontextprotocol/server';

type Listener = (event: ServerEvent) => void;

export interface AccountEventBus extends ServerEventBus {
  /** Runs `fn` (a request) so that any stream it opens is tagged with these account ids. */
  as<T>(accountIds: ReadonlySet<string>, fn: () => T): T;
  /** Delivers `event` to the streams whose caller may read `accountId`. */
  publishFor(accountId: string, event: ServerEvent): void;
}

export function createAccountEventBus(onerror?: (err: unknown) => void): AccountEventBus {
  const requestAccounts = new AsyncLocalStorage<ReadonlySet<string>>();
  // A stream opened outside `as()` may read nothing: account notices are never delivered to it.
  const NONE: ReadonlySet<string> = new Set();
  const listeners = new Map<Listener, ReadonlySet<string>>();

  function deliver(event: ServerEvent, to: (accounts: ReadonlySet<string>) => boolean): void {
    for (const [listener, accounts] of [...listeners]) {
      if (!to(accounts)) continue;
      try {
        listener(event);
      } catch (err) {
        onerror?.(err);
      }
    }
  }

  return {
    as: (accountIds, fn) => requestAccounts.run(accountIds, fn),
    subscribe(listener) {
      listeners.set(listener, requestAccounts.getStore() ?? NONE);
      return () => {
        listeners.delete(listener);
      };
    },
    // Events about the server itself (lists changed) concern every caller.
    publish: (event) => deliver(event, () => true),
    publishFor: (accountId, event) => deliver(event, (accounts) => accounts.has(accountId)),
  };
}
