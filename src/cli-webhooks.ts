/**
 * `hostaway-mcp webhook register|list|remove`: points the account's Hostaway unified webhook at this
 * server's receiver, through the same client (token, rate budget) as every tool, live or in demo mode.
 *
 *   hostaway-mcp webhook register --url https://mcp.example.com [--login L --password P] [--alert-email E]
 *   hostaway-mcp webhook list [--json]
 *   hostaway-mcp webhook remove <id> | --url <url>
 *
 * A URL without a path gets the receiver's, `/webhooks/hostaway`. Plain http is refused but on the
 * loopback (Hostaway would send the Basic credentials in the clear). Login and password default to
 * HOSTAWAY_WEBHOOK_LOGIN and HOSTAWAY_WEBHOOK_PASSWORD (the receiver checks the same pair) and are
 * required: the receiver turns away deliveries without them. A URL already registered is updated in
 * place, never registered twice. Passwords are never printed.
 */
import { parseArgs } from 'node:util';
import type { HostawayClient } from './client/client.js';
import { HostawayError } from './client/errors.js';
import type { Config } from './config.js';
import type { UnifiedWebhook } from './hostaway/schemas.js';
import { isSecureUrl } from './server/auth/types.js';
import { createRuntime, type Runtime, type RuntimeOptions } from './server/runtime.js';

/** Where this server's receiver listens when the URL given has no path of its own. */
export const RECEIVER_PATH = '/webhooks/hostaway';

export const WEBHOOK_USAGE = `Usage:
  hostaway-mcp webhook register --url <public base or full URL> [--login L --password P] [--alert-email E]
  hostaway-mcp webhook list [--json]
  hostaway-mcp webhook remove <id> | --url <url>
Options: --account <name> (several accounts), --env-file <path>, --log-level <level>.
Login and password default to HOSTAWAY_WEBHOOK_LOGIN and HOSTAWAY_WEBHOOK_PASSWORD.
`;

export type WebhookUrl = { url: string } | { problem: string };

/** The URL Hostaway should call: the receiver's path added to a bare origin, http only on loopback. */
export function webhookUrl(input: string): WebhookUrl {
  let u: URL;
  try {
    u = new URL(input);
  } catch {
    return { problem: `--url "${input}" is not a URL: write it as https://host[:port][/path]` };
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:')
    return { problem: `--url must be an https URL, got ${u.protocol}` };
  if (u.username || u.password)
    return { problem: '--url must not carry credentials: give them as --login and --password' };
  if (!isSecureUrl(u.href))
    return {
      problem: `refusing plain http for ${u.host}: Hostaway would send the webhook's login and password in the clear; use https (http is allowed on localhost only)`,
    };
  if (u.pathname === '/' && !u.search) u.pathname = RECEIVER_PATH;
  return { url: u.href };
}

/** Exit codes: 0 done, 1 refused or failed (the message is on stderr), 2 a usage error. */
export async function runWebhookCommand(
  config: Config,
  argv: string[],
  out: (text: string) => void,
  err: (text: string) => void,
  env: Record<string, string | undefined> = process.env,
  /** Tests pass a quiet logger and fast client settings. */
  runtimeOptions: RuntimeOptions = {},
): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'register' && sub !== 'list' && sub !== 'remove') {
    err(sub ? `unknown webhook command "${sub}"\n\n${WEBHOOK_USAGE}` : WEBHOOK_USAGE);
    return 2;
  }
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: rest,
      options: {
        url: { type: 'string' },
        login: { type: 'string' },
        password: { type: 'string' },
        'alert-email': { type: 'string' },
        account: { type: 'string' },
        json: { type: 'boolean' },
      },
      allowPositionals: sub === 'remove',
      strict: true,
    }));
  } catch (e) {
    err(`${e instanceof Error ? e.message : String(e)}\n\n${WEBHOOK_USAGE}`);
    return 2;
  }
  const str = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);

  // Everything that can be checked without the network is checked first.
  let url: string | undefined;
  const rawUrl = str('url');
  if (sub === 'register' && !rawUrl) {
    err(`register needs --url\n\n${WEBHOOK_USAGE}`);
    return 2;
  }
  if (rawUrl && sub === 'register') {
    const resolved = webhookUrl(rawUrl);
    if ('problem' in resolved) {
      err(`${resolved.problem}\n`);
      return 1;
    }
    url = resolved.url;
  }
  // Removing goes by the URL as registered, whatever its scheme: as given, or with the receiver's path.
  if (rawUrl && sub === 'remove') url = rawUrl;
  let removeId: number | undefined;
  if (sub === 'remove') {
    if ((positionals.length === 1) === (url !== undefined) || positionals.length > 1) {
      err(`remove takes a webhook id or --url (one of them)\n\n${WEBHOOK_USAGE}`);
      return 2;
    }
    if (positionals[0] !== undefined) {
      removeId = Number(positionals[0]);
      if (!Number.isInteger(removeId) || removeId < 1) {
        err(`"${positionals[0]}" is not a webhook id (hostaway-mcp webhook list shows them)\n`);
        return 2;
      }
    }
  }
  const login = str('login') ?? env.HOSTAWAY_WEBHOOK_LOGIN;
  const password = str('password') ?? env.HOSTAWAY_WEBHOOK_PASSWORD;
  if (sub === 'register' && (!login || !password)) {
    err(
      'refusing to register without a login and a password: the receiver accepts only deliveries with Basic auth. Set HOSTAWAY_WEBHOOK_LOGIN and HOSTAWAY_WEBHOOK_PASSWORD (the receiver reads the same), or give --login and --password\n',
    );
    return 1;
  }

  const runtime = await createRuntime(config, runtimeOptions);
  try {
    const client = pickClient(runtime, str('account'));
    if ('problem' in client) {
      err(`${client.problem}\n`);
      return 2;
    }
    const c = client.client;
    if (sub === 'list') return list(await c.webhooks.list(), values.json === true, out);
    if (sub === 'remove') return await remove(c, removeId, url, out, err);
    const body = {
      isEnabled: 1 as const,
      url: url as string,
      login,
      password,
      alertingEmailAddress: str('alert-email') ?? null,
    };
    const same = (await c.webhooks.list()).filter((w) => w.url === body.url);
    const first = same[0];
    const saved = first ? await c.webhooks.update(first.id, body) : await c.webhooks.create(body);
    out(
      `${first ? 'updated' : 'registered'} unified webhook ${saved.id}: ${saved.url} (Basic auth as ${login})\n`,
    );
    if (same.length > 1)
      out(
        `note: ${same.length - 1} more webhook(s) have this URL: ${same
          .slice(1)
          .map((w) => w.id)
          .join(', ')}\n`,
      );
    if (runtime.mode === 'sandbox')
      err(
        'demo mode: registered on the built-in sandbox, which stops with this command. To keep a registration, run `hostaway-mcp sandbox` and point HOSTAWAY_BASE_URL, HOSTAWAY_ACCOUNT_ID and HOSTAWAY_API_KEY at it.\n',
      );
    return 0;
  } catch (e) {
    if (e instanceof HostawayError) {
      err(`${e.message}\n`);
      return 1;
    }
    throw e;
  } finally {
    await runtime.close();
  }
}

