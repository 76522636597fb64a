/**
 * The command-line surface over the same call path as MCP and REST: `hostaway-mcp tools` lists what is
 * offered, `hostaway-mcp call <tool> [arguments]` runs one tool and prints its text (or, with --json,
 * its structured answer). Arguments are `--name value`, `name=value` (read as REST reads query
 * parameters: numbers, booleans, comma-separated arrays) or one JSON object. Writes keep the protocol:
 * the first call prints the preview and its confirmationId; the same call with `confirmationId=...`
 * commits it (the confirmation lives in the write store, so the live default, the embedded store,
 * carries it from one command to the next).
 */
import type { Config } from './config.js';
import { FULL_ACCESS, invoke, scopeFor, toolsFor } from './server/call.js';
import { argsFromQuery } from './server/rest-shape.js';
import { createRuntime } from './server/runtime.js';
import type { ToolDefinition } from './tools/define.js';

/** Exit codes: 0 the tool answered, 1 it refused or failed (the message is on stderr), 2 a usage error. */
export async function runToolsCommand(
  config: Config,
  command: 'tools' | 'call',
  rest: string[],
  out: (text: string) => void,
  err: (text: string) => void,
): Promise<number> {
  const runtime = await createRuntime(config);
  try {
    const tools = toolsFor(runtime);
    if (command === 'tools') {
      const width = Math.max(...tools.map((t) => t.name.length));
      for (const t of tools) out(`${t.name.padEnd(width)}  ${scopeFor(t).padEnd(5)}  ${t.title}\n`);
      return 0;
    }
    const json = rest.includes('--json');
    const [name, ...argv] = rest.filter((a) => a !== '--json');
    if (!name) {
      err('name the tool: hostaway-mcp call <tool> [arguments] (hostaway-mcp tools lists them)\n');
      return 2;
    }
    const def = tools.find((t) => t.name === name || t.name === `hostaway_${name}`);
    if (!def) {
      err(`no tool "${name}" is offered here (hostaway-mcp tools lists them)\n`);
      return 2;
    }
    const args = parseArguments(def, argv);
    if ('problem' in args) {
      err(`${args.problem}\n`);
      return 2;
    }
    const stop = new AbortController();
    process.once('SIGINT', () => stop.abort());
    const outcome = await invoke(runtime, def, args.value, {
      caller: { name: 'local (cli)', scopes: FULL_ACCESS, surface: 'cli' },
      signal: stop.signal,
    });
    if (!outcome.ok) {
      err(`${outcome.message}\n`);
      return 1;
    }
    out(json ? `${JSON.stringify(outcome.data, null, 2)}\n` : `${outcome.text}\n`);
    return 0;
  } finally {
    await runtime.close();
  }
}

/** One JSON object, or `--name value` / `--name=value` / `name=value` pairs coerced by the tool's schema. */
export function parseArguments(
  def: ToolDefinition,
  argv: string[],
): { value: Record<string, unknown> } | { problem: string } {
  if (argv.length === 1 && argv[0]?.trim().startsWith('{')) {
    try {
      const value: unknown = JSON.parse(argv[0]);
      if (typeof value === 'object' && value !== null && !Array.isArray(value))
        return { value: value as Record<string, unknown> };
    } catch {
      // Reported below.
    }
    return { problem: 'the arguments are not one valid JSON object' };
  }
  const pairs = new URLSearchParams();
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string;
    const flag = /^--([A-Za-z][\w]*)(?:=(.*))?$/s.exec(token);
    const pair = /^([A-Za-z][\w]*)=(.*)$/s.exec(token);
    if (flag?.[1] && flag[2] !== undefined) pairs.append(flag[1], flag[2]);
    else if (flag?.[1]) {
      const next = argv[i + 1];
      // A flag with no value is a boolean switch (`--includeArchived`).
      if (next === undefined || next.startsWith('--')) pairs.append(flag[1], 'true');
      else {
        pairs.append(flag[1], next);
        i++;
      }
    } else if (pair?.[1] && pair[2] !== undefined) pairs.append(pair[1], pair[2]);
    else return { problem: `cannot read "${token}": write --name value, name=value, or one JSON object` };
  }
  return { value: argsFromQuery(def, pairs) };
}
