/// <reference lib="dom" />
// Shared setup of the browser tests: Debian's Chromium driven by playwright-core against the real
// app on a loopback port. Missing pieces fail loudly with the command that fixes them.
import fs from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { missingAssets, webAssetsDir } from '../../server/web/assets';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const artifactsDir = path.resolve(__dirname, '../../test-artifacts');

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM))
    throw new Error(
      `Chromium not found at ${CHROMIUM}: install it with "apt-get install -y chromium" (Debian) to run the browser tests`,
    );
  const missing = missingAssets(webAssetsDir());
  if (missing.length)
    throw new Error(
      `The Settings page bundle is missing (${missing.join(', ')}): run "node scripts/build-web.mjs" (npm run build does)`,
    );
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

export async function newContext(
  browser: Browser,
  baseURL: string,
  viewport = { width: 1280, height: 900 },
): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL, viewport, locale: 'en-US', timezoneId: 'UTC' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
  context.setDefaultTimeout(20_000);
  return context;
}

/** Collects what would otherwise be silent: page script errors and CSP violations fail the test. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy|Refused to/i.test(msg.text()))
      errors.push(msg.text());
  });
  return errors;
}

export async function screenshot(page: Page, name: string, selector?: string): Promise<string> {
  fs.mkdirSync(artifactsDir, { recursive: true });
  const file = path.join(artifactsDir, `${name}.png`);
  if (selector) await page.locator(selector).screenshot({ path: file });
  // A modal's backdrop covers only the viewport: full-page shots are for pages without one.
  else await page.screenshot({ path: file, fullPage: (await page.locator('dialog[open]').count()) === 0 });
  return file;
}

/** axe-core on the current page: the serious and critical violations, one readable line each. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

export const uniqueEmail = (tag: string) => `${tag}-${crypto.randomUUID()}@example.test`;
export const PASSWORD = 'correct horse battery staple';

/** Signs up through the real sign-up page and waits for Settings. */
export async function signUpInBrowser(page: Page, name: string, email: string): Promise<void> {
  await page.goto('/signup');
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL('**/settings');
  await page.getByRole('heading', { name: 'Zapier / API keys' }).waitFor();
}

/** Turns on the API-access switch of the first workspace and waits until the server confirmed it. */
export async function enableApiAccessInBrowser(page: Page): Promise<void> {
  await page
    .getByRole('switch', { name: /API access for/ })
    .first()
    .check();
  await page.locator('input[role="switch"]:checked:not([disabled])').first().waitFor();
}

export async function apiMe(
  baseURL: string,
  secret: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${baseURL}/api/v1/me`, { headers: { Authorization: `Bearer ${secret}` } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Signs in through the real sign-in page and waits for Settings. */
export async function signInInBrowser(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/signin?next=%2Fsettings');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/settings');
  await page.getByRole('heading', { name: 'Zapier / API keys' }).waitFor();
}

export const noHorizontalOverflow = (page: Page) =>
  page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
