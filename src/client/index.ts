export {
  CACHE_NAMESPACES,
  type CacheBus,
  type CacheInvalidation,
  type CacheInvalidationHandler,
  decodeInvalidation,
  encodeInvalidation,
  noCacheBus,
  resyncInvalidation,
} from './cache-bus.js';
export {
  type ClientStats,
  endpointTemplate,
  HostawayClient,
  type Page,
  type ReservationPage,
  type UpstreamEvent,
  type UpstreamObserver,
  type WalkOptions,
} from './client.js';
export { HostawayError, type HostawayErrorKind, scrubSecrets } from './errors.js';
export { ClientOptions, type ClientOptionsInput, DEFAULT_TTLS_MS } from './options.js';
export { type BudgetStore, type BudgetWindow, MemoryBudgetStore } from './rate-budget.js';
export type { TokenSource, TokenState } from './token.js';
export { openToken, parseTokenKey, sealToken, TOKEN_KEY_BYTES } from './token-crypto.js';
export {
  credentialFingerprint,
  FileTokenStore,
  type StoredToken,
  type TokenLock,
  type TokenStore,
} from './token-store.js';
