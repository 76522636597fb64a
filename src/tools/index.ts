/**
 * The tool registry, in a stable order (clients list tools in this order). Every surface reads it.
 */
import { connectionStatus } from './account.js';
import { availabilityCalendar } from './availability-calendar.js';
import { balancesDueTool } from './balances.js';
import { operationsBrief } from './brief.js';
import { findAvailableListings, getAvailability } from './calendar.js';
import { updateCalendar } from './calendar-write.js';
import { recentChanges } from './changes.js';
import { TOOLSETS, type ToolDefinition, type Toolset } from './define.js';
import { financeReport } from './finance.js';
import { findGapsTool } from './find-gaps.js';
import { triageInbox } from './inbox-triage.js';
import { getListing, searchListings } from './listings.js';
import { getConversation, listConversations } from './messaging.js';
import { listMessageTemplates, sendMessage } from './messaging-write.js';
import { portfolioMetrics } from './portfolio-metrics.js';
import { getReservation, searchReservations } from './reservations.js';
import { listReviews } from './reviews.js';
import { deleteTask, updateTask } from './tasks-change.js';
import { listTasks } from './tasks-read.js';
import { createTask } from './tasks-write.js';
import { undoChange } from './undo-change.js';
import { whatsNew } from './whats-new.js';

export const TOOLS: readonly ToolDefinition[] = [
  connectionStatus,
  searchListings,
  getListing,
  getAvailability,
  findAvailableListings,
  availabilityCalendar,
  updateCalendar,
  searchReservations,
  getReservation,
  operationsBrief,
  balancesDueTool,
  listConversations,
  getConversation,
  triageInbox,
  whatsNew,
  listMessageTemplates,
  sendMessage,
  listTasks,
  createTask,
  updateTask,
  deleteTask,
  listReviews,
  financeReport,
  portfolioMetrics,
  findGapsTool,
  recentChanges,
  undoChange,
] as unknown as readonly ToolDefinition[];

/**
 * The tools this server offers: the chosen toolsets; write tools (and the audit log) only when writes
 * are on, and never in read-only mode.
 */
export function enabledTools(options: {
  readOnly: boolean;
  writes: boolean;
  toolsets?: readonly Toolset[];
}): readonly ToolDefinition[] {
  const writes = options.writes && !options.readOnly;
  return TOOLS.filter(
    (t) =>
      (options.toolsets ?? TOOLSETS).includes(t.toolset) &&
      (writes || (t.annotations.readOnlyHint && !t.needsWrites)),
  );
}
