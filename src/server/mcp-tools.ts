/**
 * The MCP adapter over the call path: registers each tool the caller may use on an McpServer and maps
 * a call's outcome to an MCP tool result. Elicitation (asking the person directly before a write) is
 * MCP's own, so it lives here too.
 */
import type { McpServer, ServerContext } from '@modelcontextprotocol/server';
import type { ToolDefinition } from '../tools/define.js';
import { linkView } from './apps.js';
import { accountsFor, type Caller, invoke, takesAccount, withAccountProperty } from './call.js';
import type { CallOutcome } from './run-tool.js';
import type { Runtime } from './runtime.js';
import { describeOnly, describeWithAccount } from './schema-cache.js';

export interface ToolResult {
  [key: string]: unknown;
  content: Array<{ type: 'text'; text: string }>;
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

/** An outcome as MCP shows it: the text and the structured answer, or the message as a tool error. */
export function toMcpResult(outcome: CallOutcome): ToolResult {
  if (!outcome.ok) return { content: [{ type: 'text', text: outcome.message }], isError: true };
  return { content: [{ type: 'text', text: outcome.text }], structuredContent: outcome.data };
}

/** The form a write's question takes: one yes/no that must be an explicit yes. */
const CONFIRM_FORM = {
  type: 'object' as const,
  properties: {
    confirm: {
      type: 'boolean' as const,
      title: 'Go ahead',
      description: 'Tick to make this change in Hostaway now',
    },
  },
  required: ['confirm'],
};

export function registerTools(
  server: McpServer,
  runtime: Runtime,
  tools: readonly ToolDefinition[],
  caller: Caller,
  canAsk: boolean,
  /** Whether this caller renders views (MCP Apps): asked when tools/list is answered. */
  viewsOffered: () => boolean = () => false,
): void {
  // Several accounts: each tool's schema gets a required `account`, one of the names this caller may use.
  const names = takesAccount(runtime) ? accountsFor(runtime, caller) : undefined;
  for (const def of tools) {
    const registered = server.registerTool(
      def.name,
      {
        title: def.title,
        description: def.description,
        inputSchema: names
          ? describeWithAccount(def.input, (json) => withAccountProperty(json, names), names.join(','))
          : describeOnly(def.input),
        outputSchema: describeOnly(def.output),
        annotations: { title: def.title, ...def.annotations },
      },
      async (args: unknown, ctx: ServerContext) => {
        const ask =
          canAsk && !def.annotations.readOnlyHint && server.server.getClientCapabilities()?.elicitation
            ? (message: string) => askPerson(ctx, message, runtime.config.writeSettings.confirmTtlMs)
            : undefined;
        const result = toMcpResult(
          await invoke(runtime, def, args, { caller, signal: ctx.mcpReq.signal, ask }),
        );
        if (runtime.mode === 'sandbox') result._meta = { 'hostaway/mode': 'sandbox' };
        return result;
      },
    );
    if (def.view) linkView(registered, def.view, viewsOffered);
  }
}

/**
 * Asks the person through the client (form elicitation): true only on an explicit yes; false on no,
 * cancel or a form left unticked; undefined when the request cannot be made (a 2026-era request, where
 * the SDK refuses it), so that the two-step protocol applies instead.
 */
async function askPerson(
  ctx: ServerContext,
  message: string,
  timeoutMs: number,
): Promise<boolean | undefined> {
  let answer: Awaited<ReturnType<ServerContext['mcpReq']['elicitInput']>>;
  try {
    answer = await ctx.mcpReq.elicitInput(
      { mode: 'form', message, requestedSchema: CONFIRM_FORM },
      { timeout: timeoutMs, signal: ctx.mcpReq.signal },
    );
  } catch {
    return undefined;
  }
  return answer.action === 'accept' && answer.content?.confirm === true;
}
