/**
 * The inbox: the guests waiting for a reply, most urgent first (hostaway_inbox_triage), each with what
 * they last wrote (shown as guest-written text, never as markup), their stay, and a reply box.
 *
 * A reply goes through hostaway_send_message's two steps, exactly as the model's would: "Preview" calls
 * it without a confirmationId (nothing is sent; the server answers with the exact text, how it will
 * reach the guest, and a confirmationId); "Send" calls it again with the same arguments and that id. The
 * server commits each id once, so a second press, a retry or a reload never sends twice; the view
 * shows the outcome the server gives: sent, not sent, or unknown (the answer was lost and reading the
 * thread back could not tell).
 */
import type { InboxTriageOut as Triage, WaitingGuest as Waiting } from '../src/tools/inbox-triage-schema.js';
import {
  callTool,
  h,
  on,
  root,
  sameAccount,
  start,
  type ToolAnswer,
  ToolFailed,
  tellModel,
} from './lib/app.js';

interface SendOutcome {
  status: 'preview' | 'blocked' | 'done' | 'failed' | 'unknown' | 'in_progress' | 'declined';
  target: string;
  preview: { communicationType: string; text: string; channel: string | null; warnings: string[] } | null;
  confirmationId?: string;
  expiresAt?: string;
  result?: { messageId: number | null; sentAt: string | null };
  blockers?: string[];
  repeated?: boolean;
  note: string;
}

const SEND = 'hostaway_send_message';
const TRIAGE = 'hostaway_inbox_triage';

/** How the outcome reads to the manager, by the protocol's status. */
const SAID: Record<SendOutcome['status'], string> = {
  preview: 'Preview: not sent yet',
  blocked: 'Not sent: it cannot go ahead',
  done: 'Sent',
  failed: 'Not sent',
  unknown: 'Unknown: the answer was lost; check the thread before sending again',
  in_progress: 'Being sent by another call',
  declined: 'Not sent: declined',
};

/** Replaces the reply area's content, leaving out what is not there. */
function fillWith(area: HTMLElement, ...parts: Array<Node | null>): void {
  area.replaceChildren(...parts.filter((p): p is Node => p !== null));
}

