/**
 * `client.webhooks` against the sandbox: the documented CRUD through the one call path, and the retry
 * rule of that path: a failed PUT or DELETE is repeated, a create is not once it may have reached
 * Hostaway (it would register the webhook twice).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostawayClient } from '../../src/client/client.js';
import { HostawayError } from '../../src/client/errors.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { clientFor } from '../helpers/client.js';
import { TEST_NOW } from '../helpers/sandbox.js';

describe('client.webhooks', () => {
  let sandbox: Sandbox;
  let client: HostawayClient;
  beforeAll(async () => {
    sandbox = await startSandbox({ now: TEST_NOW, rateLimits: false });
    client = clientFor(sandbox);
  });
  afterAll(async () => {
    await client.close();
    await sandbox.close();
  });

  it('lists, creates, reads, updates and removes', async () => {
    expect(await client.webhooks.list()).toEqual([]);
    const created = await client.webhooks.create({
      url: 'https://receiver.example.com/webhooks/hostaway',
      login: 'hostaway',
      password: 'secret',
    });
    expect(created).toMatchObject({ isEnabled: 1, login: 'hostaway', password: '****' });
    expect(await client.webhooks.get(created.id)).toEqual(created);
    const updated = await client.webhooks.update(created.id, {
      url: 'https://receiver.example.com/webhooks/hostaway',
      login: 'hostaway',
      password: '****',
      isEnabled: 0,
    });
    expect(updated).toMatchObject({ isEnabled: 0, password: '****' });
    // The masked password sent back keeps the one stored.
    expect(sandbox.webhooks.get(sandbox.accountId, created.id).password).toBe('secret');
    expect(await client.webhooks.list()).toEqual([updated]);
    await client.webhooks.remove(created.id);
    await expect(client.webhooks.get(created.id)).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('refuses a bad body before sending it', async () => {
    const before = sandbox.requests.lastSeq;
    const err = await client.webhooks.create({ url: 'not a url' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostawayError);
    expect((err as HostawayError).message).toMatch(/url/);
    expect(sandbox.requests.list(before).filter((r) => r.path.includes('webhooks'))).toEqual([]);
  });

  it('repeats a PUT that failed with a 503, never a create that may have been done', async () => {
    const w = await client.webhooks.create({ url: 'https://a.example.com/hook' });
    sandbox.faults.add({ kind: 'status', status: 503, method: 'PUT', path: '/v1/webhooks/**', times: 1 });
    expect(await client.webhooks.update(w.id, { url: 'https://b.example.com/hook' })).toMatchObject({
      url: 'https://b.example.com/hook',
    });
    sandbox.faults.add({ kind: 'resetAfterCommit', method: 'POST', path: '/v1/webhooks/**', times: 1 });
    await expect(client.webhooks.create({ url: 'https://c.example.com/hook' })).rejects.toBeInstanceOf(
      HostawayError,
    );
    // Sent once, committed once: no second registration.
    const urls = (await client.webhooks.list()).map((x) => x.url);
    expect(urls.filter((u) => u === 'https://c.example.com/hook')).toHaveLength(1);
    sandbox.faults.clear();
  });
});
