import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openToken, parseTokenKey, sealToken, tokenKeyId } from '../../src/client/token-crypto.js';

describe('the access token encrypted at rest (AES-256-GCM)', () => {
  const key = randomBytes(32);
  const aad = 'hostaway-mcp access token v1\u000012345\u0000abcdef0123456789';
  const secret = 'eyJ0eXAiOiJKV1QifQ.eyJqdGkiOiIxMjMifQ.c2lnbmF0dXJl';

  it('seals to text that holds neither the token nor any part of it, and opens again', () => {
    const sealed = sealToken(key, aad, secret);
    expect(sealed).toMatch(/^v1\.[0-9a-f]{8}\.[\w-]+\.[\w-]+\.[\w-]+$/);
    for (const part of secret.split('.')) expect(sealed).not.toContain(part);
    expect(openToken(key, aad, sealed)).toEqual({ ok: true, plaintext: secret });
    // A fresh IV each time: the same token seals differently.
    expect(sealToken(key, aad, secret)).not.toBe(sealed);
  });

  it('does not open under another key, for other credentials, or altered', () => {
    const sealed = sealToken(key, aad, secret);
    expect(openToken(randomBytes(32), aad, sealed)).toEqual({ ok: false, reason: 'other_key' });
    expect(openToken(key, aad.replace('12345', '12346'), sealed)).toEqual({
      ok: false,
      reason: 'not_authentic',
    });
    const parts = sealed.split('.');
    const ct = Buffer.from(parts[3]!, 'base64url');
    ct[0] = (ct[0] ?? 0) ^ 1;
    const flipped = [...parts.slice(0, 3), ct.toString('base64url'), parts[4]].join('.');
    expect(openToken(key, aad, flipped)).toEqual({ ok: false, reason: 'not_authentic' });
    // Another key that claims this key's id still fails authentication.
    const forged = sealToken(randomBytes(32), aad, secret).split('.');
    forged[1] = tokenKeyId(key);
    expect(openToken(key, aad, forged.join('.'))).toEqual({ ok: false, reason: 'not_authentic' });
    expect(openToken(key, aad, secret)).toEqual({ ok: false, reason: 'format' });
    expect(openToken(key, aad, '')).toEqual({ ok: false, reason: 'format' });
  });

  it('reads a key as 64 hex digits or base64 (standard or URL-safe), 32 bytes either way', () => {
    expect(parseTokenKey(key.toString('hex'))).toEqual(key);
    expect(parseTokenKey(key.toString('hex').toUpperCase())).toEqual(key);
    expect(parseTokenKey(key.toString('base64'))).toEqual(key);
    expect(parseTokenKey(key.toString('base64url'))).toEqual(key);
    expect(parseTokenKey(`  ${key.toString('hex')}\n`)).toEqual(key);
  });

  it('refuses any other length or text, saying how to make one and never repeating it', () => {
    const short = randomBytes(16).toString('hex');
    const cases = [
      short,
      randomBytes(31).toString('base64'),
      randomBytes(33).toString('base64'),
      'correct horse battery staple',
      '',
    ];
    for (const text of cases) {
      let message = '';
      try {
        parseTokenKey(text);
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).toMatch(/32 bytes.*openssl rand -hex 32/);
      if (text) expect(message).not.toContain(text);
    }
    expect(() => sealToken(randomBytes(16), aad, secret)).toThrow(/32 bytes/);
  });
});
