/**
 * One delivery attempt over the wire: a JSON POST on a connection of its own (no keep-alive: a
 * receiver that stops is not held open by the sandbox), with Basic auth when the webhook has a login
 * and a password, ended after the ack timeout.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { StoredWebhook } from './webhook-registry.js';

const MAX_RESPONSE_CHARS = 2_000;

/** `Basic base64(login:password)`, sent only when both are set (unified webhook log object). */
export function basicAuth(login: string | null, password: string | null): string | undefined {
  if (!login || !password) return undefined;
  return `Basic ${Buffer.from(`${login}:${password}`).toString('base64')}`;
}

export interface Answer {
  status: number | undefined;
  body: string | null;
  error: string | null;
}

/** One POST, on a connection of its own, ended after `ackMs` (or when the sandbox closes). */
export function post(hook: StoredWebhook, body: string, ackMs: number, stop: AbortSignal): Promise<Answer> {
  return new Promise((resolve) => {
    let url: URL;
    try {
      url = new URL(hook.url);
    } catch {
      resolve({ status: undefined, body: null, error: `not a URL: ${hook.url}` });
      return;
    }
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
    };
    const auth = basicAuth(hook.login, hook.password);
    if (auth) headers.authorization = auth;
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    let status: number | undefined;
    let settled = false;
    const done = (answer: Answer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stop.removeEventListener('abort', onStop);
      resolve(answer);
    };
    const req = send(url, { method: 'POST', headers, agent: false }, (res) => {
      status = res.statusCode;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (text.length < MAX_RESPONSE_CHARS) text += chunk;
      });
      res.on('end', () => done({ status, body: text.slice(0, MAX_RESPONSE_CHARS), error: null }));
      res.on('error', () => done({ status, body: text.slice(0, MAX_RESPONSE_CHARS), error: null }));
    });
    const timer = setTimeout(() => {
      // The status line counts as the acknowledgement; a body still coming is not waited for.
      done(
        status !== undefined
          ? { status, body: null, error: null }
          : { status: undefined, body: null, error: `no answer within ${ackMs} ms` },
      );
      req.destroy();
    }, ackMs);
    const onStop = () => {
      done({ status: undefined, body: null, error: 'sandbox closed' });
      req.destroy();
    };
    stop.addEventListener('abort', onStop, { once: true });
    req.on('error', (err: NodeJS.ErrnoException) =>
      done({
        status,
        body: null,
        error: status !== undefined ? null : `connection failed: ${err.code ?? err.message}`,
      }),
    );
    req.end(body);
  });
}
