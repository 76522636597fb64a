import { afterEach, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { clientFor } from '../helpers/client.js';
import { TEST_NOW } from '../helpers/sandbox.js';

describe('a token refused with 401', () => {
  let sandbox: Sandbox;
  afterEach(() => sandbox?.close());

  it('is replaced once, as a 403 is, and the call goes through', async () => {
    sandbox = await startSandbox({ now: TEST_NOW, rateLimits: false });
    const client = clientFor(sandbox, { cache: { enabled: false } });
    await client.listings.get(40160);
    sandbox.faults.add({ method: 'GET', path: '/v1/listings/40161', kind: 'status', status: 401, times: 1 });
    const since = sandbox.requests.lastSeq;
    expect((await client.listings.get(40161)).id).toBe(40161);
    expect(sandbox.requests.list(since).map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual([
      'GET /v1/listings/40161 401',
      'POST /v1/accessTokens 200',
      'GET /v1/listings/40161 200',
    ]);
    expect(client.stats.retries).toBe(0);
    await client.close();
  });
});
