/**
 * What every view shares: the connection to the host through the official Apps SDK, tool calls that
 * return the structured answer (or throw the tool's own message), and DOM building that only ever sets
 * text. Nothing here parses HTML: guest-written text, listing names and every other value reach the page
 * as text nodes, so markup in them shows as characters and never runs.
 */
import { App, applyDocumentTheme, applyHostStyleVariables } from '@modelcontextprotocol/ext-apps';

export interface ToolAnswer<T> {
  arguments: Record<string, unknown>;
  data: T;
}

export interface View<T> {
  /** Draws an answer of the view's tool (the model's call, or the view's own). */
  render: (answer: ToolAnswer<T>) => void;
}

type CallToolResult = Awaited<ReturnType<App['callServerTool']>>;

export class ToolFailed extends Error {}

let app: App | undefined;

/** The structured answer of a result, or the tool's message as an error. */
function answerOf<T>(result: CallToolResult): T {
  const text = result.content
    ?.map((c) => (c.type === 'text' ? c.text : ''))
    .join('\n')
    .trim();
  if (result.isError) throw new ToolFailed(text || 'The tool failed without saying why.');
  if (!result.structuredContent) throw new ToolFailed('The tool gave no structured answer.');
  return result.structuredContent as T;
}

/**
 * The account the model's call named, to name again in the view's own calls: a server with several
 * accounts asks every call for one, and the view must stay on the account it shows. Empty with one.
 */
export function sameAccount(args: Record<string, unknown>): { account?: string } {
  return typeof args.account === 'string' ? { account: args.account } : {};
}

/** Calls one of our tools through the host: the same call path, checks and rate budget as the model's. */
export async function callTool<T>(name: string, args: Record<string, unknown>): Promise<T> {
  if (!app) throw new ToolFailed('Not connected to the host yet.');
  return answerOf<T>(await app.callServerTool({ name, arguments: args }));
}

/** Adds to what the model knows of the conversation, when the host takes that; never fails the view. */
export async function tellModel(text: string): Promise<void> {
  if (!app?.getHostCapabilities()?.updateModelContext) return;
  try {
    await app.updateModelContext({ content: [{ type: 'text', text }] });
  } catch {
    // The host declined: the view's own outcome line still says what happened.
  }
}

/**
 * Connects and hands each answer of the view's tool to `view.render`: the arguments arrive first
 * (tool-input), then the result (tool-result).
 */
export async function start<T>(name: string, view: View<T>): Promise<void> {
  const root = document.getElementById('view') as HTMLElement;
  let args: Record<string, unknown> = {};
  app = new App({ name: `hostaway-${name}`, version: '1.0.0' }, {});
  app.ontoolinput = (params) => {
    args = (params.arguments as Record<string, unknown> | undefined) ?? {};
  };
  app.ontoolresult = (result) => {
    try {
      view.render({ arguments: args, data: answerOf<T>(result as CallToolResult) });
    } catch (err) {
      root.replaceChildren(h('p', { class: 'error' }, (err as Error).message));
    }
  };
  app.ontoolcancelled = () => root.replaceChildren(h('p', { class: 'muted' }, 'The call was cancelled.'));
  app.onhostcontextchanged = (context) => theme(context);
  await app.connect();
  theme(app.getHostContext());
}

function theme(context: Parameters<NonNullable<App['onhostcontextchanged']>>[0] | undefined): void {
  if (context?.theme) applyDocumentTheme(context.theme);
  if (context?.styles?.variables) applyHostStyleVariables(context.styles.variables);
}

type Child = Node | string | number | null | undefined | false;

/**
 * An element with attributes and children; strings become text nodes. Attributes are set one by one
 * (never `on*`: handlers go through `on`), so no value is ever read as markup.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number | boolean | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (key.startsWith('on')) throw new Error(`h(): set ${key} with on(), not as an attribute`);
    el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

const SVG = 'http://www.w3.org/2000/svg';

/** An SVG element, the same way. */
export function svg(
  tag: string,
  attrs: Record<string, string | number> = {},
  ...children: Child[]
): SVGElement {
  const el = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, String(value));
  append(el, children);
  return el;
}

function append(el: Element, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

export function on<E extends Element>(el: E, event: string, handler: (e: Event) => void): E {
  el.addEventListener(event, handler);
  return el;
}

export const root = (): HTMLElement => document.getElementById('view') as HTMLElement;

/** Money as the account's currency, without cents. */
export function money(value: number | null | undefined, currency: string | null): string {
  if (value === null || value === undefined) return '–';
  try {
    return new Intl.NumberFormat('en', {
      style: 'currency',
      currency: currency ?? 'USD',
      maximumFractionDigits: 0,
    }).format(value);
  } catch {
    return `${Math.round(value)}${currency ? ` ${currency}` : ''}`;
  }
}

export const percent = (value: number | null | undefined): string =>
  value === null || value === undefined ? '–' : `${value.toFixed(1)}%`;
