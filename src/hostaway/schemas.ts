/**
 * Zod schemas of Hostaway's public API v1 wire format, shared by the sandbox (which emits it) and the
 * client (which reads it). Field names follow the official docs (repository `Hostaway/api`, pages under
 * `source/includes/`); each schema names the page it follows.
 *
 * They are tolerant on purpose: unknown fields pass through (`looseObject`) and optional fields accept
 * null, because the live API adds fields and nulls without notice. The contract tests tighten them with
 * `strictly()` so that the sandbox cannot drift from the documented field names unnoticed.
 */

export * from './schemas/calendar.js';
export * from './schemas/conversations.js';
export * from './schemas/enums.js';
export * from './schemas/envelope.js';
export { DateTime, Flag, IsoDate, strictly } from './schemas/fields.js';
export * from './schemas/finance.js';
export * from './schemas/listings.js';
export * from './schemas/reservations.js';
export * from './schemas/reviews.js';
export * from './schemas/tasks.js';
export * from './schemas/templates.js';
export * from './schemas/webhooks.js';
