/**
 * The wrapper every tool call runs in, with tools made for the test: each way a call can end (bad
 * arguments, an answer, an answer that does not fit its schema, a Hostaway failure, a crash) gives the
 * model a short, honest message and leaves the detail, with a reference, in the log.
 */
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import type { HostawayClient } from '../../src/client/client.js';
import { HostawayError } from '../../src/client/errors.js';
import { currentCorrelationId } from '../../src/logging.js';
import { toMcpResult } from '../../src/server/mcp-tools.js';
import { callTool, MAX_TEXT_CHARS } from '../../src/server/run-tool.js';
import {
  defineTool,
  READ_ONLY,
  type ToolContext,
  type ToolDefinition,
  ToolInputError,
} from '../../src/tools/define.js';
import { DEFAULT_WRITE_SETTINGS } from '../../src/writes/engine.js';
import { MemoryWriteStore } from '../../src/writes/memory-store.js';
import { capturedLogger } from '../helpers/client.js';

function tool(
  handler: (args: { n: number; word?: string }, ctx: ToolContext) => Promise<{ double: number }>,
) {
  return defineTool({
    name: 'hostaway_test_tool',
    title: 'Test tool',
    description: 'a tool made for the wrapper test',
    toolset: 'account',
    input: z.object({ n: z.number().int().min(1), word: z.string().max(5).optional() }).strict(),
    output: z.object({ double: z.number().int() }),
    annotations: READ_ONLY,
    handler,
    render: (o) => `double is ${o.double}`,
  });
}

function context() {
  const log = capturedLogger('debug');
  const ctx: ToolContext = {
    client: {} as HostawayClient,
    mode: 'sandbox',
    readOnly: false,
    logger: log.logger,
    signal: new AbortController().signal,
    now: () => Date.parse('2026-11-25T12:00:00Z'),
    writes: {
      enabled: true,
      store: async () => new MemoryWriteStore(),
      caller: 'test',
      settings: DEFAULT_WRITE_SETTINGS,
      clock: Date.now,
    },
  };
  return { ctx, log };
}

/** The call as MCP shows it: the surface-neutral outcome through the MCP adapter. */
const runTool = async (...args: Parameters<typeof callTool>) => toMcpResult(await callTool(...args));

const text = (r: { content: Array<{ text: string }> }) => r.content.map((c) => c.text).join('\n');
const double = tool(async ({ n }) => ({ double: n * 2 }));
/** The test tool with some parts replaced (another input schema, another rendering). */
const variant = (parts: Partial<Record<keyof ToolDefinition, unknown>>) =>
  ({ ...double, ...parts }) as unknown as ToolDefinition;

