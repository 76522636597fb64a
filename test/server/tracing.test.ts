/**
 * Trace context through the OpenTelemetry API. The first block runs with nothing registered (as the
 * server ships); the second registers a real SDK (devDependencies only: in-memory exporter, the
 * AsyncLocalStorage context manager, the W3C propagator), as a user's exporter setup would.
 */
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { HostawayClient } from '../../src/client/client.js';
import { HostawayError } from '../../src/client/errors.js';
import { withCorrelation } from '../../src/logging.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { startHttpServer } from '../../src/server/http.js';
import { currentTraceIds, withIncomingContext, withToolSpan } from '../../src/server/tracing.js';
import { capturedLogger, clientFor } from '../helpers/client.js';
import { TEST_NOW } from '../helpers/sandbox.js';
import { startTestRuntime } from '../helpers/server.js';

const TRACEPARENT_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const TRACEPARENT_SPAN = '00f067aa0ba902b7';
const TRACEPARENT = `00-${TRACEPARENT_TRACE}-${TRACEPARENT_SPAN}-01`;

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ now: TEST_NOW, rateLimits: false });
});
afterAll(() => sandbox.close());

/** A client whose log lines (debug included: one per upstream request) are kept. */
function loggedClient(): { client: HostawayClient; lines: () => Record<string, unknown>[] } {
  const { logger, parsed } = capturedLogger('debug');
  return { client: clientFor(sandbox, {}, logger), lines: parsed };
}
const upstreamLines = (lines: Record<string, unknown>[]) => lines.filter((l) => l.msg === 'hostaway request');

describe('with no OpenTelemetry SDK registered (as the server ships)', () => {
  it('runs the call, returns its value and rethrows its error, with no trace ids anywhere', async () => {
    const { client, lines } = loggedClient();
    const seen: unknown[] = [];
    const value = await withToolSpan(
      'get_listing',
      { 'mcp.surface': 'mcp' },
      async ({ span, setOutcome }) => {
        seen.push(currentTraceIds(), span.isRecording());
        setOutcome('ok');
        return (await client.listings.get(40160)).id;
      },
    );
    expect(value).toBe(40160);
    expect(seen).toEqual([undefined, false]);
    const upstream = upstreamLines(lines());
    expect(upstream.length).toBe(2); // token and listing
    for (const l of lines()) {
      expect(l).not.toHaveProperty('traceId');
      expect(l).not.toHaveProperty('spanId');
    }
    const boom = new HostawayError('upstream', 'Hostaway is down');
    await expect(
      withToolSpan('get_listing', {}, async () => {
        throw boom;
      }),
    ).rejects.toBe(boom);
    await client.close();
  });

  it('ignores an incoming traceparent: the no-op propagator extracts nothing', async () => {
    const ids = await withIncomingContext({ traceparent: TRACEPARENT }, () =>
      withToolSpan('get_listing', {}, async () => currentTraceIds()),
    );
    expect(ids).toBeUndefined();
    expect(withIncomingContext({ traceparent: TRACEPARENT }, () => 7)).toBe(7);
  });
});

