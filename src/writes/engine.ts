/**
 * The write protocol, the same for every write tool, failing closed at each step:
 *
 * 1. Preview: without a confirmation id a write changes nothing. It records an intent (the exact
 *    content, the target, a digest of the arguments) and answers with a preview and a confirmation id
 *    that expires after a few minutes.
 * 2. Confirm: the same tool, the same arguments, plus that id. The intent is claimed atomically
 *    (pending -> committing), so of any number of confirmations exactly one commits; the claim is the
 *    durable record, made before anything is sent. Different arguments, an unknown id or an expired one
 *    are refused. A repeated confirmation returns the recorded outcome and sends nothing.
 * 3. Commit and record: the write runs under its own deadline (a caller that leaves does not abandon it
 *    half way), and its outcome is recorded before the answer. A failure that proves the write did not
 *    reach Hostaway is "failed"; any other (timeout, reset after sending, 5xx) is ambiguous: the tool
 *    reads the target back (the thread, the task list, the calendar) and decides "done" or leaves it
 *    "unknown" until the lease runs out, after which a read-back that still does not find it means "not
 *    done". A sender that died mid-write leaves "committing" with a lease; the next confirmation after
 *    the lease takes it over and reconciles the same way.
 * Every step is audited: tool, target, content digest, caller, correlation id, time, result.
 */
import { HostawayError } from '../client/errors.js';
import { TransportError } from '../client/transport.js';
import { ToolInputError } from '../domain/errors.js';
import { currentCorrelationId } from '../logging.js';
import { digest, newConfirmationId } from './digest.js';
import type { AuditAction, Intent, WriteStore } from './store.js';

export interface WriteSettings {
  /** How long a preview's confirmation id stays valid. */
  confirmTtlMs: number;
  /** How long a sender is presumed alive, and how long an ambiguous outcome settles before "not done". */
  leaseMs: number;
  /** Deadline of the commit itself (independent of the caller's). */
  commitDeadlineMs: number;
}

export const DEFAULT_WRITE_SETTINGS: WriteSettings = {
  confirmTtlMs: 10 * 60_000,
  leaseMs: 2 * 60_000,
  commitDeadlineMs: 90_000,
};

/** What a write tool gets from the server: the store, who is calling, and a clock. */
export interface WriteContext {
  /** Whether write tools are offered at all (for the connection status to say). */
  enabled: boolean;
  store: () => Promise<WriteStore>;
  /** The caller's identity for the audit log: the HTTP token's name, or "local (stdio)". */
  caller: string;
  /**
   * The account the call is for, when the server serves several: the confirmation is bound to it (a
   * preview made for one account cannot be confirmed for another) and the audit entries name it.
   */
  account?: string;
  settings: WriteSettings;
  /** Wall-clock time for expiry and leases (tests move it). */
  clock: () => number;
  /**
   * Asks the person directly (MCP elicitation) when the client can: true only on an explicit yes,
   * false on anything else, undefined when the question could not be put (then the two-step protocol
   * applies). Absent when the client cannot ask.
   */
  ask?: (message: string) => Promise<boolean | undefined>;
}

/** Thrown by a plan or a commit when the write must not happen (a conflict found before sending). */
export class WriteRefused extends Error {
  override name = 'WriteRefused';
}

export interface WritePlan<P extends Record<string, unknown>> {
  /** What the write touches, in words: "conversation 812 (Ana Silva, The Beach House)". */
  target: string;
  /** The exact content to commit; stored, digested and committed as it is. */
  payload: P;
  /** What the person sees before saying yes (structured). */
  preview: Record<string, unknown>;
  /** One line for the audit log and for a question to the person. */
  summary: string;
  /** Reasons the write cannot go ahead (conflicts): a preview without a confirmation id. */
  blockers?: string[];
}

export type Reconciled<R> = { took: true; result: R } | { took: false };

export interface WriteSpec<A, P extends Record<string, unknown>, R extends Record<string, unknown>> {
  tool: string;
  /** Whether repeating the upstream write is harmless (a PUT of the same values). */
  idempotent: boolean;
  /** Reads only: builds what would be written. */
  plan(args: A, signal: AbortSignal): Promise<WritePlan<P>>;
  /** State just before the write, kept for undo and for a last check (after the claim). */
  snapshot?(payload: P, signal: AbortSignal): Promise<unknown>;
  /** Sends the write. May throw WriteRefused when the snapshot shows it must not go ahead. */
  commit(payload: P, snapshot: unknown, signal: AbortSignal): Promise<R>;
  /** Reads the target back: did the write take? Undefined when it cannot tell. */
  reconcile?(payload: P, intent: Intent, signal: AbortSignal): Promise<Reconciled<R> | undefined>;
}

