import { describe, expect, it } from 'vitest';
import { withCorrelation } from '../../src/logging.js';
import { startSandbox } from '../../src/sandbox/index.js';
import { capturedLogger, clientFor } from '../helpers/client.js';
import { TEST_NOW } from '../helpers/sandbox.js';

describe('client logs: structured, correlated, and free of secrets', () => {
  it('no line, error or status carries the API key or a token, whatever happens', async () => {
    const sandbox = await startSandbox({
      now: TEST_NOW,
      rateLimits: false,
      clientSecret: 'super-secret-api-key-42',
    });
    const { logger, lines, parsed } = capturedLogger('debug');
    const client = clientFor(sandbox, { cache: { enabled: false } }, logger);
    const seen: string[] = [];
    const record = (p: Promise<unknown>) =>
      p.then(
        (v) => seen.push(JSON.stringify(v)),
        (e: Error) => seen.push(`${e.message} ${String(e.cause ?? '')}`),
      );

    await record(client.listings.list({ limit: 2 }));
    sandbox.auth.revokeAll();
    await record(client.reservations.list({ limit: 2 }));
    sandbox.faults.add({ kind: 'status', status: 503, times: 2 });
    await record(client.listings.get(40160));
    await record(client.reservations.get(7));
    await record(client.reservations.list({ arrivalStartDate: 'soon' }));
    await record(
      clientFor(sandbox, {}, logger)
        .listings.list()
        .catch(() => undefined),
    );
    const bad = clientFor(sandbox, { apiKey: 'wrong-secret-value-99' }, logger);
    await record(bad.listings.list());
    seen.push(JSON.stringify(await client.status()));

    const tokens = sandbox.requests.list().filter((e) => e.path === '/v1/accessTokens').length;
    expect(tokens).toBeGreaterThanOrEqual(3);
    const everything = [...lines, ...seen].join('\n');
    expect(everything).not.toContain('super-secret-api-key-42');
    expect(everything).not.toContain('wrong-secret-value-99');
    expect(everything).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+/); // no JWT anywhere
    expect(parsed().every((l) => typeof l.level === 'string' && typeof l.time === 'string')).toBe(true);
    const audit = parsed()
      .filter((l) => l.audit === 'auth')
      .map((l) => l.event);
    expect(audit).toEqual(expect.arrayContaining(['token_minted', 'token_rejected', 'token_mint_failed']));
    await client.close();
    await sandbox.close();
  });

  it('every upstream request caused by one call carries its correlation id', async () => {
    const sandbox = await startSandbox({ now: TEST_NOW, rateLimits: false });
    const { logger, parsed } = capturedLogger('debug');
    const client = clientFor(sandbox, { cache: { enabled: false } }, logger);
    sandbox.faults.add({ kind: 'status', status: 502, path: '/v1/reservations', times: 1 });
    await withCorrelation(async () => {
      await client.reservations.list({ limit: 1 });
      await client.reservations.get(1_000_001);
    }, 'call-abc-123');
    const requests = sandbox.requests.list().filter((e) => e.path !== '/v1/accessTokens');
    expect(requests.map((e) => e.requestId)).toEqual(['call-abc-123', 'call-abc-123', 'call-abc-123']);
    const logged = parsed().filter(
      (l) => l.msg === 'hostaway request' || l.msg === 'retrying a Hostaway request',
    );
    expect(logged.length).toBeGreaterThanOrEqual(4);
    expect(logged.every((l) => l.correlationId === 'call-abc-123')).toBe(true);
    await client.reservations.list({ limit: 2 });
    expect(sandbox.requests.list().at(-1)?.requestId).toBeNull();
    await client.close();
    await sandbox.close();
  });
});
