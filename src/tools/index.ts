/**
 * The tool registry, in a stable order (clients list tools in this order). Every surface reads it.
 */
import { connectionStatus } from './account.js';
import { findAvailableListings, getAvailability } from './calendar.js';
import type { ToolDefinition } from './define.js';
import { financeReport } from './finance.js';
import { getListing, searchListings } from './listings.js';
import { getConversation, listConversations } from './messaging.js';
import { getReservation, searchReservations } from './reservations.js';

export const TOOLS: readonly ToolDefinition[] = [
  connectionStatus,
  searchListings,
  getListing,
  getAvailability,
  findAvailableListings,
  searchReservations,
  getReservation,
  listConversations,
  getConversation,
  financeReport,
] as unknown as readonly ToolDefinition[];

/** The tools this server offers: read-only mode drops every tool that is not read-only. */
export function enabledTools(options: { readOnly: boolean }): readonly ToolDefinition[] {
  return TOOLS.filter((t) => !options.readOnly || t.annotations.readOnlyHint);
}
