/**
 * The built pages themselves: self-contained (no URL to fetch anything from), a content-security policy
 * that allows exactly the inline script and style (by hash) and nothing else, small enough to say so,
 * and view code that never turns a value into markup.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { viewHtml } from '../../src/server/apps.js';
import { VIEW_NAMES } from '../../src/tools/define.js';

const hash = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

describe.each(VIEW_NAMES)('the %s page', (name) => {
  const html = viewHtml(name);
  const script = /<script type="module">([\s\S]*)<\/script>/.exec(html)?.[1] ?? '';
  const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
  const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';

  it('holds one inline script and one inline style, and loads nothing', () => {
    expect(script.length).toBeGreaterThan(1000);
    expect(style.length).toBeGreaterThan(100);
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).not.toMatch(/<(link|img|iframe|object|embed)\b/i);
    expect(html).not.toMatch(/\b(src|href)=/i);
    expect(script).not.toMatch(/\bimport\s*\(|\bimport\s*["'{*]/);
  });

  it('allows exactly that script and style, by hash, and nothing else', () => {
    const directives = Object.fromEntries(
      csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]),
    );
    expect(directives).toEqual({
      'default-src': "'none'",
      'script-src': hash(script),
      'style-src': hash(style),
      'img-src': 'data:',
      'base-uri': "'none'",
      'form-action': "'none'",
    });
  });

  it('stays under 380 KB, the Apps SDK and its validator included', () => {
    expect(Buffer.byteLength(html)).toBeLessThan(380_000);
  });
});

describe('the view code', () => {
  const dir = new URL('../../views/', import.meta.url);
  const sources = [
    ...readdirSync(dir).filter((f) => f.endsWith('.ts')),
    ...readdirSync(new URL('lib/', dir)).map((f) => `lib/${f}`),
  ].filter((f) => f.endsWith('.ts'));

  it.each(sources)('%s never parses a string as HTML', (file) => {
    const code = readFileSync(new URL(file, dir), 'utf8');
    expect(code).not.toMatch(
      /innerHTML|outerHTML|insertAdjacentHTML|document\.write|DOMParser|createContextualFragment|srcdoc/,
    );
    expect(code).not.toMatch(/\beval\(|new Function/);
  });
});
