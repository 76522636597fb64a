/**
 * Injectable faults: the failures a client of Hostaway meets in the wild, on chosen routes, so that
 * retries, timeouts and error messages can be tested against real sockets.
 *
 * A rule matches a method (optional) and a path glob (`*` within a segment, `**` across segments),
 * fires with a probability (rolled from the sandbox seed, so runs repeat) and at most `times` times.
 * The first rule that fires decides. When a fault acts, relative to the handler (the write):
 * - before it, so nothing is committed: `status`, `rateLimit`, `reset`, `malformed`, `badShape`;
 * - `latency` waits and then lets the request go on (the handler runs even if the client has left);
 * - after it, so the write is committed but the answer is spoiled or lost: `truncated`, `slowBody`,
 *   `resetAfterCommit` (the socket is destroyed, no answer at all) and `hangAfterCommit` (the answer is
 *   held for `ms`, so the client's timeout fires first or the client is killed while it waits).
 */
import * as z from 'zod';
import { Random } from './data/random.js';

export const FAULT_KINDS = [
  'latency',
  'status',
  'rateLimit',
  'reset',
  'malformed',
  'truncated',
  'slowBody',
  'badShape',
  'resetAfterCommit',
  'hangAfterCommit',
] as const;

/** How long `hangAfterCommit` holds the answer unless `ms` says otherwise. */
export const DEFAULT_HANG_MS = 30_000;

export const FaultRuleInput = z
  .object({
    method: z
      .string()
      .transform((m) => m.toUpperCase())
      .optional()
      .describe('HTTP method to match; any when omitted'),
    path: z.string().startsWith('/').default('/v1/**').describe('path glob: * within a segment, ** across'),
    kind: z.enum(FAULT_KINDS),
    status: z.number().int().min(400).max(599).optional().describe('for kind=status: the status to answer'),
    ms: z
      .number()
      .int()
      .min(0)
      .max(120_000)
      .optional()
      .describe('for latency: the delay; for slowBody: the body time; for hangAfterCommit: the hold'),
    retryAfterSeconds: z
      .number()
      .int()
      .min(0)
      .nullable()
      .optional()
      .describe('for rateLimit: Retry-After to send; null sends none'),
    probability: z.number().min(0).max(1).default(1),
    times: z.number().int().positive().optional().describe('fire at most this many times'),
  })
  .strict();
export type FaultRuleInput = z.input<typeof FaultRuleInput>;
export type FaultRule = z.output<typeof FaultRuleInput> & { id: string; fired: number };

function globToRegExp(glob: string): RegExp {
  const literal = (text: string) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  const body = glob
    .split('**')
    .map((part) => part.split('*').map(literal).join('[^/]*'))
    .join('.*');
  return new RegExp(`^${body}$`);
}

export class FaultInjector {
  private rules: Array<FaultRule & { pattern: RegExp }> = [];
  private nextId = 1;
  private readonly dice: Random;

  constructor(seed: number) {
    this.dice = new Random(seed ^ 0x5eed_fa17);
  }

  add(input: FaultRuleInput): FaultRule {
    const parsed = FaultRuleInput.parse(input);
    if (parsed.kind === 'status' && parsed.status === undefined)
      throw new Error('a status fault needs "status" (for example 503)');
    const rule = { ...parsed, id: `f${this.nextId++}`, fired: 0, pattern: globToRegExp(parsed.path) };
    this.rules.push(rule);
    return this.describe(rule);
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length < before;
  }

  clear(): void {
    this.rules = [];
  }

  list(): FaultRule[] {
    return this.rules.map((r) => this.describe(r));
  }

  /** The rule that fires for this request, if any (and counts it). */
  pick(method: string, path: string): FaultRule | undefined {
    for (const rule of this.rules) {
      if (rule.method && rule.method !== method) continue;
      if (!rule.pattern.test(path)) continue;
      if (rule.times !== undefined && rule.fired >= rule.times) continue;
      if (rule.probability < 1 && !this.dice.chance(rule.probability)) continue;
      rule.fired++;
      return this.describe(rule);
    }
    return undefined;
  }

  private describe(rule: FaultRule & { pattern?: RegExp }): FaultRule {
    const { pattern: _pattern, ...rest } = rule;
    return { ...rest };
  }
}

/**
 * Parses the command-line form `kind=status,status=503,path=/v1/reservations*,times=3` into a rule.
 * Numbers are numbers; `retryAfterSeconds=none` sends no Retry-After.
 */
export function parseFaultSpec(spec: string): FaultRuleInput {
  const out: Record<string, unknown> = {};
  for (const part of spec.split(',')) {
    const [key, ...rest] = part.split('=');
    const value = rest.join('=').trim();
    if (!key || !value) throw new Error(`fault "${spec}": write key=value pairs separated by commas`);
    const k = key.trim();
    out[k] =
      k === 'retryAfterSeconds' && value === 'none'
        ? null
        : ['status', 'ms', 'retryAfterSeconds', 'probability', 'times'].includes(k)
          ? Number(value)
          : value;
  }
  return FaultRuleInput.parse(out);
}
