/**
 * The surface-neutral call path: which tools a caller may see, and one call of one tool on behalf of a
 * caller, with the context every handler gets. MCP (mcp-tools.ts) and REST (rest.ts) are thin adapters
 * over `invoke`, so both give the same answers, the same error messages and the same audit entries.
 */

import { withCaller } from '../logging.js';
import type { ToolContext, ToolDefinition } from '../tools/define.js';
import { enabledTools } from '../tools/index.js';
import { type CallOutcome, callTool } from './run-tool.js';
import type { Runtime } from './runtime.js';
import { withToolSpan } from './tracing.js';

/** What a caller may do: read tools need `read`, tools that change anything need `write`. */
export type Scope = 'read' | 'write';

export type Surface = 'mcp' | 'rest' | 'cli';

export interface Caller {
  /** Who is calling, as the audit log records it: a token's name, an OAuth subject, "local (stdio)". */
  name: string;
  scopes: ReadonlySet<Scope>;
  surface: Surface;
}

export const FULL_ACCESS: ReadonlySet<Scope> = new Set(['read', 'write']);

/** The scope a tool needs: reading (the audit log included), or changing something. */
export function scopeFor(def: ToolDefinition): Scope {
  return def.annotations.readOnlyHint ? 'read' : 'write';
}

/** The tools the configuration offers, narrowed to those the caller's scopes allow. */
export function toolsFor(runtime: Runtime, scopes: ReadonlySet<Scope> = FULL_ACCESS): ToolDefinition[] {
  return enabledTools({
    readOnly: runtime.config.readOnly,
    writes: runtime.config.writes,
    toolsets: runtime.config.toolsets,
  }).filter((def) => scopes.has(scopeFor(def)));
}

export interface InvokeOptions {
  caller: Caller;
  /** Fires when the caller gives up (client disconnected, request cancelled). */
  signal: AbortSignal;
  /** Asks the person directly, where the surface can (MCP elicitation over a live session). */
  ask?: (message: string) => Promise<boolean | undefined>;
}

/** One call of one tool for one caller: the only way any surface runs a tool. */
export async function invoke(
  runtime: Runtime,
  def: ToolDefinition,
  args: unknown,
  { caller, signal, ask }: InvokeOptions,
): Promise<CallOutcome> {
  const ctx: ToolContext = {
    client: runtime.client,
    mode: runtime.mode,
    readOnly: runtime.config.readOnly,
    logger: runtime.logger,
    signal,
    now: runtime.now,
    writes: {
      enabled: runtime.config.writes && !runtime.config.readOnly,
      store: runtime.writeStore,
      caller: caller.name,
      settings: runtime.config.writeSettings,
      clock: runtime.clock,
      ask,
    },
  };
  const { metrics } = runtime;
  const started = performance.now();
  let outcome = 'internal';
  metrics?.toolCallStarted();
  try {
    // One span per call (a no-op unless the user registers an OpenTelemetry SDK); log lines inside it
    // carry its trace id.
    // The caller's name travels with the call, so that its upstream requests wait in its own line.
    return await withCaller(caller.name, () =>
      withToolSpan(def.name, { 'mcp.surface': caller.surface }, async (span) => {
        const result = await callTool(def, args, ctx, {
          secrets: runtime.secrets,
          deadlineMs: runtime.config.toolDeadlineMs,
        });
        outcome = result.ok ? 'ok' : result.kind;
        span.setOutcome(outcome);
        return result;
      }),
    );
  } finally {
    metrics?.toolCallEnded();
    metrics?.observeToolCall(def.name, outcome, (performance.now() - started) / 1000, caller.surface);
  }
}
