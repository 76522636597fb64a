import * as z from 'zod';
import {
  AccessTokenResponse,
  FailBody,
  itemEnvelope,
  listEnvelope,
  strictly,
} from '../../src/hostaway/schemas.js';
import { type Sandbox, type SandboxOptionsInput, startSandbox } from '../../src/sandbox/index.js';

/** The sandbox's "today" in every test: a fixed date keeps the seeded account identical run to run. */
export const TEST_NOW = '2026-11-25T12:00:00Z';

export interface Harness {
  sandbox: Sandbox;
  token: string;
  /** fetch against the sandbox's /v1 base with the bearer token. */
  api(path: string, init?: RequestInit): Promise<Response>;
  /** GET a path and return the parsed JSON body, failing the test on a non-2xx status. */
  get<T = unknown>(path: string): Promise<T>;
  close(): Promise<void>;
}

export async function mintToken(sandbox: Sandbox): Promise<string> {
  const res = await fetch(`${sandbox.url}/accessTokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: String(sandbox.accountId),
      client_secret: sandbox.clientSecret,
      scope: 'general',
    }),
  });
  if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${await res.text()}`);
  return AccessTokenResponse.parse(await res.json()).access_token;
}

/** Starts a sandbox (rate limits off unless the test asks for them) and mints a token. */
export async function startHarness(options: SandboxOptionsInput = {}): Promise<Harness> {
  const sandbox = await startSandbox({ now: TEST_NOW, rateLimits: false, ...options });
  const harness: Harness = {
    sandbox,
    token: await mintToken(sandbox),
    api: (path: string, init: RequestInit = {}) =>
      fetch(`${sandbox.url}${path}`, {
        ...init,
        headers: {
          authorization: `Bearer ${harness.token}`,
          ...(init.headers as Record<string, string> | undefined),
        },
      }),
    async get<T>(path: string): Promise<T> {
      const res = await harness.api(path);
      const text = await res.text();
      if (!res.ok) throw new Error(`GET ${path} -> ${res.status}: ${text}`);
      return JSON.parse(text) as T;
    },
    close: () => sandbox.close(),
  };
  return harness;
}

/** Parses a list response strictly: envelope and each item must carry only documented fields. */
export function parseList<Shape extends z.ZodRawShape>(item: z.ZodObject<Shape>, body: unknown) {
  return listEnvelope(strictly(item)).parse(body);
}

export function parseItem<Shape extends z.ZodRawShape>(item: z.ZodObject<Shape>, body: unknown) {
  return itemEnvelope(strictly(item)).parse(body);
}

/** Expects a documented failure: the status and a `fail` body whose message matches. */
export async function expectFail(res: Response, status: number, message?: RegExp): Promise<string> {
  const text = await res.text();
  if (res.status !== status) throw new Error(`expected HTTP ${status}, got ${res.status}: ${text}`);
  const body = FailBody.parse(JSON.parse(text));
  const said = body.result ?? body.message ?? '';
  if (message && !message.test(said)) throw new Error(`message "${said}" does not match ${message}`);
  return said;
}

export const json = (body: unknown): RequestInit => ({
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

export { z };

/**
 * The documented keys an answer lacks (the strict parsers reject extra keys; this catches missing ones).
 * A key whose value is null counts as present: the docs show absent values as null.
 */
export function missingKeys(item: unknown, keys: readonly string[]): string[] {
  if (typeof item !== 'object' || item === null) return [...keys];
  return keys.filter((k) => !Object.hasOwn(item, k));
}

/** Fails with the object's label and the keys it lacks. */
export function expectDocumentedKeys(label: string, item: unknown, keys: readonly string[]): void {
  const missing = missingKeys(item, keys);
  if (missing.length > 0) throw new Error(`${label} lacks documented field(s): ${missing.join(', ')}`);
}
