/**
 * Interactive API docs at `/docs`: Swagger UI over `/openapi.json`, every asset served by this server
 * from the swagger-ui-dist package (no CDN: the page works offline and behind a firewall), under a
 * content-security policy that allows scripts from this server only (the start-up script is a file, not
 * inline). Swagger UI injects its own styles and small data: images, hence the two allowances.
 */
import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Hostaway MCP Server: REST API</title>
<link rel="stylesheet" href="/docs/swagger-ui.css">
<link rel="icon" type="image/png" href="/docs/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>
`;

// "Try it out" is on from the start, and the token typed under Authorize stays in the page only.
const INIT = `window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  displayOperationId: true,
  filter: true,
  tryItOutEnabled: true,
  persistAuthorization: false,
  validatorUrl: null,
});
`;

/** The package's files this page uses, and their types. */
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

const assetDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const loaded = new Map<string, Promise<Buffer>>();

/** Answers a GET under /docs; false when the path is not one of its pages or assets. */
export async function serveDocs(path: string, res: ServerResponse): Promise<boolean> {
  if (path === '/docs' || path === '/docs/') {
    send(res, 'text/html; charset=utf-8', PAGE, 'no-cache');
    return true;
  }
  if (path === '/docs/init.js') {
    send(res, 'text/javascript; charset=utf-8', INIT, 'no-cache');
    return true;
  }
  const name = path.slice('/docs/'.length);
  const type = ASSETS[name];
  if (!path.startsWith('/docs/') || !type) return false;
  let body = loaded.get(name);
  if (!body) {
    body = readFile(join(assetDir, name));
    loaded.set(name, body);
  }
  send(res, type, await body, 'public, max-age=86400');
  return true;
}

function send(res: ServerResponse, type: string, body: string | Buffer, cache: string): void {
  res
    .writeHead(200, {
      'content-type': type,
      'cache-control': cache,
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    })
    .end(body);
}
