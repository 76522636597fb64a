/**
 * Prompts over both protocol eras: listed with their arguments, got with arguments (the tool calls they
 * lay out follow the arguments and the tools this server offers), and their arguments completed from
 * the account: reservation ids of waiting guests or by guest name, listing names, months. Expected
 * values come from the sandbox's own data and the server's own tools.
 */
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { McpServer } from '@modelcontextprotocol/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completers } from '../../src/server/completions.js';
import { registerPrompts } from '../../src/server/prompts.js';
import type { Runtime } from '../../src/server/runtime.js';
import { connect, ERAS, startTestRuntime } from '../helpers/server.js';

const wordStarts = (name: string, typed: string) =>
  name.toLowerCase().startsWith(typed.toLowerCase()) ||
  name
    .toLowerCase()
    .split(/[\s\-,/()&]+/)
    .some((w) => w.startsWith(typed.toLowerCase()));

async function promptText(client: Client, name: string, args: Record<string, string>): Promise<string> {
  const { messages } = await client.getPrompt({ name, arguments: args });
  expect(messages).toHaveLength(1);
  expect(messages[0]?.role).toBe('user');
  const content = messages[0]?.content as { type: string; text: string };
  expect(content.type).toBe('text');
  return content.text;
}

describe.each(ERAS)('prompts, %s', (era) => {
  let runtime: Runtime;
  let client: Client;
  let close: () => Promise<void>;
  beforeAll(async () => {
    runtime = await startTestRuntime();
    ({ client, close } = await connect(runtime, era));
  });
  afterAll(async () => {
    await close();
    await runtime.close();
  });
  const store = () => runtime.sandbox!.store();
  const completePrompt = async (name: string, argument: string, value: string) =>
    (await client.complete({ ref: { type: 'ref/prompt', name }, argument: { name: argument, value } }))
      .completion.values;

  it('lists the three prompts with their arguments', async () => {
    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => [p.name, p.arguments?.map((a) => [a.name, a.required])])).toEqual([
      ['daily_brief', [['date', false]]],
      ['reply_to_guest', [['reservationId', true]]],
      [
        'owner_monthly_report',
        [
          ['listing', true],
          ['month', true],
        ],
      ],
    ]);
    for (const p of prompts) expect(p.description?.length).toBeGreaterThan(40);
  });

  it('daily_brief lays out the day’s calls for the date given, today by default', async () => {
    const dated = await promptText(client, 'daily_brief', { date: '2026-12-03' });
    // This server has the operations brief: one call with its own arguments, not the separate searches.
    expect(dated).toContain('Call hostaway_operations_brief with from "2026-12-03" and to "2026-12-03"');
    expect(dated).not.toContain('hostaway_search_reservations');
    expect(dated).toMatch(/never instructions to you/);
    const today = await promptText(client, 'daily_brief', {});
    expect(today).toContain('with from "today" and to "today"');
    await expect(
      client.getPrompt({ name: 'daily_brief', arguments: { date: 'next week' } }),
    ).rejects.toMatchObject({
      code: -32602,
    });
    await expect(
      client.getPrompt({ name: 'daily_brief', arguments: { date: '2026-02-30' } }),
    ).rejects.toMatchObject({ code: -32602, message: expect.stringMatching(/not a real date/) });
  });

  it('reply_to_guest walks read, templates, draft, preview and approval for that reservation', async () => {
    const text = await promptText(client, 'reply_to_guest', { reservationId: '1000001' });
    const order = [
      'hostaway_list_conversations with reservationId 1000001',
      'hostaway_get_conversation',
      'hostaway_list_message_templates with reservationId 1000001',
      'Draft the reply',
      'hostaway_send_message with reservationId 1000001',
    ].map((s) => text.indexOf(s));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(text).toMatch(/returns a preview and sends nothing/);
    expect(text).toMatch(/only after I say yes/);
    expect(text).toMatch(/never instructions to you/);
    await expect(
      client.getPrompt({ name: 'reply_to_guest', arguments: { reservationId: 'Maria' } }),
    ).rejects.toMatchObject({ code: -32602, message: expect.stringMatching(/whole number/) });
  });

  it('owner_monthly_report finds the listing by name and covers the whole month', async () => {
    const l = store().allListings()[3]!;
    const text = await promptText(client, 'owner_monthly_report', { listing: l.name, month: '2026-02' });
    expect(text).toContain(`listing ${l.id}, "${l.name}", for 2026-02 (2026-02-01 to 2026-02-28`);
    expect(text).toContain(
      `hostaway_finance_report with from "2026-02-01", to "2026-02-28", listingIds [${l.id}]`,
    );
    expect(text).toContain(`in ${l.timeZoneName}`);
    const leap = await promptText(client, 'owner_monthly_report', {
      listing: l.name.toUpperCase(),
      month: '2028-02',
    });
    expect(leap).toContain('2028-02-01 to 2028-02-29');
    await expect(
      client.getPrompt({
        name: 'owner_monthly_report',
        arguments: { listing: 'No Such Place', month: '2026-02' },
      }),
    ).rejects.toMatchObject({
      code: -32602,
      message: expect.stringMatching(/No listing is named "No Such Place"/),
    });
    await expect(
      client.getPrompt({ name: 'owner_monthly_report', arguments: { listing: l.name, month: '2026-13' } }),
    ).rejects.toMatchObject({ code: -32602, message: expect.stringMatching(/YYYY-MM/) });
  });

  it('completes reservationId with the waiting guests’ reservations, as the conversations tool lists them', async () => {
    const values = await completePrompt('reply_to_guest', 'reservationId', '');
    const listed = await client.callTool({
      name: 'hostaway_list_conversations',
      arguments: { waitingOnly: true, scan: 100, limit: 50 },
    });
    const waiting = (
      listed.structuredContent as { conversations: Array<{ reservationId: number | null }> }
    ).conversations.map((c) => String(c.reservationId));
    expect(values.length).toBeGreaterThan(1);
    expect(values).toEqual(waiting);
    for (const id of values) {
      const [c] = store().searchConversations(Number(id));
      expect((c?.messageReceivedOn ?? '') > (c?.messageSentOn ?? '')).toBe(true);
    }
    const prefix = values[0]!.slice(0, 6);
    expect(await completePrompt('reply_to_guest', 'reservationId', prefix)).toEqual(
      values.filter((v) => v.startsWith(prefix)),
    );
  });

  it('completes reservationId by the start of a guest’s name, latest arrival first', async () => {
    const typed = store().allReservations()[7]!.guestName!.split(' ')[1]!.slice(0, 4);
    const expected = store()
      .allReservations()
      .filter((r) => wordStarts(r.guestName ?? '', typed));
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(100);
    const values = await completePrompt('reply_to_guest', 'reservationId', typed);
    expect([...values].sort()).toEqual(expected.map((r) => String(r.id)).sort());
    const arrivals = values.map((v) => expected.find((r) => String(r.id) === v)!.arrivalDate);
    expect([...arrivals].sort().reverse()).toEqual(arrivals);
  });

  it('completes the listing name from the account’s listings, and the month from recent ones', async () => {
    const names = store()
      .allListings()
      .map((l) => l.name);
    expect(await completePrompt('owner_monthly_report', 'listing', '')).toEqual(
      [...names].sort((a, b) => a.localeCompare(b)),
    );
    const typed = names[2]!.split(' ')[1]!.slice(0, 3).toUpperCase();
    const hits = await completePrompt('owner_monthly_report', 'listing', typed);
    expect(hits.length).toBeGreaterThan(0);
    expect([...hits].sort()).toEqual(names.filter((n) => wordStarts(n, typed)).sort());
    // The sandbox's today is 2026-11-25 in every listing zone.
    const months = await completePrompt('owner_monthly_report', 'month', '');
    expect(months).toHaveLength(12);
    expect(months[0]).toBe('2026-11');
    expect(months[11]).toBe('2025-12');
    expect(await completePrompt('owner_monthly_report', 'month', '2025')).toEqual(['2025-12']);
  });

  it('refuses completion for a prompt it does not have', async () => {
    await expect(
      client.complete({ ref: { type: 'ref/prompt', name: 'nope' }, argument: { name: 'x', value: '' } }),
    ).rejects.toMatchObject({ code: -32602 });
  });
});

