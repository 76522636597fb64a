/**
 * `/docs` in a real headless Chromium (Debian's, driven by playwright-core): the page loads with every
 * asset from this server (no request leaves it, no CSP violation), lists every operation, and runs a
 * read from the page and shows the answer.
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpServerHandle, startHttpServer } from '../../src/server/http.js';
import type { Runtime } from '../../src/server/runtime.js';
import { enabledTools } from '../../src/tools/index.js';
import { startTestRuntime } from '../helpers/server.js';

/** Debian's package; CHROMIUM_PATH for machines that keep it elsewhere. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let runtime: Runtime;
let http: HttpServerHandle;
let browser: Browser;
let base: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium is needed at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
  runtime = await startTestRuntime();
  http = await startHttpServer(runtime);
  base = http.url.replace(/\/mcp$/, '');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await http?.close();
  await runtime?.close();
});

describe('/docs in a headless browser', () => {
  it('lists every operation and runs a read from the page', async () => {
    const page = await browser.newPage();
    const foreign: string[] = [];
    const problems: string[] = [];
    page.on('request', (req) => {
      if (!req.url().startsWith(base) && !req.url().startsWith('data:')) foreign.push(req.url());
    });
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(msg.text());
    });
    page.on('pageerror', (err) => problems.push(err.message));

    await page.goto(`${base}/docs`);
    await page.waitForSelector('.opblock', { timeout: 30_000 });
    const operations = await page.$$eval('.opblock-summary-path', (els) =>
      els.map((e) => e.getAttribute('data-path')),
    );
    const offered = enabledTools({ readOnly: false, writes: true, toolsets: undefined });
    expect(operations.sort()).toEqual(
      offered.map((t) => `/api/v1/${t.name.slice('hostaway_'.length)}`).sort(),
    );

    // Open "search listings", fill in a limit and run it.
    const op = page.locator('#operations-listings-hostaway_search_listings');
    await op.locator('.opblock-summary').click();
    await op.locator('input[placeholder="limit"]').fill('2');
    await op.locator('input[placeholder="query"]').fill('beach');
    await op.locator('button.execute').click();
    const body = op.locator('.live-responses-table .response-col_description pre');
    await body.first().waitFor({ timeout: 30_000 });
    const shown = await body.first().textContent();
    const answer = JSON.parse(shown ?? '') as { listings: Array<{ name: string }> };
    expect(answer.listings.length).toBeGreaterThan(0);
    expect(answer.listings.length).toBeLessThanOrEqual(2);
    const status = await op
      .locator('.live-responses-table .response .response-col_status')
      .first()
      .textContent();
    expect(status?.trim()).toBe('200');
    // The same read straight from the REST route gives the same listings.
    const direct = (await (await fetch(`${base}/api/v1/search_listings?limit=2&query=beach`)).json()) as {
      listings: Array<{ name: string }>;
    };
    expect(answer.listings.map((l) => l.name)).toEqual(direct.listings.map((l) => l.name));

    if (process.env.DOCS_SCREENSHOT)
      await page.screenshot({ path: process.env.DOCS_SCREENSHOT, fullPage: false });
    expect(foreign).toEqual([]);
    expect(problems.filter((p) => /Content Security Policy|Refused to/i.test(p))).toEqual([]);
    await page.close();
  }, 90_000);
});
