/// <reference lib="dom" />
// /docs in Chromium under the app's real CSP: the intro renders, Swagger UI (served from
// node_modules, no network) lists every operation, and nothing is blocked or thrown.
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../../helpers/app';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let t: TestApp;
let base: string;
let browser: Browser;
beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM))
    throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium`);
  t = await startTestApp();
  base = await t.listen();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
});
afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

describe('GET /docs in a browser', () => {
  test('when the page loads, then Swagger UI lists the operations with no CSP violation, error or outside request', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    const outside: string[] = [];
    page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
    page.on('console', (msg) => {
      // Failed loads are reported with their URL by the response listener below.
      if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource'))
        problems.push(msg.text());
    });
    page.on('response', (res) => {
      if (res.status() >= 400) problems.push(`${res.status()} ${res.url()}`);
    });
    page.on('request', (req) => {
      if (!req.url().startsWith(base) && !req.url().startsWith('data:')) outside.push(req.url());
    });
    await page.goto(`${base}/docs#error-rate_limited`);
    await page.waitForSelector('.opblock', { timeout: 15_000 });
    const operations = await page.$$eval('.opblock-summary-path', (els) =>
      els.map((e) => e.textContent?.trim()),
    );
    expect(operations).toEqual(
      expect.arrayContaining(['/contacts', '/contacts/{id}', '/deals/{id}', '/messages', '/pipelines']),
    );
    expect(await page.textContent('#getting-started')).toBe('Getting started');
    expect(await page.$('#error-rate_limited')).not.toBeNull();
    expect(problems).toEqual([]);
    expect(outside).toEqual([]);
    await page.close();
  });
});