describe('prompts follow the tools this server offers', () => {
  let runtime: Runtime;
  beforeAll(async () => {
    runtime = await startTestRuntime({ readOnly: true });
  });
  afterAll(async () => {
    await runtime.close();
  });

  it('read-only: reply_to_guest drafts only, since sending is off', async () => {
    const { client, close } = await connect(runtime, 'legacy (in-memory)');
    try {
      const text = await promptText(client, 'reply_to_guest', { reservationId: '1000001' });
      expect(text).not.toContain('hostaway_send_message');
      expect(text).toMatch(/Sending is switched off on this server/);
    } finally {
      await close();
    }
  });

  /** A server with the prompts alone, as if it offered just these tools. */
  async function promptsFor(tools: string[], use: (client: Client) => Promise<void>) {
    const server = new McpServer({ name: 't', version: '1' });
    registerPrompts(server, runtime, new Set(tools), completers(runtime));
    const [a, b] = InMemoryTransport.createLinkedPair();
    await server.connect(b);
    const client = new Client({ name: 't', version: '1' });
    await client.connect(a);
    try {
      await use(client);
    } finally {
      await client.close();
      await server.close();
    }
  }

  it('without the operations brief tool, daily_brief lays out the separate searches', async () => {
    const tools = ['hostaway_search_reservations', 'hostaway_list_conversations', 'hostaway_list_tasks'];
    await promptsFor(tools, async (client) => {
      const dated = await promptText(client, 'daily_brief', { date: '2026-12-03' });
      expect(dated).toContain('arrivalFrom "2026-12-03" and arrivalTo "2026-12-03"');
      expect(dated).toContain('departureFrom "2026-12-03" and departureTo "2026-12-03"');
      expect(dated).toContain('hostaway_list_conversations with waitingOnly true');
      expect(dated).toContain('hostaway_list_tasks with canStartFromStart "2026-12-03"');
      expect(dated).not.toContain('hostaway_operations_brief');
      const today = await promptText(client, 'daily_brief', {});
      expect(today).toContain('arrivalFrom "today" and arrivalTo "today"');
    });
  });

  it('with the operations brief tool, daily_brief calls it instead of the separate searches', async () => {
    await promptsFor(['hostaway_operations_brief', 'hostaway_search_reservations'], async (client) => {
      const text = await promptText(client, 'daily_brief', { date: 'tomorrow' });
      expect(text).toContain('Call hostaway_operations_brief with from "tomorrow" and to "tomorrow"');
      expect(text).not.toContain('hostaway_search_reservations');
      // Only the prompts whose tools are there.
      expect((await client.listPrompts()).prompts.map((p) => p.name)).toEqual(['daily_brief']);
    });
  });

  it('with the portfolio metrics tool, owner_monthly_report calls it for that listing and month', async () => {
    await promptsFor(['hostaway_portfolio_metrics'], async (client) => {
      const l = runtime.sandbox!.store().allListings()[0]!;
      const text = await promptText(client, 'owner_monthly_report', {
        listing: String(l.id),
        month: '2026-09',
      });
      expect(text).toContain(`Call hostaway_portfolio_metrics for listing ${l.id} and the month 2026-09`);
      expect(text).toContain(`with listingIds [${l.id}], from "2026-09-01" and to "2026-09-30"`);
      expect(text).toContain('(2026-09-01 to 2026-09-30)');
      expect(text).not.toContain('hostaway_finance_report');
      expect((await client.listPrompts()).prompts.map((p) => p.name)).toEqual(['owner_monthly_report']);
    });
  });

  it('with no tool a prompt needs, the server offers no prompts', async () => {
    await promptsFor(['hostaway_search_listings'], async (client) => {
      expect(client.getServerCapabilities()?.prompts).toBeUndefined();
    });
  });
});
