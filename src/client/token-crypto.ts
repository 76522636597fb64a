/**
 * The access token encrypted at rest wherever it leaves the process for a store others can reach
 * (Redis): AES-256-GCM with a key from the configuration (HOSTAWAY_TOKEN_KEY), the credentials it was
 * minted with bound in as associated data, so that a token sealed for another account or API key (or
 * under another key) does not open, and a bearer token is never stored in plain text.
 *
 * Sealed form: `v1.<key id>.<iv>.<ciphertext>.<tag>`, base64url parts. The key id (8 hex digits of a
 * hash of the key) only tells "sealed under another key" from "tampered with" in the logs.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

export const TOKEN_KEY_BYTES = 32;

/**
 * Reads a 32-byte key written as 64 hex digits or as base64 (standard or URL-safe, padding optional).
 * Throws an Error whose message says what is wrong without repeating the key.
 */
export function parseTokenKey(text: string): Buffer {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, 'hex');
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(t)) {
    const bytes = Buffer.from(t, 'base64');
    if (bytes.length === TOKEN_KEY_BYTES) return bytes;
    throw new Error(
      `must be ${TOKEN_KEY_BYTES} bytes (64 hex digits, or 44 characters of base64), got ${bytes.length} bytes of base64; make one with: openssl rand -hex 32`,
    );
  }
  throw new Error(
    `must be ${TOKEN_KEY_BYTES} bytes written as 64 hex digits or as base64 (${t.length} characters that are neither); make one with: openssl rand -hex 32`,
  );
}

export function tokenKeyId(key: Buffer): string {
  return createHash('sha256').update('hostaway-mcp token key id\0').update(key).digest('hex').slice(0, 8);
}

function checkKey(key: Buffer): void {
  if (key.length !== TOKEN_KEY_BYTES)
    throw new Error(`the token encryption key must be ${TOKEN_KEY_BYTES} bytes, got ${key.length}`);
}

/** Encrypts `plaintext` under `key`, binding `aad` (which is not stored: the reader must know it). */
export function sealToken(key: Buffer, aad: string, plaintext: string): string {
  checkKey(key);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [
    'v1',
    tokenKeyId(key),
    iv.toString('base64url'),
    ciphertext.toString('base64url'),
    tag.toString('base64url'),
  ].join('.');
}

export type Opened =
  | { ok: true; plaintext: string }
  | { ok: false; reason: 'format' | 'other_key' | 'not_authentic' };

/**
 * Decrypts what `sealToken` made. `other_key`: sealed under another key; `not_authentic`: same key but
 * the associated data (other credentials) or the bytes differ; `format`: not a sealed token at all.
 */
export function openToken(key: Buffer, aad: string, sealed: string): Opened {
  checkKey(key);
  const parts = sealed.split('.');
  if (parts.length !== 5 || parts[0] !== 'v1') return { ok: false, reason: 'format' };
  const [, kid, iv, ciphertext, tag] = parts as [string, string, string, string, string];
  if (kid !== tokenKeyId(key)) return { ok: false, reason: 'other_key' };
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), {
      authTagLength: 16,
    });
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    const plaintext = Buffer.concat([
      decipher.update(Buffer.from(ciphertext, 'base64url')),
      decipher.final(),
    ]).toString('utf8');
    return { ok: true, plaintext };
  } catch {
    return { ok: false, reason: 'not_authentic' };
  }
}
