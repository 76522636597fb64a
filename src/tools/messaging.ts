import * as z from 'zod';
import { conversationState } from '../domain/conversations.js';
import { table } from '../domain/render.js';
import type { Conversation } from '../hostaway/schemas.js';
import { defineTool, READ_ONLY } from './define.js';
import { listingNames } from './reservations.js';

const SCAN_PAGE = 100;
const MAX_BODY_CHARS = 2_000;

const ConversationLine = z.object({
  conversationId: z.number().int(),
  reservationId: z.number().int().nullable(),
  listingId: z.number().int().nullable(),
  listing: z.string().nullable(),
  guest: z.string().nullable(),
  lastFrom: z.enum(['guest', 'host']).nullable(),
  lastMessageAt: z.string().nullable().describe('UTC, YYYY-MM-DD HH:MM:SS'),
  unread: z.boolean(),
  waitingMinutes: z
    .number()
    .int()
    .nullable()
    .describe('how long the guest has waited, when the guest wrote last'),
});

export const listConversations = defineTool({
  name: 'hostaway_list_conversations',
  title: 'List guest conversations',
  description:
    'Guest conversations, most recent first: who wrote last, whether it is unread, and how many minutes the guest has been waiting. For "who is waiting for a reply", set waitingOnly (guest wrote last) or unreadOnly; the longest waits come first. reservationId uses Hostaway\'s own filter; listingId, unreadOnly and waitingOnly are applied by this server over the most recent `scan` conversations.',
  toolset: 'messaging',
  input: z
    .object({
      reservationId: z.number().int().min(1).optional(),
      listingId: z.number().int().min(1).optional(),
      unreadOnly: z.boolean().default(false),
      waitingOnly: z.boolean().default(false).describe('only those where the guest wrote last'),
      limit: z.number().int().min(1).max(50).default(20),
      scan: z
        .number()
        .int()
        .min(100)
        .max(1000)
        .default(300)
        .describe('how many recent conversations to look through'),
    })
    .strict(),
  output: z.object({
    conversations: z.array(ConversationLine),
    scanned: z.number().int(),
    total: z.number().int().nullable().describe('conversations in the account'),
  }),
  annotations: READ_ONLY,
  handler: async (args, ctx) => {
    const names = await listingNames(ctx.client, ctx.signal);
    const found: Conversation[] = [];
    let scanned = 0;
    let total: number | null = null;
    const filtering = args.listingId !== undefined || args.unreadOnly || args.waitingOnly;
    for (let offset = 0; offset < (args.reservationId ? 1 : args.scan); offset += SCAN_PAGE) {
      const page = await ctx.client.conversations.list(
        { reservationId: args.reservationId, limit: SCAN_PAGE, offset },
        ctx.signal,
      );
      total ??= page.count;
      scanned += page.items.length;
      found.push(...page.items);
      if (page.items.length < SCAN_PAGE || (!filtering && found.length >= args.limit)) break;
    }
    const now = ctx.now();
    let lines = found
      .map((c) => ({ c, s: conversationState(c, now) }))
      .filter(({ c, s }) => {
        if (args.listingId !== undefined && c.listingMapId !== args.listingId) return false;
        if (args.unreadOnly && !s.unread) return false;
        if (args.waitingOnly && s.lastFrom !== 'guest') return false;
        return true;
      });
    if (args.unreadOnly || args.waitingOnly)
      lines = lines.sort((a, b) => (b.s.waitingMinutes ?? -1) - (a.s.waitingMinutes ?? -1));
    return {
      conversations: lines.slice(0, args.limit).map(({ c, s }) => ({
        conversationId: c.id,
        reservationId: c.reservationId ?? null,
        listingId: c.listingMapId ?? null,
        listing: c.listingMapId ? (names.get(c.listingMapId) ?? null) : null,
        guest: c.recipientName ?? null,
        ...s,
      })),
      scanned,
      total,
    };
  },
  render: (o) =>
    `${o.conversations.length} conversation(s) (looked through ${o.scanned}${o.total !== null ? ` of ${o.total}` : ''})\n${table(o.conversations)}`,
});

export const getConversation = defineTool({
  name: 'hostaway_get_conversation',
  title: 'Read a conversation',
  description:
    'The messages of one guest conversation, oldest first, with who wrote each (guest or host), when (UTC) and through which channel. By default the latest 20 sent messages; page back with offset, or include scheduled and unsent ones with includeScheduled. Long messages are cut at 2,000 characters.',
  toolset: 'messaging',
  input: z
    .object({
      conversationId: z.number().int().min(1),
      limit: z.number().int().min(1).max(100).default(20),
      offset: z.number().int().min(0).default(0).describe('skip this many of the newest messages'),
      includeScheduled: z.boolean().default(false),
    })
    .strict(),
  output: z.object({
    conversation: ConversationLine,
    messages: z.array(
      z.object({
        id: z.number().int(),
        at: z.string().nullable(),
        from: z.enum(['guest', 'host']),
        status: z.string().nullable(),
        via: z.string().nullable(),
        body: z.string(),
      }),
    ),
    olderOffset: z
      .number()
      .int()
      .nullable()
      .describe('pass as offset to read older messages; null when none'),
  }),
  annotations: READ_ONLY,
  handler: async (args, ctx) => {
    const [conv, page, names] = await Promise.all([
      ctx.client.conversations.get(args.conversationId, {}, ctx.signal),
      ctx.client.conversations.messages(
        args.conversationId,
        { limit: args.limit, offset: args.offset, includeScheduledMessages: args.includeScheduled },
        ctx.signal,
      ),
      listingNames(ctx.client, ctx.signal),
    ]);
    const seen = args.offset + page.items.length;
    return {
      conversation: {
        conversationId: conv.id,
        reservationId: conv.reservationId ?? null,
        listingId: conv.listingMapId ?? null,
        listing: conv.listingMapId ? (names.get(conv.listingMapId) ?? null) : null,
        guest: conv.recipientName ?? null,
        ...conversationState(conv, ctx.now()),
      },
      // Hostaway pages newest first; a thread reads oldest first.
      messages: [...page.items].reverse().map((m) => {
        const body = m.body ?? '';
        return {
          id: m.id,
          at: m.date ?? m.insertedOn ?? null,
          from: m.isIncoming ? ('guest' as const) : ('host' as const),
          status: m.status ?? null,
          via: m.communicationType ?? null,
          body: body.length > MAX_BODY_CHARS ? `${body.slice(0, MAX_BODY_CHARS)}[...]` : body,
        };
      }),
      olderOffset:
        page.count !== null && seen < page.count
          ? seen
          : page.items.length === args.limit && page.count === null
            ? seen
            : null,
    };
  },
  render: (o) => {
    const c = o.conversation;
    const head = `Conversation ${c.conversationId} with ${c.guest ?? 'guest'} (reservation ${c.reservationId}, ${c.listing ?? `listing ${c.listingId}`})${c.waitingMinutes !== null ? `; guest waiting ${c.waitingMinutes} min` : ''}${o.olderOffset !== null ? `; older messages: offset=${o.olderOffset}` : ''}`;
    return `${head}\n${o.messages.map((m) => `[${m.at}] ${m.from}${m.status && m.status !== 'sent' ? ` (${m.status})` : ''}: ${m.body}`).join('\n')}`;
  },
});
