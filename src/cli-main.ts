/**
 * Command line: `hostaway-mcp [command] [options]` (started by src/cli.ts).
 *
 *   (none), stdio   the MCP server over stdio (what Claude Desktop, Cursor... launch)
 *   http            the MCP server over Streamable HTTP
 *   sandbox         the local Hostaway API sandbox (demo data, rate limits, fault injection)
 *   tools, call     the tools from the command line, through the same call path
 *   webhook         register, list or remove the account's Hostaway unified webhook
 *
 * In stdio mode stdout carries the protocol only: logs go to stderr. The sandbox command prints its
 * banner to stdout.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs, parseEnv } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { ZodError } from 'zod';
import { ConfigError, checkHttpConfig, loadConfig } from './config.js';
import type { SandboxOptionsInput } from './sandbox/index.js';
import { createRuntime } from './server/runtime.js';
import { SERVER_VERSION } from './server/server.js';
import { startStdioServer } from './server/stdio.js';

const USAGE = `Usage: hostaway-mcp [command] [options]

Commands:
  stdio (default)         Run the MCP server over stdio
  http                    Serve Streamable HTTP (/mcp), REST (/api/v1/), docs (/docs), /health, /ready, /metrics
  sandbox                 Run the local Hostaway API sandbox
  tools                   List the tools offered, with the scope each needs
  call <tool> [args]      Run one tool and print its answer: --name value, name=value, or one JSON
                          object; --json prints the structured answer. Writes preview first: repeat
                          with confirmationId=... to commit
  webhook register --url <URL> [--login L --password P] [--alert-email E]
                          Point the account's Hostaway unified webhook at this server's receiver
                          (a bare origin gets /webhooks/hostaway; login and password default to
                          HOSTAWAY_WEBHOOK_LOGIN / HOSTAWAY_WEBHOOK_PASSWORD and are required; an
                          existing registration of the URL is updated)
  webhook list [--json]   The unified webhooks registered (passwords never shown)
  webhook remove <id> | --url <URL>

Server options (each also an environment variable; see the README):
  --env-file <path>       Read settings from this file (default: .env when present)
  --read-only             Offer read-only tools only (HOSTAWAY_READ_ONLY)
  --writes                Offer the write tools, previewed and confirmed (HOSTAWAY_WRITES; on in demo mode)
  --toolsets <list>       Comma-separated tool families to offer (HOSTAWAY_TOOLSETS)
  --log-level <level>     fatal, error, warn, info, debug, trace or silent (LOG_LEVEL)
  --host <addr>           HTTP: address to bind (MCP_HTTP_HOST, default 127.0.0.1)
  --port <n>              HTTP: port (MCP_HTTP_PORT, default 3000; 0 picks a free one)
  --sandbox-seed <n>      Demo mode: seed of the generated account (HOSTAWAY_SANDBOX_SEED)
  --sandbox-listings <n>  Demo mode: number of listings (HOSTAWAY_SANDBOX_LISTINGS)
  Credentials come from HOSTAWAY_ACCOUNT_ID and HOSTAWAY_API_KEY (or HOSTAWAY_API_KEY_FILE);
  without them the server runs on the built-in sandbox (demo mode).

Sandbox options:
  --port <n>              Port to listen on (default 4010; 0 picks a free one)
  --host <addr>           Address to bind (default 127.0.0.1)
  --seed <n>              Seed of the generated account (default 42)
  --listings <n>          Number of listings (default 25)
  --now <date>            The sandbox's "today", e.g. 2026-11-25 (default: the real today)
  --account-id <n>        Demo account id (default 12345)
  --client-secret <s>     Demo client secret
  --token-ttl <seconds>   Access token lifetime (default 24 months)
  --no-rate-limits        Serve without Hostaway's rate limits
  --rate-window-ms <ms>   Shrink or stretch the 10 s rate-limit windows (same counts)
  --fault <spec>          Inject a fault, e.g. kind=status,status=503,path=/v1/reservations*,times=3
                          (repeatable; kinds: latency status rateLimit reset malformed truncated slowBody badShape
                          resetAfterCommit hangAfterCommit)
  --admin                 Enable the admin API under /_sandbox (faults, request log, tokens, clock,
                          webhook deliveries, guest messages, activity)
  --webhook-time-scale <x>  Scale unified-webhook waits (retries 1, 6, 36 min; ack 20 s), e.g. 0.01
`;

function fail(message: string): never {
  console.error(`hostaway-mcp: ${message}\n\n${USAGE}`);
  process.exit(2);
}

function intOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value)) fail(`--${name} must be an integer, got "${value}"`);
  return Number(value);
}

async function runSandbox(argv: string[]): Promise<void> {
  const { parseFaultSpec } = await import('./sandbox/faults.js');
  const { startSandbox } = await import('./sandbox/index.js');
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      seed: { type: 'string' },
      listings: { type: 'string' },
      now: { type: 'string' },
      'account-id': { type: 'string' },
      'client-secret': { type: 'string' },
      'token-ttl': { type: 'string' },
      'no-rate-limits': { type: 'boolean' },
      'rate-window-ms': { type: 'string' },
      fault: { type: 'string', multiple: true },
      admin: { type: 'boolean' },
      'webhook-time-scale': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const windowMs = intOption('rate-window-ms', values['rate-window-ms']);
  const scale = values['webhook-time-scale'];
  if (scale !== undefined && !(Number(scale) > 0))
    fail(`--webhook-time-scale must be a number above 0, got "${scale}"`);
  const options: SandboxOptionsInput = {
    port: intOption('port', values.port) ?? 4010,
    host: values.host,
    seed: intOption('seed', values.seed),
    listings: intOption('listings', values.listings),
    now: values.now,
    accountId: intOption('account-id', values['account-id']),
    clientSecret: values['client-secret'],
    tokenTtlSeconds: intOption('token-ttl', values['token-ttl']),
    admin: values.admin,
    webhooks: scale === undefined ? undefined : { timeScale: Number(scale) },
    faults: (values.fault ?? []).map((spec) => {
      try {
        return parseFaultSpec(spec);
      } catch (err) {
        return fail(`--fault "${spec}": ${err instanceof ZodError ? err.issues[0]?.message : String(err)}`);
      }
    }),
  };
  if (values['no-rate-limits']) options.rateLimits = false;
  else if (windowMs !== undefined)
    options.rateLimits = { perIp: { limit: 15, windowMs }, perAccount: { limit: 20, windowMs } };

  const started = performance.now();
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  try {
    sandbox = await startSandbox(options);
  } catch (err) {
    if (err instanceof ZodError) {
      const issue = err.issues[0];
      fail(`invalid option ${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}`);
    }
    fail(err instanceof Error ? err.message : String(err));
  }
  // Handlers first: a supervisor may signal as soon as it reads the banner.
  const stop = () => {
    void sandbox.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const counts = sandbox.store().counts();
  process.stdout.write(
    [
      `Hostaway sandbox listening on ${sandbox.url} (started in ${Math.round(performance.now() - started)} ms)`,
      `  account id (client_id):  ${sandbox.accountId}`,
      `  client secret:           ${sandbox.clientSecret}`,
      `  seed ${sandbox.seed}: ${counts.listings} listings, ${counts.reservations} reservations, ${counts.conversations} conversations, ${counts.messages} messages`,
      `  rate limits:             ${options.rateLimits === false ? 'off' : 'on (15/10 s per IP, 20/10 s per account)'}`,
      `  admin API:               ${options.admin ? `${sandbox.origin}/_sandbox` : 'off (--admin to enable)'}`,
      `  unified webhooks:        ${sandbox.url}/webhooks/unifiedWebhooks (waits x${sandbox.deliveries.state().timeScale})`,
      '',
      `Try: curl -s -X POST ${sandbox.url}/accessTokens -d grant_type=client_credentials -d client_id=${sandbox.accountId} -d client_secret=${sandbox.clientSecret} -d scope=general`,
      '',
    ].join('\n'),
  );
}

async function serverConfig(argv: string[], transport: 'stdio' | 'http') {
  const { values } = parseArgs({
    args: argv,
    options: {
      'env-file': { type: 'string' },
      'read-only': { type: 'boolean' },
      writes: { type: 'boolean' },
      toolsets: { type: 'string' },
      'log-level': { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      'sandbox-seed': { type: 'string' },
      'sandbox-listings': { type: 'string' },
    },
    strict: true,
  });
  if (transport === 'stdio' && (values.host !== undefined || values.port !== undefined))
    fail('--host and --port are for the http command');
  try {
    const config = loadConfig({
      envFile: values['env-file'],
      overrides: {
        HOSTAWAY_READ_ONLY: values['read-only'] ? 'true' : undefined,
        HOSTAWAY_WRITES: values.writes ? 'true' : undefined,
        HOSTAWAY_TOOLSETS: values.toolsets,
        LOG_LEVEL: values['log-level'],
        MCP_HTTP_HOST: values.host,
        MCP_HTTP_PORT: values.port,
        HOSTAWAY_SANDBOX_SEED: values['sandbox-seed'],
        HOSTAWAY_SANDBOX_LISTINGS: values['sandbox-listings'],
      },
    });
    if (transport === 'http') await checkHttpConfig(config);
    return config;
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`hostaway-mcp: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
}

async function runServer(argv: string[], transport: 'stdio' | 'http'): Promise<void> {
  const config = await serverConfig(argv, transport);
  // Metrics are served over HTTP only (/metrics): stdio starts without loading prom-client.
  const runtime = await createRuntime(config, { metrics: transport === 'http' });
  let stopping = false;
  const stop = (closeTransport: () => Promise<void>) => async () => {
    if (stopping) return;
    stopping = true;
    await closeTransport().catch(() => undefined);
    await runtime.close();
    process.exit(0);
  };
  // Account changes: a low-rate poll where webhooks cannot reach us, a slower one beside them.
  runtime.changes.startPolling();
  if (transport === 'stdio') {
    const handle = startStdioServer(runtime);
    const shutdown = stop(() => handle.close());
    process.stdin.once('end', shutdown);
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
    runtime.logger.info(
      { transport: 'stdio', version: SERVER_VERSION, readOnly: config.readOnly },
      'hostaway-mcp ready',
    );
    favourMemory();
    return;
  }
  // Loaded only for HTTP: the stdio server starts sooner without it.
  const { startHttpServer } = await import('./server/http.js');
  const http = await startHttpServer(runtime);
  // Stop accepting, let calls in flight finish within the grace period, then close the store.
  const shutdown = stop(async () => {
    runtime.logger.info({ graceMs: config.http.shutdownGraceMs }, 'stopping: finishing calls in flight');
    await http.close(config.http.shutdownGraceMs);
  });
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  runtime.logger.info(
    {
      transport: 'http',
      url: http.url,
      version: SERVER_VERSION,
      readOnly: config.readOnly,
      auth: Boolean(config.http.authToken),
    },
    'hostaway-mcp ready',
  );
}

/**
 * V8's `--optimize-for-size`, for the stdio server once it has started. A stdio server is one person's,
 * beside their desktop client, and spends its life waiting on Hostaway: memory matters more there than
 * a few hundredths of a millisecond per call. Without it V8 sizes its heap to the call rate, not to what
 * is live (some 18 MB): under a burst of calls it let the young generation grow to 32 MB (128 MB on
 * Node 24) and the old one fill with garbage to three times the live size between full collections.
 * Resident memory after 20,000 calls, by default and with it: Node 20 about 126 -> 84 MB, Node 22
 * 178 -> 95 MB, Node 24 243 -> 103 MB, flat after; a cached call 0.30 -> 0.34 ms on Node 20, the same
 * on Node 24. It is a heuristic V8 reads as it goes (when to collect, how much room to give), not a
 * limit: nothing runs out of memory sooner. Set after the start, which it would slow (more collections
 * while the modules load and the demo data is made: +26 ms live, +73 ms demo on Node 20), and not for
 * the HTTP server, where throughput counts. Starting node with `--no-optimize-for-size` (or
 * `--optimize-for-size`) leaves the choice to you.
 */