export const WRITE_STATUSES = [
  'preview',
  'blocked',
  'done',
  'failed',
  'unknown',
  'in_progress',
  'declined',
] as const;
export type WriteStatus = (typeof WRITE_STATUSES)[number];

export interface WriteOutcome<R> {
  status: WriteStatus;
  target: string;
  preview: Record<string, unknown>;
  /** Present with status preview: pass it back, with the same arguments, to commit. */
  confirmationId?: string;
  expiresAt?: string;
  /** The change's id (for undo and the audit log), once committed or attempted. */
  changeId?: string;
  result?: R;
  blockers?: string[];
  /** True when this confirmation had been used before: nothing was sent again. */
  repeated?: boolean;
  /** What happened and what to do next, in one or two sentences. */
  note: string;
}

type Args = Record<string, unknown> & { confirmationId?: string };

export async function runWrite<
  A extends Args,
  P extends Record<string, unknown>,
  R extends Record<string, unknown>,
>(spec: WriteSpec<A, P, R>, args: A, wctx: WriteContext, signal: AbortSignal): Promise<WriteOutcome<R>> {
  const store = await wctx.store();
  const { confirmationId, ...rest } = args;
  // The account joins the digest only when there are several (undefined drops out: the same digest as
  // a single-account server's).
  const argsDigest = digest({ tool: spec.tool, args: rest, account: wctx.account });
  const audit = (
    action: AuditAction,
    intent: Pick<Intent, 'id' | 'target' | 'contentDigest'> | null,
    result: string,
    detail: Record<string, unknown> | null = null,
  ) =>
    store.audit({
      at: wctx.clock(),
      intentId: intent?.id ?? null,
      tool: spec.tool,
      action,
      target: intent?.target ?? null,
      digest: intent?.contentDigest ?? null,
      caller: wctx.caller,
      correlationId: currentCorrelationId() ?? null,
      result,
      detail: wctx.account === undefined ? detail : { ...(detail ?? {}), account: wctx.account },
    });

  if (confirmationId === undefined) {
    const plan = await spec.plan(args, signal);
    if (plan.blockers?.length) {
      await audit(
        'preview',
        { id: '', target: plan.target, contentDigest: digest(plan.payload) },
        'blocked',
        {
          blockers: plan.blockers.slice(0, 10),
        },
      );
      return {
        status: 'blocked',
        target: plan.target,
        preview: plan.preview,
        blockers: plan.blockers,
        note: 'Nothing was changed and nothing can be confirmed: resolve the blockers listed, then preview again.',
      };
    }
    const now = wctx.clock();
    const intent = {
      id: newConfirmationId(),
      tool: spec.tool,
      target: plan.target,
      argsDigest,
      contentDigest: digest(plan.payload),
      payload: plan.payload,
      preview: plan.preview,
      caller: wctx.caller,
      createdAt: now,
      expiresAt: now + wctx.settings.confirmTtlMs,
    };
    await store.createIntent(intent);
    await audit('preview', intent, 'ok');
    const yes = wctx.ask ? await wctx.ask(`${plan.summary}\n\nGo ahead?`) : undefined;
    if (yes !== undefined) {
      if (!yes) {
        await audit('declined', intent, 'declined');
        return {
          status: 'declined',
          target: plan.target,
          preview: plan.preview,
          note: 'The person declined when asked: nothing was changed.',
        };
      }
      return confirm(spec, intent.id, argsDigest, wctx, store, audit);
    }
    return {
      status: 'preview',
      target: plan.target,
      preview: plan.preview,
      confirmationId: intent.id,
      expiresAt: new Date(intent.expiresAt).toISOString(),
      note: `Nothing was changed yet. Show this preview to the person; only if they approve, call ${spec.tool} again with the same arguments and confirmationId "${intent.id}" (valid until ${new Date(intent.expiresAt).toISOString()}).`,
    };
  }
  return confirm(spec, confirmationId, argsDigest, wctx, store, audit);
}

type Audit = (
  action: AuditAction,
  intent: Pick<Intent, 'id' | 'target' | 'contentDigest'> | null,
  result: string,
  detail?: Record<string, unknown> | null,
) => Promise<void>;