function waited(minutes: number | null): string {
  if (minutes === null) return 'unread';
  if (minutes < 60) return `waiting ${minutes} min`;
  if (minutes < 48 * 60) return `waiting ${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  return `waiting ${Math.floor(minutes / 1440)} days`;
}

/** One waiting guest's card; `account` is the one the triage named (several accounts), for the replies. */
function card(g: Waiting, account: { account?: string }): HTMLElement {
  const text = h('textarea', { 'aria-label': `Reply to ${g.guest ?? 'the guest'}`, maxlength: 5000 });
  const previewButton = h('button', {}, 'Preview');
  const sendButton = h('button', { class: 'primary', hidden: true }, 'Send');
  const area = h('div', { class: 'reply' });
  const fill = (...parts: Array<Node | null>) => fillWith(area, ...parts);
  let pending: { args: Record<string, unknown>; confirmationId: string } | null = null;

  const show = (o: SendOutcome) => {
    const until = o.expiresAt ? ` It can be sent until ${o.expiresAt.slice(11, 16)} UTC.` : '';
    fill(
      h('div', { class: `outcome s-${o.status}`, 'data-status': o.status }, SAID[o.status]),
      o.preview ? h('div', { class: 'draft', 'data-testid': 'preview-text' }, o.preview.text) : null,
      o.preview
        ? h(
            'p',
            { class: 'muted' },
            `To ${g.guest ?? 'the guest'} by ${o.preview.communicationType}${o.preview.channel ? ` (${o.preview.channel})` : ''}.`,
          )
        : null,
      ...(o.preview?.warnings ?? []).map((w) => h('p', { class: 'error' }, w)),
      ...(o.blockers ?? []).map((b) => h('p', { class: 'error' }, b)),
      o.result?.messageId
        ? h('p', { class: 'muted' }, `Message #${o.result.messageId}, ${o.result.sentAt ?? ''}`)
        : null,
      // The server's note speaks to the model (what to call next, with which id): for a preview the
      // person reads what the Send button will do instead.
      h(
        'p',
        { class: 'muted' },
        o.status === 'preview'
          ? `Nothing is sent until you press Send: exactly this text, once.${until}`
          : o.note,
      ),
    );
  };
  const fail = (err: unknown) => {
    const text = err instanceof Error ? err.message : String(err);
    const message =
      err instanceof ToolFailed
        ? err.message
        : /not found|disabled/i.test(text)
          ? 'Sending is off on this server (writes are not switched on): replies cannot be previewed or sent from here.'
          : `Could not reach the server: ${text}`;
    area.replaceChildren(h('div', { class: 'outcome s-failed', 'data-status': 'error' }, message));
  };

  const preview = async (args: Record<string, unknown>) => {
    previewButton.disabled = true;
    sendButton.hidden = true;
    pending = null;
    try {
      const o = await callTool<SendOutcome>(SEND, args);
      show(o);
      if (o.status === 'preview' && o.confirmationId) {
        pending = { args, confirmationId: o.confirmationId };
        sendButton.hidden = false;
        sendButton.disabled = false;
      }
    } catch (err) {
      fail(err);
    } finally {
      previewButton.disabled = false;
    }
  };

  on(previewButton, 'click', () => {
    const body = text.value.trim();
    if (!body) {
      area.replaceChildren(h('p', { class: 'error' }, 'Write the reply first.'));
      return;
    }
    void preview({ ...account, conversationId: g.conversationId, text: body });
  });
  on(sendButton, 'click', async () => {
    if (!pending) return;
    // One press, one commit: the button goes before the call, and the server commits an id once anyway.
    const { args, confirmationId } = pending;
    pending = null;
    sendButton.disabled = true;
    previewButton.disabled = true;
    text.disabled = true;
    try {
      const o = await callTool<SendOutcome>(SEND, { ...args, confirmationId });
      show(o);
      // The model did not make this call: it hears of it, so that the conversation stays true.
      if (o.status === 'done' || o.status === 'unknown')
        void tellModel(
          `From the inbox view, the manager sent a reply to ${g.guest ?? 'a guest'} (conversation ${g.conversationId}); outcome: ${o.status}. ${o.note}`,
        );
      sendButton.hidden = true;
      if (o.status !== 'done' && o.status !== 'unknown' && o.status !== 'in_progress') {
        previewButton.disabled = false;
        text.disabled = false;
      }
    } catch (err) {
      fail(err);
    }
  });
  on(text, 'input', () => {
    // Edited after a preview: the preview no longer says what would be sent.
    if (pending) {
      pending = null;
      sendButton.hidden = true;
      area.replaceChildren(h('p', { class: 'muted' }, 'Edited: preview again before sending.'));
    }
  });

  const stay = [
    g.listing,
    g.arrival && g.departure ? `${g.arrival} → ${g.departure}` : null,
    g.stay,
    g.guests ? `${g.guests} guests` : null,
    g.channel,
    g.status,
  ].filter(Boolean);
  return h(
    'article',
    { class: 'card', 'data-conversation': g.conversationId },
    h(
      'header',
      {},
      h('strong', {}, g.guest ?? 'Guest'),
      h(
        'span',
        {},
        h(
          'span',
          { class: g.arrivingSoon ? 'badge hot' : 'badge' },
          g.arrivingSoon ? 'arriving soon' : `score ${g.score}`,
        ),
        ' ',
        h('span', { class: 'muted' }, waited(g.waitingMinutes)),
      ),
    ),
    h('p', { class: 'muted' }, stay.join(' · ')),
    g.lastGuestMessage
      ? h(
          'blockquote',
          { class: 'guest-text', 'data-testid': 'guest-text' },
          g.lastGuestMessage.text + (g.lastGuestMessage.cut ? ' […]' : ''),
        )
      : h('p', { class: 'muted' }, 'No message from the guest in view.'),
    g.templates.length
      ? h(
          'p',
          { class: 'bar' },
          h('span', { class: 'muted' }, 'Templates:'),
          ...g.templates.map((t) =>
            on(
              h('button', { title: `Preview template #${t.templateId} (${t.topic})` }, t.name),
              'click',
              () => {
                void preview({ ...account, conversationId: g.conversationId, templateId: t.templateId });
              },
            ),
          ),
        )
      : null,
    text,
    h('div', { class: 'bar' }, previewButton, sendButton),
    area,
  );
}

function render({ arguments: args, data }: ToolAnswer<Triage>): void {
  const head = h(
    'h1',
    {},
    data.waiting.length
      ? `${data.waiting.length} guest(s) waiting for a reply`
      : 'No guest is waiting for a reply',
  );
  // The same question again (after replies, say): the tool's own answer, through the host.
  const refresh = on(h('button', {}, 'Refresh'), 'click', async () => {
    refresh.disabled = true;
    try {
      render({ arguments: args, data: await callTool<Triage>(TRIAGE, args) });
    } catch (err) {
      refresh.disabled = false;
      refresh.after(h('span', { class: 'error' }, ` ${err instanceof Error ? err.message : String(err)}`));
    }
  });
  const note = h(
    'p',
    { class: 'muted' },
    `${data.matched} waiting among the ${data.scanned} most recent conversations${data.hidden ? `; ${data.hidden} left out for their stay` : ''}. Replies are previewed, then sent only when you press Send.`,
  );
  const account = sameAccount(args);
  root().replaceChildren(
    h('div', { class: 'bar' }, head, refresh),
    note,
    ...data.waiting.map((g) => card(g, account)),
  );
}

void start<Triage>('inbox', { render });
