#!/usr/bin/env node
/**
 * Second step of `npm run build`, after tsc: the command (dist/cli.js, the package's bin) bundled with
 * esbuild into a few files, so that a server starts without resolving, reading and compiling some 400
 * modules one by one (our own, zod's, the MCP SDK's, pino's...): that per-module work was a third of a
 * stdio server's start.
 *
 * Split where the command splits: dist/cli.js stays a small entry; each part it imports dynamically (the
 * command line, the sandbox, the HTTP server, the metrics, Redis...) is a chunk of its own under
 * dist/chunks/, with the code shared between them in further chunks, so that a mode loads only what it
 * uses, as before. Left out (loaded from node_modules as before, each only when its mode asks for it):
 * packages that find files beside themselves (sql.js's WebAssembly, swagger-ui-dist's assets), drivers
 * with optional native parts (pg, ioredis), prom-client and jose, and the OpenTelemetry API, which must
 * be the one instance a user's SDK registers with.
 *
 * Everything else under dist/ is tsc's output, untouched: the library entries (`.`, `./sandbox`) and
 * the sources of the chunks. Running tsc alone puts back its own dist/cli.js, which loads those
 * unbundled modules: never a stale bundle.
 */
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');

rmSync(join(dist, 'chunks'), { recursive: true, force: true });
await build({
  entryPoints: [join(dist, 'cli.js')],
  outdir: dist,
  allowOverwrite: true,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  // Two levels down like tsc's output (dist/server/server.js), so that `../../package.json` still finds
  // the package's own.
  chunkNames: 'chunks/[name]-[hash]',
  external: ['sql.js', 'pg', 'ioredis', 'swagger-ui-dist', 'prom-client', 'jose', '@opentelemetry/api'],
  // A package's ES module build where it offers one: a CommonJS package imported dynamically (cockatiel)
  // would reach its chunk with a default export only, its named exports lost.
  mainFields: ['module', 'main'],
  // CommonJS packages bundled into ES modules (pino and its helpers) require Node's built-ins.
  banner: {
    js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);",
  },
  sourcemap: true,
  logLevel: 'warning',
});
