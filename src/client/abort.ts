import { HostawayError } from './errors.js';

/**
 * Resolves as `promise` does, unless `signal` fires first: then rejects at once for this caller only.
 * The work behind the promise goes on for whoever else awaits it.
 */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(cancelled());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(cancelled());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

export function cancelled(): HostawayError {
  return new HostawayError('cancelled', 'The request was cancelled.');
}
