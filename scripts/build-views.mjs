#!/usr/bin/env node
/**
 * Third step of `npm run build`: the interactive views (MCP Apps) under views/, each bundled with the
 * official Apps SDK into one self-contained page, dist/views/<name>.html. A host renders the page in a
 * sandboxed frame from the `ui://` resource's text alone, so nothing may be fetched: the script and the
 * style are inline, and the page's own content-security policy allows exactly those two (by their
 * SHA-256) and nothing else: no network, no other script, no frame, no form.
 *
 * Zod (which the SDK validates messages with) registers every language's error messages; the views
 * need none of them (errors never reach a person as zod's words), so only English is bundled: about
 * 250 KB less per page. Prints each page's bytes; `--json` prints them as JSON for the tests.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'views');
const VIEWS = { calendar: 'Availability calendar', inbox: 'Guest inbox', numbers: 'Portfolio numbers' };

const englishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      args.importer.includes(`${join('node_modules', 'zod')}`)
        ? { path: 'zod-locales', namespace: 'zod-en' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-en' }, () => ({
      contents: `export { default as en } from 'zod/v4/locales/en.js';`,
      resolveDir: root,
    }));
  },
};

const sha256 = (text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

mkdirSync(out, { recursive: true });
const style = readFileSync(join(root, 'views', 'lib', 'style.css'), 'utf8')
  .replace(/\s*\n\s*/g, '\n')
  .trim();
const sizes = {};
for (const [name, title] of Object.entries(VIEWS)) {
  const result = await build({
    entryPoints: [join(root, 'views', `${name}.ts`)],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    legalComments: 'none',
    plugins: [englishOnly],
    logLevel: 'warning',
  });
  const script = result.outputFiles[0].text.trim();
  // Inline, a "</script" inside the code would end the element early; esbuild escapes it in strings.
  if (/<\/script/i.test(script)) throw new Error(`views/${name}.ts: the bundle contains "</script"`);
  const csp = [
    "default-src 'none'",
    `script-src ${sha256(script)}`,
    `style-src ${sha256(style)}`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${style}</style>
</head><body><main id="view" aria-live="polite"><p class="muted">Loading…</p></main>
<script type="module">${script}</script>
</body></html>
`;
  writeFileSync(join(out, `${name}.html`), html);
  sizes[name] = {
    bytes: Buffer.byteLength(html),
    script: Buffer.byteLength(script),
    style: Buffer.byteLength(style),
  };
}
if (process.argv.includes('--json')) console.log(JSON.stringify(sizes));
