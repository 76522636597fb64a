/**
 * When the client can ask the person (form elicitation) the server asks instead of handing the model a
 * confirmation id, and commits only on an explicit yes; a no, a cancel or an unticked box changes
 * nothing; a client that cannot ask gets the two-step protocol, never an implied yes.
 */
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.js';
import type { Runtime } from '../../src/server/runtime.js';
import { buildServer } from '../../src/server/server.js';
import { startTestRuntime } from '../helpers/server.js';

const CONVERSATION = 200004;
type Answer = { action: 'accept' | 'decline' | 'cancel'; content?: Record<string, boolean> };

describe('writes that ask the person directly', () => {
  let runtime: Runtime;
  beforeAll(async () => {
    runtime = await startTestRuntime();
  });
  afterAll(async () => runtime.close());

  async function clientThat(answer: Answer | null) {
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const server = buildServer(runtime, { canAsk: true });
    await server.connect(serverSide);
    const questions: string[] = [];
    const client = new Client(
      { name: 'asking', version: '1.0.0' },
      answer ? { capabilities: { elicitation: { form: {} } } } : {},
    );
    if (answer)
      client.setRequestHandler('elicitation/create', async (request) => {
        questions.push(String((request.params as { message: string }).message));
        return answer;
      });
    await client.connect(clientSide);
    const send = async (text: string) => {
      const r = await client.callTool({
        name: 'hostaway_send_message',
        arguments: { conversationId: CONVERSATION, text },
      });
      return r.structuredContent as { status: string; confirmationId?: string };
    };
    return { send, questions, close: () => client.close() };
  }
  const copies = (text: string) =>
    (runtime.sandbox as Sandbox)
      .store()
      .conversationMessages(CONVERSATION, true)
      .filter((m) => m.body === text).length;

  it('sends on an explicit yes, once, after showing the person the exact text', async () => {
    const c = await clientThat({ action: 'accept', content: { confirm: true } });
    const out = await c.send('Asked and answered');
    expect(out.status).toBe('done');
    expect(out.confirmationId).toBeUndefined();
    expect(c.questions).toHaveLength(1);
    expect(c.questions[0]).toContain('Asked and answered');
    expect(copies('Asked and answered')).toBe(1);
    await c.close();
  });

  for (const [what, answer] of [
    ['a no', { action: 'decline' }],
    ['a cancel', { action: 'cancel' }],
    ['an unticked box', { action: 'accept', content: { confirm: false } }],
  ] as const) {
    it(`changes nothing on ${what}`, async () => {
      const c = await clientThat(answer as Answer);
      const text = `Not this time (${what})`;
      const out = await c.send(text);
      expect(out.status).toBe('declined');
      expect(out.confirmationId).toBeUndefined();
      expect(copies(text)).toBe(0);
      await c.close();
    });
  }

  it('falls back to the two-step preview for a client that cannot ask', async () => {
    const c = await clientThat(null);
    const out = await c.send('Two steps for this one');
    expect(out.status).toBe('preview');
    expect(out.confirmationId).toMatch(/^cf_/);
    expect(copies('Two steps for this one')).toBe(0);
    await c.close();
  });
});
