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
 * 250 KB less per page; and the client package's Protocol class comes without the rest of the package
 * (see protocolOnly). `--json` prints each page's bytes.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
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

/**
 * The Apps SDK's App extends the MCP client package's Protocol class and takes nothing else from it, but
 * importing the package's entry brings its top-level code too (the Client, OAuth, the HTTP and SSE
 * transports): some 70 KB a page. So the App gets Protocol from the module of the package that defines
 * it, found in the entry's own import line. Should a later SDK lay its files out otherwise, the pages
 * are built the plain way, with a warning, and are merely larger.
 */
const clientDist = join(root, 'node_modules', '@modelcontextprotocol', 'client', 'dist');
const chunk = /\b(\w+) as Protocol\b[^;]*?from "\.\/(src-[\w-]+\.mjs)"/.exec(
  readFileSync(join(clientDist, 'index.mjs'), 'utf8'),
);
if (!chunk)
  console.warn('build-views: the MCP client package no longer shows where Protocol lives; bundling it whole');
const protocolOnly = {
  name: 'protocol-only',
  setup(b) {
    if (!chunk) return;
    b.onResolve({ filter: /^@modelcontextprotocol\/client$/ }, (args) =>
      args.importer.includes('ext-apps')
        ? { path: 'client-protocol', namespace: 'protocol-only' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'protocol-only' }, () => ({
      contents: `export { ${chunk[1]} as Protocol } from ${JSON.stringify(join(clientDist, chunk[2]))};`,
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
    plugins: [englishOnly, protocolOnly],
    logLevel: 'warning',
    metafile: true,
  });
  // Views take only the types of the tools' answers from src/ (erased); server code in a page is a mistake.
  const fromServer = Object.keys(result.metafile.inputs).filter((f) =>
    resolve(f).startsWith(join(root, 'src', '/')),
  );
  if (fromServer.length)
    throw new Error(
      `views/${name}.ts bundles server code: ${fromServer.join(', ')}; use "import type" from src/`,
    );
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
