/**
 * What every route shares: the Hono context type of the sandbox and the readers of paths, queries and
 * bodies, which turn bad input into a 400 that names what to fix.
 */
import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type * as z from 'zod';
import { badRequest } from './http-error.js';
import { collectParams, ParamReader } from './query.js';

export type Env = {
  Bindings: HttpBindings;
  /** `rawStatus`: what a fault wrote straight to the socket (0 when it wrote nothing). */
  Variables: { accountId: number | null; fault: string | null; rawStatus: number | null };
};
export type Ctx = Context<Env>;

export const JSON_HEADERS = { 'content-type': 'application/json' };

export function json(c: Ctx, body: string, status: ContentfulStatusCode = 200) {
  return c.body(body, status, JSON_HEADERS);
}

/** `attachObjects[]=bookingEngineUrls` fills a listing's `bookingEngineUrls`, empty otherwise. */
export function attachedObjects(q: ParamReader): boolean {
  const names = q.list('attachObjects') ?? [];
  for (const name of names)
    if (name !== 'bookingEngineUrls')
      throw badRequest(`attachObjects[] takes bookingEngineUrls, got "${name}"`);
  return names.length > 0;
}

export function reader(c: Ctx): ParamReader {
  return ParamReader.fromUrl(new URL(c.req.url));
}

export function pathId(c: Ctx, param: string, name: string): number {
  const raw = c.req.param(param) ?? '';
  if (!/^\d+$/.test(raw) || Number(raw) < 1)
    throw badRequest(`${name} must be a positive integer, got "${raw}"`);
  return Number(raw);
}

export async function readJson(c: Ctx): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') throw badRequest('the request body is empty: send a JSON object');
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest('the request body is not valid JSON');
  }
}

export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  throw badRequest(`${where}${issue?.message ?? 'invalid body'}`);
}

/** Form fields of a urlencoded or multipart body (what OAuth and the finance endpoints take). */
export async function readForm(c: Ctx): Promise<Map<string, string[]>> {
  const type = c.req.header('content-type') ?? '';
  if (!/application\/x-www-form-urlencoded|multipart\/form-data/i.test(type)) return new Map();
  const body = await c.req.parseBody({ all: true });
  return collectParams(Object.entries(body).filter(([, v]) => typeof v === 'string' || Array.isArray(v)));
}

export async function readFormOrJson(c: Ctx): Promise<Map<string, string[]>> {
  if (/application\/json/i.test(c.req.header('content-type') ?? '')) {
    const body = await readJson(c);
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw badRequest('the request body must be a JSON object of report parameters');
    return collectParams(Object.entries(body).map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : v]));
  }
  return readForm(c);
}
