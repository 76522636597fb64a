#!/usr/bin/env node
/**
 * The `hostaway-mcp` command (src/cli-main.ts does the work). This entry only turns on Node's compile
 * cache first (Node 22.1 and later; a no-op before), whatever launched it (npx, the bin, the .mcpb
 * bundle, Docker): V8's compiled code for the server's modules is kept on disk (in the system's
 * temporary directory, or NODE_COMPILE_CACHE) and reused by the next start, which then skips compiling
 * them. Measured on Node 24: about 30 ms of a stdio server's start, live or demo. Modules loaded before
 * this line would not be cached, hence the separate entry; NODE_DISABLE_COMPILE_CACHE=1 turns it off.
 */
import module from 'node:module';

(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
await import('./cli-main.js');
