/**
 * Digests that bind a confirmation to exactly what was previewed: SHA-256 over a canonical JSON form
 * (keys sorted, undefined dropped), so that the same arguments always give the same digest whatever
 * order a client sends them in.
 */
import { createHash, randomBytes } from 'node:crypto';

export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = sortKeys(v);
  }
  return out;
}

export function digest(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

/** 128 random bits: a confirmation id cannot be guessed, so holding one proves a preview was seen. */
export function newConfirmationId(): string {
  return `cf_${randomBytes(16).toString('base64url')}`;
}
