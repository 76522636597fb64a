/**
 * The error texts that reach the model: each HTTP failure becomes a kind a caller can act on, with a
 * message that says what to do, and no secret survives the scrubber.
 */
import { describe, expect, it } from 'vitest';
import { errorForStatus, HostawayError, scrubSecrets, upstreamMessage } from '../../src/client/errors.js';

describe('scrubSecrets: the last guard before text reaches a log or the model', () => {
  it('removes bearer tokens, keeping the word Bearer', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl';
    expect(scrubSecrets(`Authorization: Bearer ${jwt} failed`)).toBe(
      'Authorization: Bearer [redacted] failed',
    );
    expect(scrubSecrets(`bearer   abc/def+ghi==`)).toBe('bearer   [redacted]');
  });

  it('removes credential parameters, keeping their names', () => {
    expect(
      scrubSecrets('POST client_id=12&client_secret=s3cr3t-value&scope=general access_token=tok.en.x'),
    ).toBe('POST client_id=12&client_secret=[redacted]&scope=general access_token=[redacted]');
    expect(scrubSecrets('DELETE /v1/accessTokens?token=abcdef123 "ok"')).toBe(
      'DELETE /v1/accessTokens?token=[redacted] "ok"',
    );
  });

  it('removes every known secret wherever it appears, however often', () => {
    const text = 'key my-api-key-123 and again my-api-key-123, account 987654';
    expect(scrubSecrets(text, ['my-api-key-123'])).toBe(
      'key [redacted] and again [redacted], account 987654',
    );
    expect(scrubSecrets(text, ['other-secret', 'my-api-key-123'])).not.toContain('my-api-key-123');
  });

  it('ignores empty and very short "secrets", which would shred ordinary text', () => {
    expect(scrubSecrets('an account of 12345 nights', ['', 'a', '12345'])).toBe('an account of 12345 nights');
    expect(scrubSecrets('value 123456 here', ['123456'])).toBe('value [redacted] here');
  });

  it('leaves text without secrets unchanged', () => {
    const plain = 'Hostaway is having trouble (HTTP 503) with listing 40160.';
    expect(scrubSecrets(plain)).toBe(plain);
    expect(scrubSecrets(plain, [])).toBe(plain);
  });
});

describe('upstreamMessage: what Hostaway said, trimmed and scrubbed', () => {
  it('reads the documented fields in order: result, message, error_description, error', () => {
    expect(upstreamMessage({ status: 'fail', result: ' Listing not found ' })).toBe('Listing not found');
    expect(upstreamMessage({ message: 'Too many requests' })).toBe('Too many requests');
    expect(upstreamMessage({ error: 'invalid_client', error_description: 'Bad secret' })).toBe('Bad secret');
    expect(upstreamMessage({ error: 'invalid_client' })).toBe('invalid_client');
    expect(upstreamMessage({ result: '   ', message: 'second' })).toBe('second');
    expect(upstreamMessage({ result: 42, message: 'text wins' })).toBe('text wins');
  });

  it('has nothing to say for bodies that are not objects or hold no text', () => {
    for (const body of [null, undefined, 'a string', 42, [], {}, { result: 7 }, { message: '' }])
      expect(upstreamMessage(body)).toBeUndefined();
  });

  it('scrubs tokens and caps the length at 300 characters', () => {
    expect(upstreamMessage({ result: 'bad token=abc123def in request' })).toBe(
      'bad token=[redacted] in request',
    );
    const long = upstreamMessage({ result: `  ${'x'.repeat(400)}` });
    expect(long).toBe('x'.repeat(300));
  });
});

describe('errorForStatus: one kind per failure, a message that says what to do', () => {
  it('401 and 403 are bad credentials, pointing at the settings', () => {
    for (const status of [401, 403]) {
      const e = errorForStatus(status, { result: 'Unauthorized' }, 'listing 40160');
      expect(e).toBeInstanceOf(HostawayError);
      expect(e).toBeInstanceOf(Error);
      expect(e.name).toBe('HostawayError');
      expect(e.kind).toBe('bad_credentials');
      expect(e.status).toBe(status);
      expect(e.retryable).toBe(false);
      expect(e.message).toBe(
        `Hostaway refused the credentials (HTTP ${status}) for listing 40160. Hostaway said: "Unauthorized". Check HOSTAWAY_ACCOUNT_ID and HOSTAWAY_API_KEY (Hostaway dashboard, Settings > Hostaway API).`,
      );
    }
  });

  it('404 is not found, naming the thing with a capital', () => {
    const e = errorForStatus(404, { status: 'fail', result: 'Not found' }, 'reservation 42');
    expect([e.kind, e.status, e.retryable]).toEqual(['not_found', 404, false]);
    expect(e.message).toBe(
      'Reservation 42 was not found in this Hostaway account. Hostaway said: "Not found". Check the id.',
    );
    expect(errorForStatus(404, null, 'listing 7').message).toBe(
      'Listing 7 was not found in this Hostaway account. Check the id.',
    );
  });

  it('429 is rate limited and retryable, with the wait when Hostaway said one', () => {
    const e = errorForStatus(429, {}, 'the reservations list', 12);
    expect([e.kind, e.status, e.retryable, e.retryAfterSeconds]).toEqual(['rate_limited', 429, true, 12]);
    expect(e.message).toBe(
      "Hostaway's rate limit was reached for the reservations list; it asked to wait 12 s. Try again shortly, or ask for less at once.",
    );
    const silent = errorForStatus(429, {}, 'the reservations list');
    expect(silent.retryAfterSeconds).toBeUndefined();
    expect(silent.message).toBe(
      "Hostaway's rate limit was reached for the reservations list. Try again shortly, or ask for less at once.",
    );
  });

  it('5xx is upstream trouble; only 502, 503 and 504 are worth repeating', () => {
    for (const [status, retryable] of [
      [500, false],
      [501, false],
      [502, true],
      [503, true],
      [504, true],
      [599, false],
    ] as const) {
      const e = errorForStatus(status, { result: 'down' }, 'listing 1');
      expect([e.kind, e.status, e.retryable]).toEqual(['upstream', status, retryable]);
      expect(e.message).toBe(
        `Hostaway is having trouble (HTTP ${status}) with listing 1. Hostaway said: "down". It is usually brief: try again in a minute.`,
      );
    }
  });

  it('any other 4xx is an invalid request, not repeated', () => {
    for (const status of [400, 405, 409, 422, 499]) {
      const e = errorForStatus(status, { result: 'arrivalStartDate is invalid' }, 'the reservations list');
      expect([e.kind, e.status, e.retryable]).toEqual(['invalid_request', status, false]);
      expect(e.message).toBe(
        `Hostaway rejected the reservations list (HTTP ${status}). Hostaway said: "arrivalStartDate is invalid". Fix the request and try again.`,
      );
    }
  });

  it('a credential echoed by Hostaway does not survive into the message', () => {
    const e = errorForStatus(400, { result: 'client_secret=abc123xyz is wrong' }, 'the token request');
    expect(e.message).toContain('client_secret=[redacted]');
    expect(e.message).not.toContain('abc123xyz');
  });
});

describe('HostawayError', () => {
  it('keeps its cause when there is one, and has none otherwise', () => {
    const cause = new Error('socket hang up');
    const withCause = new HostawayError('timeout', 'no answer', { cause, retryable: true });
    expect(withCause.cause).toBe(cause);
    expect(withCause.retryable).toBe(true);
    const without = new HostawayError('timeout', 'no answer');
    expect('cause' in without).toBe(false);
    expect(without.retryable).toBe(false);
    expect(without.status).toBeUndefined();
  });
});
