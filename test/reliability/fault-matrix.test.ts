/**
 * Every tool against every kind of upstream failure: each call either succeeds (retries recovered) or
 * returns a clear tool error, and the server goes on serving the next call.
 */
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultRuleInput } from '../../src/sandbox/faults.js';
import type { Runtime } from '../../src/server/runtime.js';
import { TOOLS } from '../../src/tools/index.js';
import { connect, startTestRuntime, VALID_ARGS } from '../helpers/server.js';

/** Each fault, and whether every call must come through it (retries, a new token) or may fail clearly. */
const FAULTS: Array<[string, FaultRuleInput | 'revoke', 'recovers' | 'clear error allowed']> = [
  ['a 429 storm', { kind: 'rateLimit', retryAfterSeconds: 0 }, 'clear error allowed'],
  ['one 429 without Retry-After', { kind: 'rateLimit', retryAfterSeconds: null, times: 1 }, 'recovers'],
  ['HTTP 500', { kind: 'status', status: 500 }, 'clear error allowed'],
  ['HTTP 502 once', { kind: 'status', status: 502, times: 1 }, 'recovers'],
  ['HTTP 503 throughout', { kind: 'status', status: 503 }, 'clear error allowed'],
  ['connection resets', { kind: 'reset' }, 'clear error allowed'],
  ['a truncated body once', { kind: 'truncated', times: 1 }, 'recovers'],
  ['malformed bodies', { kind: 'malformed' }, 'clear error allowed'],
  ['a body of the wrong shape', { kind: 'badShape' }, 'clear error allowed'],
  ['a slow answer, past the timeout once', { kind: 'latency', ms: 1_200, times: 1 }, 'recovers'],
  ['a revoked token', 'revoke', 'recovers'],
];

const CLEAR_ERROR = /Hostaway|rate limit|try again|connection|did not send|not found|cancelled/i;
/** The wrapper's answers for our own bugs: a crash, or output that broke its schema. Never clear. */
const INTERNAL_ERROR = /failed unexpectedly|could not vouch|reference [0-9a-f-]{36}/;

describe('fault matrix: every tool under every fault', () => {
  let runtime: Runtime;
  let client: Client;
  let close: () => Promise<void>;
  beforeAll(async () => {
    runtime = await startTestRuntime({
      client: {
        timeouts: { connectMs: 200, writeMs: 200, readMs: 300 },
        retries: { max: 1, delaysMs: [10], jitter: 0, defaultRetryAfterMs: 50 },
      },
    });
    ({ client, close } = await connect(runtime, 'legacy (in-memory)'));
  });
  afterAll(async () => {
    await close();
    await runtime.close();
  });

  for (const [name, fault, expected] of FAULTS) {
    it(`survives ${name}`, async () => {
      const sandbox = runtime.sandbox!;
      const outcomes: string[] = [];
      for (const def of TOOLS) {
        runtime.client.clearCache();
        sandbox.faults.clear();
        if (fault === 'revoke') sandbox.auth.revokeAll();
        else sandbox.faults.add({ ...fault, path: fault.path ?? '/v1/**' });
        const result = await client.callTool({ name: def.name, arguments: VALID_ARGS[def.name] });
        const text = (result.content as Array<{ text: string }>).map((c) => c.text).join('\n');
        if (result.isError) {
          expect(text, `${def.name}: ${text}`).not.toMatch(INTERNAL_ERROR);
          expect(text, `${def.name}: ${text}`).toMatch(CLEAR_ERROR);
          expect(text).not.toMatch(/\n\s+at |node_modules|TypeError|undefined is not/);
          expect(text.length).toBeLessThan(600);
          outcomes.push(`${def.name}: error`);
        } else {
          expect(def.output.safeParse(result.structuredContent).success).toBe(true);
          outcomes.push(`${def.name}: ok`);
        }
      }
      sandbox.faults.clear();
      // And the server keeps serving.
      const after = await client.callTool({
        name: 'hostaway_search_listings',
        arguments: { city: 'Austin' },
      });
      expect(after.isError).toBeFalsy();
      expect(outcomes).toHaveLength(TOOLS.length);
      if (expected === 'recovers') expect(outcomes.filter((o) => o.endsWith('error'))).toEqual([]);
      else expect(outcomes.filter((o) => o.endsWith('error')).length).toBeGreaterThan(0);
    });
  }
});