async function confirm<A, P extends Record<string, unknown>, R extends Record<string, unknown>>(
  spec: WriteSpec<A, P, R>,
  id: string,
  argsDigest: string,
  wctx: WriteContext,
  store: WriteStore,
  audit: Audit,
): Promise<WriteOutcome<R>> {
  const found = await store.getIntent(id);
  const refuse = async (why: string, intent: Intent | null = null): Promise<never> => {
    await audit('refused', intent, 'refused', { reason: why });
    throw new ToolInputError(why);
  };
  if (!found || found.tool !== spec.tool)
    return refuse(
      `No ${spec.tool} preview has confirmation id "${id}". Call ${spec.tool} without confirmationId to get a preview and its id.`,
    );
  if (found.argsDigest !== argsDigest)
    return refuse(
      wctx.account === undefined
        ? differentArguments(id)
        : `Confirmation id "${id}" was issued for different arguments or for another account than "${wctx.account}". Nothing was changed. Confirm with exactly the previewed arguments and account, or call without confirmationId to preview these ones.`,
      found,
    );
  const now = wctx.clock();
  if (found.state === 'pending') {
    if (found.expiresAt <= now)
      return refuse(
        `Confirmation id "${id}" expired at ${new Date(found.expiresAt).toISOString()}. Nothing was changed: preview again.`,
        found,
      );
    const claimed = await store.claim(id, now, now + wctx.settings.leaseMs);
    if (claimed) return commit(spec, claimed, wctx, store, audit);
  }
  return repeat(spec, id, wctx, store, audit);
}

/** A confirmation that was used before: report what is recorded, or settle what a dead sender left. */
async function repeat<A, P extends Record<string, unknown>, R extends Record<string, unknown>>(
  spec: WriteSpec<A, P, R>,
  id: string,
  wctx: WriteContext,
  store: WriteStore,
  audit: Audit,
): Promise<WriteOutcome<R>> {
  const intent = (await store.getIntent(id)) as Intent;
  const now = wctx.clock();
  if (intent.state === 'committing' || intent.state === 'unknown') {
    const taken = await store.takeOver(id, now, now + wctx.settings.leaseMs);
    if (taken) return settle(spec, taken, wctx, store, audit);
    await audit('repeat', intent, intent.state);
    return outcome(intent, true);
  }
  await audit('repeat', intent, intent.state);
  return outcome(intent, true);
}

async function commit<A, P extends Record<string, unknown>, R extends Record<string, unknown>>(
  spec: WriteSpec<A, P, R>,
  intent: Intent,
  wctx: WriteContext,
  store: WriteStore,
  audit: Audit,
): Promise<WriteOutcome<R>> {
  await audit('confirm', intent, 'ok');
  // The write's own deadline: the caller leaving must not abandon a write half way unrecorded.
  const signal = AbortSignal.timeout(wctx.settings.commitDeadlineMs);
  const payload = intent.payload as P;
  let snapshot: unknown = null;
  try {
    if (spec.snapshot) {
      snapshot = await spec.snapshot(payload, signal);
      await store.saveSnapshot(intent.id, snapshot, wctx.clock());
    }
  } catch (err) {
    // Nothing was sent: a read failed or found a conflict.
    return finish(intent, 'failed', { error: messageOf(err), sent: false }, store, audit, wctx);
  }
  try {
    const result = await spec.commit(payload, snapshot, signal);
    return finish({ ...intent, snapshot }, 'done', { result }, store, audit, wctx);
  } catch (err) {
    if (surelyNotSent(err))
      return finish(intent, 'failed', { error: messageOf(err), sent: false }, store, audit, wctx);
    const reconciled = await readBack(spec, payload, { ...intent, snapshot });
    if (reconciled?.took)
      return finish(
        { ...intent, snapshot },
        'done',
        { result: reconciled.result, confirmedByReadBack: true, error: messageOf(err) },
        store,
        audit,
        wctx,
      );
    if (reconciled && spec.idempotent)
      return finish(
        intent,
        'failed',
        { error: messageOf(err), sent: false, checkedByReadBack: true },
        store,
        audit,
        wctx,
      );
    return finish(intent, 'unknown', { error: messageOf(err) }, store, audit, wctx);
  }
}