function favourMemory(): void {
  if (process.execArgv.some((flag) => flag.endsWith('optimize-for-size'))) return;
  setFlagsFromString('--optimize-for-size');
}

async function runTools(command: 'tools' | 'call', argv: string[]): Promise<void> {
  // Server options first (--env-file, --writes...), then the tool and its arguments.
  const serverFlags = new Set(['--env-file', '--read-only', '--writes', '--toolsets', '--log-level']);
  const withValue = new Set(['--env-file', '--toolsets', '--log-level']);
  const own: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const flag = (argv[i] as string).split('=')[0] as string;
    if (serverFlags.has(flag)) {
      own.push(argv[i] as string);
      if (withValue.has(flag) && !(argv[i] as string).includes('=')) own.push(argv[++i] ?? '');
    } else rest.push(argv[i] as string);
  }
  // Quiet unless asked: the answer goes to stdout, and demo mode's banner would drown it.
  const config = await serverConfig(
    own.includes('--log-level') ? own : [...own, '--log-level', 'error'],
    'stdio',
  );
  const { runToolsCommand } = await import('./cli-tools.js');
  // Piped into `head` and closed early: that is the reader's choice, not a failure.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  process.exitCode = await runToolsCommand(
    config,
    command,
    rest,
    (text) => process.stdout.write(text),
    (text) => process.stderr.write(text),
  );
}

