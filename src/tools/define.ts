/**
 * One definition per capability: name, title, description, input and output schemas, annotations,
 * handler and text rendering live together, and every surface (MCP now; REST/OpenAPI and CLI later) is
 * generated from the same object.
 *
 * Handlers return plain data that fits `output`; they never build MCP results, never format errors and
 * never see a secret. The wrapper (`src/server/run-tool.ts`) does all of that in one place.
 */
import * as z from 'zod';
import type { HostawayClient } from '../client/client.js';
import type { Logger } from '../logging.js';
import type { WriteContext } from '../writes/engine.js';

export const TOOLSETS = [
  'account',
  'listings',
  'calendar',
  'reservations',
  'messaging',
  'tasks',
  'finance',
] as const;
export type Toolset = (typeof TOOLSETS)[number];

/**
 * The interactive views (MCP Apps) a tool's answer can be shown in: each a `ui://` page the server
 * serves (src/server/apps.ts), built from views/ (scripts/build-views.mjs).
 */
export const VIEW_NAMES = ['calendar', 'inbox', 'numbers'] as const;
export type ViewName = (typeof VIEW_NAMES)[number];

/** All four hints, always explicit: clients treat missing ones as the riskiest default. */
export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

export interface ToolContext {
  client: HostawayClient;
  mode: 'live' | 'sandbox';
  readOnly: boolean;
  logger: Logger;
  /** Cancelled when the caller gives up. */
  signal: AbortSignal;
  /** The present, as the data source sees it (the sandbox may run on its own clock). */
  now: () => number;
  /** The write protocol's store, caller and clock (write tools and the audit log only). */
  writes: WriteContext;
  /** How this server learns of account changes (the "what's new" feed says so). */
  watching?: () => WatchState;
}

/** Whether webhooks reach this server, and how often it polls Hostaway for changes. */
export interface WatchState {
  webhooks: boolean;
  /** Null: no polling. */
  pollEveryMs: number | null;
  lastLookAt: number | null;
  lastError: string | null;
}

export interface ToolDefinition<I extends z.ZodObject = z.ZodObject, O extends z.ZodObject = z.ZodObject> {
  /** snake_case, `hostaway_` prefix: unique across the servers a client may load together. */
  name: string;
  title: string;
  /** What it does, when to use it, and what it returns; the model reads this to choose. */
  description: string;
  toolset: Toolset;
  input: I;
  output: O;
  annotations: ToolAnnotations;
  handler: (args: z.output<I>, ctx: ToolContext) => Promise<z.output<O>>;
  /** Offered only when writes are on, though it changes nothing itself (the audit log). */
  needsWrites?: boolean;
  /**
   * The view that shows this tool's answer, for clients that render views (the MCP Apps extension). The
   * answer itself is the same with or without it.
   */
  view?: ViewName;
  /** Short text for clients that show text only: everything the structured answer says, compactly. */
  render: (output: z.output<O>) => string;
}

/**
 * A date argument: YYYY-MM-DD, or `today`, `tomorrow`, `yesterday`, `+N`/`-N` days, which each tool
 * resolves in the listing's own time zone. Validity (no 30 February) is checked in the handler, with a
 * message that helps.
 */
export const DateArg = z
  .string()
  .regex(
    /^(\d{4}-\d{2}-\d{2}|today|tomorrow|yesterday|[+-]\d{1,4})$/,
    'write the date as YYYY-MM-DD, or today, tomorrow, yesterday, +N or -N (days from today)',
  );

/** Read tools share these hints: nothing changes, and the data lives in Hostaway. */
export const READ_ONLY: ToolAnnotations = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: true,
};

export function defineTool<I extends z.ZodObject, O extends z.ZodObject>(
  definition: ToolDefinition<I, O>,
): ToolDefinition<I, O> {
  return definition;
}

export { ToolInputError } from '../domain/errors.js';