/** Takes over an intent whose sender died or whose outcome was unknown, after its lease. */
async function settle<A, P extends Record<string, unknown>, R extends Record<string, unknown>>(
  spec: WriteSpec<A, P, R>,
  intent: Intent,
  wctx: WriteContext,
  store: WriteStore,
  audit: Audit,
): Promise<WriteOutcome<R>> {
  const reconciled = await readBack(spec, intent.payload as P, intent);
  const previous = intent.outcome ?? {};
  await audit(
    'reconcile',
    intent,
    reconciled === undefined ? 'unknown' : reconciled.took ? 'done' : 'failed',
  );
  if (reconciled?.took)
    return finish(
      intent,
      'done',
      { ...previous, result: reconciled.result, confirmedByReadBack: true },
      store,
      audit,
      wctx,
      true,
    );
  // The lease has run out: a write that is still not there did not happen.
  if (reconciled)
    return finish(
      intent,
      'failed',
      { ...previous, sent: false, checkedByReadBack: true },
      store,
      audit,
      wctx,
      true,
    );
  return finish(intent, 'unknown', previous, store, audit, wctx, true);
}

async function readBack<A, P extends Record<string, unknown>, R extends Record<string, unknown>>(
  spec: WriteSpec<A, P, R>,
  payload: P,
  intent: Intent,
): Promise<Reconciled<R> | undefined> {
  if (!spec.reconcile) return undefined;
  try {
    return await spec.reconcile(payload, intent, AbortSignal.timeout(30_000));
  } catch {
    return undefined;
  }
}

async function finish<R>(
  intent: Intent,
  state: 'done' | 'failed' | 'unknown',
  recorded: Record<string, unknown>,
  store: WriteStore,
  audit: Audit,
  wctx: WriteContext,
  repeated = false,
): Promise<WriteOutcome<R>> {
  const now = wctx.clock();
  await store.finish(
    intent.id,
    state,
    recorded,
    now,
    state === 'unknown' ? now + wctx.settings.leaseMs : null,
  );
  await audit('commit', intent, state, pickDetail(recorded));
  return outcome({ ...intent, state, outcome: recorded }, repeated);
}

function pickDetail(recorded: Record<string, unknown>): Record<string, unknown> {
  const { result: _result, ...rest } = recorded;
  return rest;
}

function outcome<R>(intent: Intent, repeated: boolean): WriteOutcome<R> {
  const recorded = intent.outcome ?? {};
  const base = {
    target: intent.target,
    preview: intent.preview,
    changeId: intent.id,
    ...(repeated ? { repeated: true } : {}),
  };
  const again = repeated ? ' This confirmation had been used before: nothing was sent again.' : '';
  switch (intent.state) {
    case 'done':
      return {
        ...base,
        status: 'done',
        result: recorded.result as R,
        note: `Done${recorded.confirmedByReadBack ? ' (the answer was lost; reading back showed it took)' : ''}. Change id ${intent.id}.${again}`,
      };
    case 'failed':
      return {
        ...base,
        status: 'failed',
        note: `Not done: ${String(recorded.error ?? 'reading back showed the change is not there')}${recorded.checkedByReadBack ? ' (checked by reading back)' : ''}. Nothing was changed.${again} Preview again to retry.`,
      };
    case 'unknown':
      return {
        ...base,
        status: 'unknown',
        note: `Unknown whether it took: ${String(recorded.error ?? 'the answer was lost')}, and reading back could not confirm it. Check the target in Hostaway before trying again; confirming this id again later re-checks and never sends twice.`,
      };
    default:
      return {
        ...base,
        status: 'in_progress',
        note: 'This change is being committed by another call right now; confirm the same id again in a few seconds to see the outcome. Nothing was sent twice.',
      };
  }
}

/**
 * True only when the write provably never reached Hostaway or Hostaway refused it: the connection was
 * never made, the budget was never granted, or Hostaway answered with a refusal (4xx).
 */
export function surelyNotSent(err: unknown): boolean {
  if (err instanceof WriteRefused || err instanceof ToolInputError) return true;
  if (err instanceof TransportError) return !err.maybeSent;
  if (!(err instanceof HostawayError)) return false;
  if (err.kind === 'bad_credentials' || err.kind === 'not_found' || err.kind === 'invalid_request')
    return true;
  // Our own budget wait (no status) sends nothing; Hostaway's 429 refuses before acting.
  if (err.kind === 'rate_limited') return true;
  return false;
}

function differentArguments(id: string): string {
  return `Confirmation id "${id}" was issued for different arguments. Nothing was changed. Confirm with exactly the previewed arguments, or call without confirmationId to preview these ones.`;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
