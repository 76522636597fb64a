/**
 * The surface-neutral call path: which tools a caller may see, and one call of one tool on behalf of a
 * caller, with the context every handler gets. MCP (mcp-tools.ts) and REST (rest.ts) are thin adapters
 * over `invoke`, so both give the same answers, the same error messages and the same audit entries.
 */

import type { HostawayClient } from '../client/client.js';
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
  /** The accounts it may use, by name (a named token may be limited to some); every account when absent. */
  accounts?: ReadonlySet<string>;
}

/** The account names a caller may use, in the configured order. */
export function accountsFor(runtime: Runtime, caller?: Pick<Caller, 'accounts'>): string[] {
  const names = [...runtime.accounts.keys()];
  return caller?.accounts ? names.filter((n) => caller.accounts?.has(n)) : names;
}

/**
 * The account that resources, prompts and completions read for this caller (they take no account
 * argument): the first it may use. Change notices follow it, since they name those resources.
 */
export function resourceAccount(runtime: Runtime, caller?: Pick<Caller, 'accounts'>): string | undefined {
  return accountsFor(runtime, caller)[0];
}

/** The Hostaway account id of that account: what change notices carry. */
export function resourceAccountId(runtime: Runtime, caller?: Pick<Caller, 'accounts'>): string | undefined {
  const name = resourceAccount(runtime, caller);
  return name === undefined ? undefined : runtime.accounts.get(name)?.accountId;
}

/** Whether tools take an `account` argument: only when the server serves more than one account. */
export function takesAccount(runtime: Runtime): boolean {
  return runtime.accounts.size > 1;
}

export const ACCOUNT_DESCRIPTION =
  'Which Hostaway account this call is for: one of the names this server serves (each is a separate Hostaway account with its own listings, reservations and guests).';

/** A tool's JSON input schema with the required `account` property added (several accounts only). */
export function withAccountProperty(
  schema: Record<string, unknown>,
  names: readonly string[],
): Record<string, unknown> {
  const properties = (schema.properties ?? {}) as Record<string, unknown>;
  const required = (schema.required ?? []) as string[];
  return {
    ...schema,
    properties: {
      account: { type: 'string', enum: [...names], description: ACCOUNT_DESCRIPTION },
      ...properties,
    },
    required: ['account', ...required.filter((r) => r !== 'account')],
  };
}

type Picked = { name: string; client: HostawayClient; args: unknown } | { message: string };

/** Takes `account` out of the arguments and finds its client, or says what is wrong with it. */
function pickAccount(runtime: Runtime, def: ToolDefinition, args: unknown, caller: Caller): Picked {
  const allowed = accountsFor(runtime, caller);
  const choose = `one of ${allowed.map((n) => `"${n}"`).join(', ')}`;
  const bad = (why: string) => ({ message: `Invalid arguments for ${def.name}: account: ${why}` });
  if (typeof args !== 'object' || args === null || Array.isArray(args))
    return bad(`this server serves several Hostaway accounts: name the one this call is for (${choose})`);
  const { account, ...rest } = args as Record<string, unknown>;
  if (account === undefined)
    return bad(`this server serves several Hostaway accounts: name the one this call is for (${choose})`);
  if (typeof account !== 'string' || !allowed.includes(account))
    return bad(
      `${typeof account === 'string' ? `"${account.slice(0, 40)}"` : 'that'} is not an account you may use here: use ${choose}`,
    );
  return { name: account, client: runtime.accounts.get(account) as HostawayClient, args: rest };
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
  let client = runtime.client;
  let account: string | undefined;
  if (takesAccount(runtime)) {
    const picked = pickAccount(runtime, def, args, caller);
    if ('message' in picked) {
      runtime.metrics?.observeToolCall(def.name, 'invalid_arguments', 0, caller.surface);
      return { ok: false, kind: 'invalid_arguments', message: picked.message };
    }
    ({ client, args } = picked);
    account = picked.name;
  }
  const ctx: ToolContext = {
    client,
    mode: runtime.mode,
    readOnly: runtime.config.readOnly,
    logger: runtime.logger,
    signal,
    now: runtime.now,
    watching: runtime.changes.watching,
    writes: {
      enabled: runtime.config.writes && !runtime.config.readOnly,
      store: runtime.writeStore,
      caller: caller.name,
      ...(account === undefined ? {} : { account }),
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
