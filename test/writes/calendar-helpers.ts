/**
 * What the calendar write tests share: calling a tool and reading its answer, the sandbox's own view of
 * a calendar (the truth, whatever the server's cache holds), and the writes the sandbox received.
 */
import type { Client } from '@modelcontextprotocol/client';
import type { Runtime } from '../../src/server/runtime.js';

export const LISTING = 40160;

// biome-ignore lint/suspicious/noExplicitAny: structured answers are checked field by field in the tests
export type Answer = { isError: boolean; text: string; s: any };

export async function call(client: Client, name: string, args: Record<string, unknown>): Promise<Answer> {
  const r = await client.callTool({ name, arguments: args });
  const text = (r.content as Array<{ text?: string }>).map((c) => c.text ?? '').join('\n');
  return { isError: Boolean(r.isError), text, s: r.structuredContent };
}

/** Preview, then confirm with the id the preview gave: the two steps of a write the person approved. */
export async function previewAndConfirm(
  client: Client,
  name: string,
  args: Record<string, unknown>,
): Promise<{ preview: Answer; done: Answer }> {
  const preview = await call(client, name, args);
  if (preview.s?.status !== 'preview') throw new Error(`no preview: ${preview.text}`);
  const done = await call(client, name, { ...args, confirmationId: preview.s.confirmationId });
  return { preview, done };
}

/** Each day as the sandbox holds it: the values a calendar write may change, and the status. */
export function sandboxDays(runtime: Runtime, from: string, to: string, listingId = LISTING) {
  return runtime
    .sandbox!.store()
    .calendar(listingId, from, to, false)
    .map((d) => ({
      date: d.date,
      isAvailable: d.isAvailable,
      status: d.status,
      price: d.price,
      minimumStay: d.minimumStay,
      maximumStay: d.maximumStay,
      note: d.note,
    }));
}

/** The requests the sandbox answered since sequence number `since` that were not reads. */
export function writesSince(runtime: Runtime, since: number): string[] {
  return runtime
    .sandbox!.requests.list(since)
    .filter((e) => e.method !== 'GET' && e.path !== '/v1/accessTokens')
    .map((e) => `${e.method} ${e.path}`);
}

export function lastSeq(runtime: Runtime): number {
  return runtime.sandbox!.requests.lastSeq;
}
