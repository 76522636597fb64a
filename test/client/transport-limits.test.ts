/**
 * Bounds on one attempt: the read timeout is a deadline from the send to the last byte (an upstream that
 * trickles cannot hold a call for ever), and an answer body has a size cap.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostawayError } from '../../src/client/errors.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { clientFor } from '../helpers/client.js';
import { TEST_NOW } from '../helpers/sandbox.js';

async function failure(p: Promise<unknown>): Promise<HostawayError> {
  const outcome = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(outcome instanceof HostawayError))
    throw new Error(`expected a HostawayError, got ${String(outcome)}`);
  return outcome;
}

describe('transport bounds per attempt', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ now: TEST_NOW, rateLimits: false });
  });
  afterAll(() => sandbox.close());

  it('a body that trickles past the read deadline fails, though no gap between chunks is that long', async () => {
    const client = clientFor(sandbox, {
      cache: { enabled: false },
      timeouts: { connectMs: 2_000, writeMs: 2_000, readMs: 1_000 },
      retries: { max: 0, delaysMs: [10], jitter: 0 },
    });
    // Ten chunks 300 ms apart: each gap is under the 1 s deadline, the whole answer is not.
    sandbox.faults.add({ kind: 'slowBody', ms: 3_000, path: '/v1/listings', times: 1 });
    const err = await failure(client.listings.list({ limit: 5 }));
    expect(err.kind).toBe('timeout');
    expect(err.message).toBe(
      'Hostaway did not send its whole answer within 1 s. It may be slow right now: try again, or ask for less at once.',
    );
    // The same answer, quick, is fine.
    expect((await client.listings.list({ limit: 5 })).items).toHaveLength(5);
    await client.close();
  });

  it('an answer over the body cap is refused with a message that says to ask for less', async () => {
    const small = clientFor(sandbox, { cache: { enabled: false }, maxBodyBytes: 32_768 });
    const err = await failure(small.listings.list({ limit: 25 }));
    expect(err.kind).toBe('upstream');
    expect(err.retryable).toBe(false);
    expect(err.message).toBe(
      "Hostaway's answer was larger than 32 KiB, so it was not read. Ask for less at once (a smaller limit or a narrower range).",
    );
    const listingRequests = sandbox.requests.list().filter((e) => e.path === '/v1/listings');
    expect(listingRequests.length).toBeGreaterThan(0);
    // A small answer under the same cap is read.
    const one = await small.reservations.get(1_000_001);
    expect(one.id).toBe(1_000_001);
    await small.close();
  });
});
