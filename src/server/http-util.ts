/**
 * Small pieces every HTTP route shares: JSON answers, RFC 9457 problem details, and reading a body
 * within the one size limit the MCP endpoint and REST both apply.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The largest request body any route reads: tool arguments are small; a bigger body is a mistake or abuse. */
export const MAX_BODY_BYTES = 1_000_000;

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

export interface Problem {
  status: number;
  /** Short and the same for every occurrence of this kind of problem. */
  title: string;
  /** This occurrence: what happened and what to do. */
  detail: string;
  /** A stable name for the kind of problem, for clients that branch on it. */
  kind: string;
  headers?: Record<string, string>;
}

/** RFC 9457 problem details. The type is a tag URI: stable and unique, with nothing to fetch. */
export function sendProblem(res: ServerResponse, problem: Problem): void {
  res.writeHead(problem.status, { 'content-type': 'application/problem+json', ...problem.headers }).end(
    JSON.stringify({
      type: problemType(problem.kind),
      title: problem.title,
      status: problem.status,
      detail: problem.detail,
    }),
  );
}

export function problemType(kind: string): string {
  return `tag:hostaway-mcp-server,2026:problem/${kind}`;
}

export class BodyTooLarge extends Error {}

/** Reads the whole body, refusing one past `limit` bytes (by its declared length, or as it arrives). */
export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
