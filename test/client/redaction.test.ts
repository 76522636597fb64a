/**
 * The logger's own redaction: a secret handed to a log call in any field that names one never reaches
 * the line, at the top level or one level down; everything else does, as structured JSON.
 */
import { describe, expect, it } from 'vitest';
import { createLogger, currentCorrelationId, withCorrelation } from '../../src/logging.js';
import { capturedLogger } from '../helpers/client.js';

const SECRET_FIELDS = [
  'apiKey',
  'clientSecret',
  'client_secret',
  'accessToken',
  'access_token',
  'token',
  'authorization',
];

describe('log redaction', () => {
  for (const field of SECRET_FIELDS) {
    it(`redacts "${field}" at the top level and inside any object`, () => {
      const { logger, parsed, lines } = capturedLogger('debug');
      const secret = `secret-for-${field}-0123456789`;
      logger.info({ [field]: secret, keep: 'visible' }, 'top level');
      logger.info({ request: { [field]: secret, keep: 'visible' } }, 'nested');
      expect(lines.join('\n')).not.toContain(secret);
      const [top, nested] = parsed() as Array<Record<string, Record<string, unknown>>>;
      expect(top?.[field]).toBe('[redacted]');
      expect(top?.keep).toBe('visible');
      expect(nested?.request?.[field]).toBe('[redacted]');
      expect(nested?.request?.keep).toBe('visible');
    });
  }

  it('redacts an authorization header wherever a request carries it', () => {
    const { logger, parsed, lines } = capturedLogger('debug');
    logger.info({ headers: { authorization: 'Bearer abc.def.ghi', accept: 'json' } }, 'headers');
    logger.info({ req: { headers: { authorization: 'Bearer abc.def.ghi' }, url: '/v1/x' } }, 'req');
    expect(lines.join('\n')).not.toContain('abc.def.ghi');
    const [headers, req] = parsed() as Array<Record<string, Record<string, Record<string, unknown>>>>;
    expect(headers?.headers?.authorization).toBe('[redacted]');
    expect(headers?.headers?.accept).toBe('json');
    expect(req?.req?.headers?.authorization).toBe('[redacted]');
    expect(req?.req?.url).toBe('/v1/x');
  });

  it('writes one JSON object per line with level name, ISO time, name and fixed fields', () => {
    const captured: string[] = [];
    const logger = createLogger({
      level: 'info',
      base: { mode: 'sandbox' },
      destination: { write: (s: string) => captured.push(s) } as never,
    });
    logger.debug('not at info');
    logger.warn({ n: 1 }, 'hello');
    expect(captured).toHaveLength(1);
    const line = JSON.parse(captured[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 'warn', name: 'hostaway-mcp', mode: 'sandbox', n: 1, msg: 'hello' });
    expect(new Date(line.time as string).toISOString()).toBe(line.time);
  });

  it('defaults to info: debug lines are left out', () => {
    const captured: string[] = [];
    const logger = createLogger({ destination: { write: (s: string) => captured.push(s) } as never });
    logger.debug('hidden');
    logger.info('shown');
    expect(captured.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['shown']);
  });
});

describe('correlation ids', () => {
  it('one id for everything a call causes, a fresh one per call, none outside', async () => {
    expect(currentCorrelationId()).toBeUndefined();
    const given = await withCorrelation(async () => {
      await new Promise((r) => setTimeout(r, 1));
      return currentCorrelationId();
    }, 'call-1');
    expect(given).toBe('call-1');
    const a = withCorrelation(() => currentCorrelationId());
    const b = withCorrelation(() => currentCorrelationId());
    expect(a).toMatch(/^[0-9a-f-]{36}$/);
    expect(b).toMatch(/^[0-9a-f-]{36}$/);
    expect(a).not.toBe(b);
    expect(currentCorrelationId()).toBeUndefined();
  });
});