function pickClient(
  runtime: Runtime,
  name: string | undefined,
): { client: HostawayClient } | { problem: string } {
  if (name === undefined) return { client: runtime.client };
  const client = runtime.accounts.get(name);
  if (client) return { client };
  return { problem: `no account "${name}": use one of ${[...runtime.accounts.keys()].join(', ')}` };
}

/** The registrations, passwords left out (only whether one is set). */
function list(hooks: UnifiedWebhook[], json: boolean, out: (text: string) => void): number {
  const shown = hooks.map(({ password, ...w }) => ({ ...w, hasPassword: Boolean(password) }));
  if (json) {
    out(`${JSON.stringify(shown, null, 2)}\n`);
    return 0;
  }
  if (shown.length === 0) {
    out('no unified webhooks registered\n');
    return 0;
  }
  for (const w of shown)
    out(
      `${w.id}\t${w.isEnabled ? 'enabled' : 'disabled'}\t${w.url}\t${w.login ? `auth: ${w.login}${w.hasPassword ? '' : ' (no password)'}` : 'auth: none'}${w.alertingEmailAddress ? `\talerts: ${w.alertingEmailAddress}` : ''}\n`,
    );
  return 0;
}

async function remove(
  client: HostawayClient,
  id: number | undefined,
  url: string | undefined,
  out: (text: string) => void,
  err: (text: string) => void,
): Promise<number> {
  const ids =
    id !== undefined
      ? [id]
      : (await client.webhooks.list()).filter((w) => sameUrl(w.url, url as string)).map((w) => w.id);
  if (ids.length === 0) {
    err(`no unified webhook has the URL ${url}\n`);
    return 1;
  }
  for (const one of ids) {
    await client.webhooks.remove(one);
    out(`removed unified webhook ${one}\n`);
  }
  return 0;
}

/** The URL as registered, given as it is or as `register` would have completed it. */
function sameUrl(registered: string, given: string): boolean {
  if (registered === given) return true;
  try {
    const u = new URL(given);
    if (u.pathname === '/' && !u.search) u.pathname = RECEIVER_PATH;
    return registered === u.href || registered === new URL(given).href;
  } catch {
    return false;
  }
}
