/**
 * The event bus behind the HTTP endpoint's `subscriptions/listen` streams, aware of accounts. The SDK's
 * router filters each stream by the URIs it asked for, but our URIs (`hostaway://inbox`, a reservation)
 * do not name the account: with several accounts they read the caller's first account, and a notice
 * about another account's booking would name a resource the caller cannot read (or must not know of).
 * So each stream is tagged, when it opens, with the account its caller's resources read (the request
 * runs inside `as()`), and an account's change reaches only the streams tagged with it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { ServerEvent, ServerEventBus } from '@modelcontextprotocol/server';

type Listener = (event: ServerEvent) => void;

export interface AccountEventBus extends ServerEventBus {
  /** Runs `fn` (a request) so that any stream it opens is tagged with this account id. */
  as<T>(accountId: string | undefined, fn: () => T): T;
  /** Delivers `event` to the streams tagged with `accountId`. */
  publishFor(accountId: string, event: ServerEvent): void;
}

export function createAccountEventBus(onerror?: (err: unknown) => void): AccountEventBus {
  const requestAccount = new AsyncLocalStorage<string | undefined>();
  // A stream opened outside `as()` has no account (undefined): account notices are never delivered to it.
  const listeners = new Map<Listener, string | undefined>();

  function deliver(event: ServerEvent, to: (account: string | undefined) => boolean): void {
    for (const [listener, account] of [...listeners]) {
      if (!to(account)) continue;
      try {
        listener(event);
      } catch (err) {
        onerror?.(err);
      }
    }
  }

  return {
    as: (accountId, fn) => requestAccount.run(accountId, fn),
    subscribe(listener) {
      listeners.set(listener, requestAccount.getStore());
      return () => {
        listeners.delete(listener);
      };
    },
    // Events about the server itself (lists changed) concern every caller.
    publish: (event) => deliver(event, () => true),
    publishFor: (accountId, event) => deliver(event, (account) => account === accountId),
  };
}