describe('with an SDK registered (a user exporter picks the spans up)', () => {
  const exporter = new InMemorySpanExporter();
  const contextManager = new AsyncLocalStorageContextManager();
  beforeAll(() => {
    contextManager.enable();
    expect(context.setGlobalContextManager(contextManager)).toBe(true);
    expect(
      trace.setGlobalTracerProvider(
        new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }),
      ),
    ).toBe(true);
    expect(propagation.setGlobalPropagator(new W3CTraceContextPropagator())).toBe(true);
  });
  afterAll(() => {
    trace.disable();
    context.disable();
    propagation.disable();
  });
  beforeEach(() => exporter.reset());
  const only = (): ReadableSpan => {
    const spans = exporter.getFinishedSpans();
    expect(spans.length).toBe(1);
    return spans[0] as ReadableSpan;
  };

  it('makes one ended SERVER span per call, named for the tool, with its attributes and outcome', async () => {
    const value = await withToolSpan(
      'get_listing',
      { 'mcp.surface': 'rest', 'mcp.correlation_id': 'c-1' },
      async () => 'done',
    );
    expect(value).toBe('done');
    const span = only();
    expect(span.name).toBe('tools/call get_listing');
    expect(span.kind).toBe(SpanKind.SERVER);
    expect(span.ended).toBe(true);
    expect(span.instrumentationScope.name).toBe('hostaway-mcp-server');
    expect(span.instrumentationScope.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(span.attributes).toEqual({
      'mcp.method.name': 'tools/call',
      'mcp.tool.name': 'get_listing',
      'gen_ai.tool.name': 'get_listing',
      'mcp.surface': 'rest',
      'mcp.correlation_id': 'c-1',
      'mcp.tool.outcome': 'ok',
    });
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.parentSpanContext).toBeUndefined();
  });

  it('marks a failure the function reports (an error result, not a throw) as ERROR', async () => {
    await withToolSpan('get_listing', { 'mcp.surface': 'mcp' }, async ({ setOutcome }) => {
      setOutcome('rate_limited');
    });
    const span = only();
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'rate_limited' });
    expect(span.attributes['mcp.tool.outcome']).toBe('rate_limited');
    expect(span.attributes['error.type']).toBe('rate_limited');
    expect(span.ended).toBe(true);
  });

  it('marks a throw as ERROR with the error kind (never its message), ends the span and rethrows', async () => {
    const boom = new HostawayError('upstream', 'secret-bearing message https://user:pw@example.invalid');
    await expect(
      withToolSpan('get_listing', {}, async () => {
        throw boom;
      }),
    ).rejects.toBe(boom);
    let span = only();
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes['error.type']).toBe('upstream');
    expect(span.attributes['mcp.tool.outcome']).toBe('upstream');
    expect(JSON.stringify([span.status, span.attributes, span.events])).not.toContain('secret-bearing');
    expect(span.ended).toBe(true);

    exporter.reset();
    await expect(
      withToolSpan('get_listing', {}, async () => {
        throw new TypeError('bug');
      }),
    ).rejects.toThrow('bug');
    span = only();
    expect(span.attributes['error.type']).toBe('TypeError');
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('puts the span ids on the log lines of the upstream requests made inside it, and only those', async () => {
    const { client, lines } = loggedClient();
    let inside: ReturnType<typeof currentTraceIds>;
    await withCorrelation(
      () =>
        withToolSpan('get_listing', { 'mcp.surface': 'mcp' }, async ({ span }) => {
          inside = currentTraceIds();
          expect(inside).toEqual({ traceId: span.spanContext().traceId, spanId: span.spanContext().spanId });
          await client.listings.get(40160);
          await client.calendar.get(40160, { startDate: '2026-12-01', endDate: '2026-12-02' });
        }),
      'corr-42',
    );
    await client.listings.get(40161); // outside any span
    expect(currentTraceIds()).toBeUndefined();

    const span = only();
    const upstream = upstreamLines(lines());
    expect(upstream.map((l) => l.path)).toEqual([
      '/accessTokens',
      '/listings/40160',
      '/listings/40160/calendar',
      '/listings/40161',
    ]);
    for (const l of upstream.slice(0, 3)) {
      expect(l.traceId).toBe(span.spanContext().traceId);
      expect(l.spanId).toBe(span.spanContext().spanId);
      expect(l.correlationId).toBe('corr-42');
    }
    expect(inside?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(upstream[3]).not.toHaveProperty('traceId');
    expect(upstream[3]).not.toHaveProperty('spanId');
    await client.close();
  });

  it('keeps concurrent calls apart, and redaction and explicit fields as they were', async () => {
    const { logger, parsed } = capturedLogger('info');
    await Promise.all(
      ['a', 'b', 'c'].map((tool) =>
        withToolSpan(tool, {}, async () => {
          await new Promise((r) => setTimeout(r, 5));
          logger.info({ tool, apiKey: 'sk-very-secret', headers: { authorization: 'Bearer x' } }, 'inside');
        }),
      ),
    );
    const spans = new Map(exporter.getFinishedSpans().map((s) => [s.attributes['mcp.tool.name'], s]));
    const lines = parsed();
    expect(lines.length).toBe(3);
    for (const l of lines) {
      const span = spans.get(l.tool as string);
      expect(l.traceId).toBe(span?.spanContext().traceId);
      expect(l.spanId).toBe(span?.spanContext().spanId);
      expect(l.apiKey).toBe('[redacted]');
      expect((l.headers as Record<string, unknown>).authorization).toBe('[redacted]');
    }
    expect(new Set(lines.map((l) => l.traceId)).size).toBe(3);
  });

  it('continues the trace of an incoming W3C traceparent', async () => {
    await withIncomingContext({ traceparent: TRACEPARENT, 'content-type': 'application/json' }, () =>
      withToolSpan('get_listing', {}, async () => {
        expect(currentTraceIds()?.traceId).toBe(TRACEPARENT_TRACE);
      }),
    );
    const span = only();
    expect(span.spanContext().traceId).toBe(TRACEPARENT_TRACE);
    expect(span.parentSpanContext?.spanId).toBe(TRACEPARENT_SPAN);
    expect(span.parentSpanContext?.isRemote).toBe(true);

    // A malformed header starts a trace of its own.
    exporter.reset();
    await withIncomingContext({ traceparent: 'not-a-traceparent' }, () =>
      withToolSpan('get_listing', {}, async () => undefined),
    );
    expect(only().parentSpanContext).toBeUndefined();
  });

  it('over the real HTTP server: a REST call with a traceparent is one span in that trace, its log lines too', async () => {
    const { logger, parsed } = capturedLogger('info');
    const runtime = await startTestRuntime({ logger });
    const http = await startHttpServer(runtime);
    try {
      const res = await fetch(`${http.url.replace(/\/mcp$/, '')}/api/v1/get_listing?listingId=40160`, {
        headers: { traceparent: TRACEPARENT },
      });
      expect(res.status).toBe(200);
      const span = exporter.getFinishedSpans().find((s) => s.name === 'tools/call hostaway_get_listing');
      expect(span?.spanContext().traceId).toBe(TRACEPARENT_TRACE);
      expect(span?.parentSpanContext?.spanId).toBe(TRACEPARENT_SPAN);
      expect(span?.attributes['mcp.surface']).toBe('rest');
      expect(span?.attributes['mcp.tool.outcome']).toBe('ok');
      const callLine = parsed().find((l) => l.msg === 'tool call' && l.tool === 'hostaway_get_listing');
      expect(callLine?.traceId).toBe(TRACEPARENT_TRACE);
    } finally {
      await http.close();
      await runtime.close();
    }
  });
});