describe('runTool', () => {
  it('answers with the structured output and its rendering, and logs the outcome', async () => {
    const { ctx, log } = context();
    const result = await runTool(double, { n: 21 }, ctx);
    expect(result).toEqual({
      content: [{ type: 'text', text: 'double is 42' }],
      structuredContent: { double: 42 },
    });
    const [line] = log.parsed();
    expect(line).toMatchObject({ tool: 'hostaway_test_tool', outcome: 'ok', chars: 12, msg: 'tool call' });
    expect(line?.ms).toBeGreaterThanOrEqual(0);
    expect(line?.correlationId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('gives the handler its own correlation id, the one the log lines carry', async () => {
    const { ctx, log } = context();
    let seen: string | undefined;
    await runTool(
      tool(async ({ n }) => {
        seen = currentCorrelationId();
        return { double: n };
      }),
      { n: 1 },
      ctx,
    );
    expect(seen).toBeDefined();
    expect(log.parsed()[0]?.correlationId).toBe(seen);
  });

  it('lets the handler read many things at once: its signal takes any number of listeners', async () => {
    const { ctx } = context();
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      const result = await runTool(
        tool(async ({ n }, c) => {
          // As 25 cached reads in parallel do, each until it ends.
          const stops = Array.from({ length: 25 }, () => {
            const listener = () => undefined;
            c.signal.addEventListener('abort', listener);
            return () => c.signal.removeEventListener('abort', listener);
          });
          for (const stop of stops) stop();
          return { double: n };
        }),
        { n: 1 },
        ctx,
      );
      await new Promise((r) => setImmediate(r));
      expect(result.isError, text(result)).toBeFalsy();
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('rejects bad arguments naming each field (at most four), before the handler runs', async () => {
    const { ctx, log } = context();
    let ran = false;
    const spy = tool(async () => {
      ran = true;
      return { double: 0 };
    });
    const result = await runTool(spy, { n: 0, word: 'toolong', extra: 1 }, ctx);
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toBeUndefined();
    expect(text(result)).toMatch(/^Invalid arguments for hostaway_test_tool: /);
    expect(text(result)).toMatch(/n: Too small/);
    expect(text(result)).toMatch(/word: Too big/);
    expect(text(result)).toMatch(/extra/);
    expect(text(result).split('; ')).toHaveLength(3);
    expect(ran).toBe(false);
    expect(log.parsed()[0]).toMatchObject({ outcome: 'invalid_arguments', msg: 'tool call rejected' });
    const many = await runTool(
      variant({
        input: z.object({ a: z.number(), b: z.number(), c: z.number(), d: z.number(), e: z.number() }),
      }),
      {},
      ctx,
    );
    expect(text(many).split('; ')).toHaveLength(4);
    expect(text(many)).not.toMatch(/\be:/);
    const nested = await runTool(
      variant({
        input: z
          .object({ stay: z.object({ nights: z.number() }) })
          .refine(() => false, { message: 'the stay does not fit', path: [] }),
      }),
      { stay: { nights: 'two' } },
      ctx,
    );
    expect(text(nested)).toBe(
      'Invalid arguments for hostaway_test_tool: stay.nights: Invalid input: expected number, received string',
    );
    const whole = await runTool(
      variant({ input: z.object({}).refine(() => false, { message: 'the stay does not fit' }) }),
      {},
      ctx,
    );
    expect(text(whole)).toBe('Invalid arguments for hostaway_test_tool: the stay does not fit');
  });

  it('treats missing arguments as none', async () => {
    const { ctx } = context();
    const noArgs = variant({ input: z.object({}).strict(), handler: async () => ({ double: 2 }) });
    const result = await runTool(noArgs, undefined, ctx);
    expect(result.isError).toBeUndefined();
    expect(result.structuredContent).toEqual({ double: 2 });
  });

  it('a message the handler raises about its arguments reaches the model as it is', async () => {
    const { ctx, log } = context();
    const result = await runTool(
      tool(async () => {
        throw new ToolInputError('checkOut must be at least one day after checkIn.');
      }),
      { n: 1 },
      ctx,
    );
    expect(result).toEqual({
      content: [{ type: 'text', text: 'checkOut must be at least one day after checkIn.' }],
      isError: true,
    });
    expect(log.parsed()[0]).toMatchObject({ outcome: 'invalid_arguments', msg: 'tool call rejected' });
  });

  it('a Hostaway failure gives its own message; a cancelled call says so', async () => {
    const { ctx, log } = context();
    const down = await runTool(
      tool(async () => {
        throw new HostawayError('upstream', 'Hostaway is having trouble (HTTP 503).', { status: 503 });
      }),
      { n: 1 },
      ctx,
    );
    expect(text(down)).toBe('Hostaway is having trouble (HTTP 503).');
    expect(down.isError).toBe(true);
    expect(log.parsed()[0]).toMatchObject({ outcome: 'upstream', status: 503, msg: 'tool call failed' });
    expect(log.parsed()[0]?.level).toBe('warn');
    const cancelled = await runTool(
      tool(async () => {
        throw new HostawayError('cancelled', 'aborted by signal');
      }),
      { n: 1 },
      ctx,
    );
    expect(text(cancelled)).toBe('hostaway_test_tool was cancelled.');
  });

  it('a crash in the handler is an internal error: a reference for the model, the detail in the log', async () => {
    const { ctx, log } = context();
    const result = await runTool(
      tool(async () => {
        const missing = undefined as unknown as { name: string };
        return { double: missing.name.length };
      }),
      { n: 1 },
      ctx,
    );
    expect(result.isError).toBe(true);
    const line = log.parsed()[0]!;
    expect(line).toMatchObject({ outcome: 'internal_error', level: 'error', msg: 'tool handler crashed' });
    expect((line.err as { type: string }).type).toBe('TypeError');
    expect(text(result)).toBe(
      `hostaway_test_tool failed unexpectedly (reference ${line.correlationId}). The server log has the details; try again or report it.`,
    );
    expect(text(result)).not.toMatch(/TypeError|undefined|\n\s+at /);
  });

  it('an answer that does not fit the output schema is withheld, with a reference', async () => {
    const { ctx, log } = context();
    const result = await runTool(
      tool(async () => ({ double: 1.5 })),
      { n: 1 },
      ctx,
    );
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toBeUndefined();
    const line = log.parsed()[0]!;
    expect(line).toMatchObject({
      outcome: 'bad_output',
      level: 'error',
      msg: 'tool answer did not fit its schema',
    });
    expect(line.issues).toMatch(/^double: /);
    expect(text(result)).toBe(
      `hostaway_test_tool produced an answer it could not vouch for (reference ${line.correlationId}). Please report it; the details are in the server log.`,
    );
  });

  it('scrubs known secrets and tokens from any error text', async () => {
    const { ctx } = context();
    const result = await runTool(
      tool(async () => {
        throw new HostawayError('invalid_request', 'rejected key live-key-9f8e7d with Bearer abc.def.ghi');
      }),
      { n: 1 },
      ctx,
      { secrets: ['live-key-9f8e7d'] },
    );
    expect(text(result)).toBe('rejected key [redacted] with Bearer [redacted]');
  });

  it('cuts text past the cap with a note that says how to ask for less', async () => {
    const { ctx } = context();
    const long = variant({ render: (o: { double: number }) => 'x'.repeat(MAX_TEXT_CHARS + o.double) });
    const cut = text(await runTool(long, { n: 5 }, ctx));
    expect(cut.startsWith('x'.repeat(MAX_TEXT_CHARS))).toBe(true);
    expect(cut.slice(MAX_TEXT_CHARS)).toBe(
      `\n[cut at ${MAX_TEXT_CHARS} characters: ask for fewer items (limit) or a narrower range]`,
    );
    const exact = variant({ render: () => 'y'.repeat(MAX_TEXT_CHARS) });
    expect(text(await runTool(exact, { n: 1 }, ctx))).toBe('y'.repeat(MAX_TEXT_CHARS));
  });

  it('stops a call at its deadline, whether or not the handler listens to its signal', async () => {
    const { ctx, log } = context();
    const listening = tool(
      (_args, call) =>
        new Promise((_, reject) =>
          call.signal.addEventListener('abort', () =>
            reject(new HostawayError('cancelled', 'The request to Hostaway was cancelled.')),
          ),
        ),
    );
    const deaf = tool(() => new Promise(() => undefined));
    for (const def of [listening, deaf]) {
      const result = await runTool(def, { n: 1 }, ctx, { deadlineMs: 1_000 });
      expect(result.isError).toBe(true);
      expect(text(result)).toBe(
        'hostaway_test_tool did not finish within 1 s (the deadline for one tool call) and was stopped. Hostaway may be slow or the rate budget busy: try again shortly, or ask for less at once.',
      );
    }
    expect(log.parsed().map((l) => [l.outcome, l.msg, l.deadlineMs])).toEqual([
      ['deadline', 'tool call stopped at its deadline', 1_000],
      ['deadline', 'tool call stopped at its deadline', 1_000],
    ]);
  });

  it('a caller who gives up gets "cancelled", not the deadline', async () => {
    const { ctx } = context();
    const stop = new AbortController();
    const waiting = tool(
      (_args, call) =>
        new Promise((_, reject) =>
          call.signal.addEventListener('abort', () => reject(new HostawayError('cancelled', 'cancelled'))),
        ),
    );
    const pending = runTool(waiting, { n: 1 }, { ...ctx, signal: stop.signal }, { deadlineMs: 60_000 });
    stop.abort();
    expect(text(await pending)).toBe('hostaway_test_tool was cancelled.');
  });

  it('names the kind of each failure, for surfaces that map it (HTTP statuses)', async () => {
    const { ctx } = context();
    const kinds = async (def: ToolDefinition, args: unknown, deadlineMs = 60_000) => {
      const outcome = await callTool(def, args, ctx, { deadlineMs });
      return outcome.ok ? 'ok' : outcome.kind;
    };
    const raising = (err: unknown) =>
      tool(async () => {
        throw err;
      });
    expect(await kinds(double, { n: 1 })).toBe('ok');
    expect(await kinds(double, { n: 0 })).toBe('invalid_arguments');
    expect(await kinds(raising(new ToolInputError('no')), { n: 1 })).toBe('invalid_arguments');
    expect(await kinds(raising(new HostawayError('not_found', 'gone')), { n: 1 })).toBe('not_found');
    expect(await kinds(raising(new HostawayError('cancelled', 'gone')), { n: 1 })).toBe('cancelled');
    expect(await kinds(raising(new TypeError('bug')), { n: 1 })).toBe('internal');
    expect(
      await kinds(
        tool(async () => ({ double: 0.5 })),
        { n: 1 },
      ),
    ).toBe('bad_output');
    expect(
      await kinds(
        tool(() => new Promise(() => undefined)),
        { n: 1 },
        50,
      ),
    ).toBe('deadline');
    const limited = await callTool(
      raising(new HostawayError('rate_limited', 'slow down', { retryAfterSeconds: 7 })),
      { n: 1 },
      ctx,
    );
    expect(limited).toEqual({ ok: false, kind: 'rate_limited', message: 'slow down', retryAfterSeconds: 7 });
    expect(await callTool(double, { n: 2 }, ctx)).toEqual({
      ok: true,
      data: { double: 4 },
      text: 'double is 4',
    });
  });
});