async function runWebhook(argv: string[]): Promise<void> {
  // Server options (--env-file, --log-level) are read wherever they stand; the rest is the command's.
  const withValue = new Set(['--env-file', '--log-level']);
  const own: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const flag = (argv[i] as string).split('=')[0] as string;
    if (withValue.has(flag)) {
      own.push(argv[i] as string);
      if (!(argv[i] as string).includes('=')) own.push(argv[++i] ?? '');
    } else rest.push(argv[i] as string);
  }
  const config = await serverConfig(
    own.includes('--log-level') ? own : [...own, '--log-level', 'error'],
    'stdio',
  );
  // The webhook's login and password: the environment first, then the env file the config read.
  const fileIndex = own.indexOf('--env-file');
  const envFile =
    fileIndex >= 0 ? own[fileIndex + 1] : own.find((o) => o.startsWith('--env-file='))?.slice(11);
  const env = { ...readEnvFileQuietly(envFile), ...process.env };
  const { runWebhookCommand } = await import('./cli-webhooks.js');
  process.exitCode = await runWebhookCommand(
    config,
    rest,
    (text) => process.stdout.write(text),
    (text) => process.stderr.write(text),
    env,
  );
}

/** An env file's values, or none when it is absent or unreadable (loadConfig reports those). */
function readEnvFileQuietly(path: string | undefined): Record<string, string> {
  const file = path ?? '.env';
  try {
    return existsSync(file) ? (parseEnv(readFileSync(file, 'utf8')) as Record<string, string>) : {};
  } catch {
    return {};
  }
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  switch (command) {
    case 'sandbox':
      return runSandbox(rest);
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return;
    case 'http':
      return runServer(rest, 'http');
    case 'stdio':
      return runServer(rest, 'stdio');
    case 'tools':
    case 'call':
      return runTools(command, rest);
    case 'webhook':
      return runWebhook(rest);
    case undefined:
      return runServer([], 'stdio');
    default:
      if (command.startsWith('--')) return runServer([command, ...rest], 'stdio');
      fail(`unknown command "${command}"`);
  }
}

main().catch((err: unknown) => {
  console.error(`hostaway-mcp: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
