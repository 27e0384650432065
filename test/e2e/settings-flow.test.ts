/// <reference lib="dom" />
// The whole life of a key through the real Settings page in Chromium: sign up, turn on API
// access, create a Read only key expiring in 30 days, copy it, use it, see "last used", rotate,
// revoke, find it under Revoked keys, archive it.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/app';
import {
  apiMe,
  enableApiAccessInBrowser,
  launchBrowser,
  newContext,
  screenshot,
  signUpInBrowser,
  uniqueEmail,
  watchErrors,
} from './browser';

// A real browser on a shared CI machine: generous per-test limits (the whole run takes well under a minute).
jest.setTimeout(90_000);

const SECRET = /^sbk_[0-9A-Za-z]{36}$/;

describe('Settings page: the life of an API key in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let baseURL: string;
  let errors: string[];

  beforeAll(async () => {
    t = await startTestApp();
    baseURL = await t.listen();
    browser = await launchBrowser();
    context = await newContext(browser, baseURL);
    page = await context.newPage();
    errors = watchErrors(page);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  const dialog = () => page.locator('dialog[open]');
  const keyRow = (name: string) =>
    page.locator('#api-keys li.key', { has: page.getByRole('heading', { name }) });
  const metaValue = (row: ReturnType<typeof keyRow>, label: string) =>
    row.locator('.key-meta > div', { has: page.locator('dt', { hasText: label }) }).locator('dd');

  async function pageHoldsNoSecret(secret: string): Promise<void> {
    const found = await page.evaluate((s) => {
      const storage = [localStorage, sessionStorage].flatMap((st) =>
        Array.from({ length: st.length }, (_, i) => `${st.key(i)}=${st.getItem(st.key(i)!)}`),
      );
      return {
        dom: document.documentElement.outerHTML.includes(s),
        text: document.body.innerText.includes(s),
        storage: storage.some((v) => v.includes(s)),
        dialogs: document.querySelectorAll('dialog').length,
      };
    }, secret);
    expect(found).toEqual({ dom: false, text: false, storage: false, dialogs: 0 });
  }

  it('when a user goes through the whole flow, then every step works and the secret never outlives its dialog', async () => {
    // Sign up (the root sends a stranger to sign in, which links to sign-up).
    await page.goto('/');
    expect(new URL(page.url()).pathname).toBe('/signin');
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.waitForURL('**/signup');
    await signUpInBrowser(page, 'Ada Lovelace', uniqueEmail('e2e-flow'));
    await page.getByText('No active keys yet').waitFor();
    expect(await page.getByRole('link', { name: 'API docs' }).getAttribute('href')).toBe('/docs');
    await page.getByText('API access is off in all your workspaces').waitFor();

    // Turn on API access for the workspace.
    await enableApiAccessInBrowser(page);
    await page.getByText('API access is off in all your workspaces').waitFor({ state: 'detached' });

    // Create a Read only key that expires in 30 days.
    await page.getByRole('button', { name: 'Create key' }).click();
    await dialog().waitFor();
    expect(await dialog().getByRole('radio', { name: 'Read only' }).isChecked()).toBe(true);
    expect(await dialog().getByText('All records your account can access, deletes included.').count()).toBe(
      1,
    );
    await dialog().getByLabel('Name').fill('Zapier Integration');
    await dialog().getByLabel('Expires in').selectOption({ label: '30 days' });
    expect(await dialog().getByLabel('Scope').inputValue()).toBe('all');
    await screenshot(page, 'settings-create-dialog');
    await dialog().getByRole('button', { name: 'Create key' }).click();

    // The key is shown once, with a copy button that confirms the copy.
    const secret = (await dialog().locator('code.secret').textContent()) ?? '';
    expect(secret).toMatch(SECRET);
    await dialog().getByText('It will not be shown again').waitFor();
    await dialog().getByRole('button', { name: 'Copy key' }).click();
    await dialog().getByRole('status').filter({ hasText: 'Copied to clipboard' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    await screenshot(page, 'settings-new-key-shown-once');
    await dialog().getByRole('button', { name: 'Done' }).click();
    await pageHoldsNoSecret(secret);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('create-key-button');

    // The list shows it as the SAMI OS guide says.
    const row = keyRow('Zapier Integration');
    await row.waitFor();
    const prefix = (await row.locator('code.prefix').textContent()) ?? '';
    expect(prefix.endsWith('…')).toBe(true);
    expect(secret.startsWith(prefix.slice(0, -1))).toBe(true);
    expect(await row.locator('.badge').first().textContent()).toBe('Read only');
    expect(await metaValue(row, 'Scope').textContent()).toBe('All workspaces');
    expect(await metaValue(row, 'Last used').textContent()).toBe('Never');
    expect(await metaValue(row, 'Expires').textContent()).toMatch(/expires in 30 days/);

    // The copied key works against the public API, and "last used" changes after a reload.
    const me = await apiMe(baseURL, secret);
    expect(me.status).toBe(200);
    expect((me.body.key as { name: string }).name).toBe('Zapier Integration');
    await page.reload();
    const lastUsed = metaValue(keyRow('Zapier Integration'), 'Last used');
    await lastUsed.locator('time').waitFor();
    expect(await lastUsed.textContent()).not.toBe('Never');
    expect(await lastUsed.locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(await lastUsed.locator('time').getAttribute('title')).toBeTruthy();
    await screenshot(page, 'settings-panel');

    // Per-key activity: the audit events.
    await keyRow('Zapier Integration').getByText('Activity').click();
    await keyRow('Zapier Integration').locator('.events').getByText('Created').waitFor();
    await keyRow('Zapier Integration')
      .locator('.events')
      .getByText('First use from a new IP address')
      .waitFor();

    // Rotate: the confirmation says what breaks; the new secret works and the old one does not.
    await keyRow('Zapier Integration')
      .getByRole('button', { name: /Rotate/ })
      .click();
    await dialog().locator('.notice-danger', { hasText: 'stops working immediately' }).waitFor();
    await dialog().getByLabel('Keep the old secret working for').selectOption('1h');
    await dialog().getByText('keeps working for 1 hour').waitFor();
    await dialog().getByLabel('Keep the old secret working for').selectOption('0');
    await dialog().getByRole('button', { name: 'Rotate key' }).click();
    const rotated = (await dialog().locator('code.secret').textContent()) ?? '';
    expect(rotated).toMatch(SECRET);
    expect(rotated).not.toBe(secret);
    await page.keyboard.press('Escape');
    await dialog().waitFor({ state: 'detached' });
    await pageHoldsNoSecret(rotated);
    expect((await apiMe(baseURL, rotated)).status).toBe(200);
    expect((await apiMe(baseURL, secret)).status).toBe(401);

    // Revoke behind a confirmation; the key moves to the Revoked keys list.
    await keyRow('Zapier Integration')
      .getByRole('button', { name: /Revoke/ })
      .click();
    await dialog().getByText('The key stops working immediately.').waitFor();
    await dialog().getByRole('button', { name: 'Revoke key' }).click();
    await dialog().waitFor({ state: 'detached' });
    await page.getByText('No active keys yet').waitFor();
    const revoked = page.locator('details.revoked');
    expect(await revoked.getAttribute('open')).not.toBeNull();
    expect(await page.locator('#revoked-summary').textContent()).toBe('Revoked keys (1)');
    await revoked.getByRole('heading', { name: 'Zapier Integration' }).waitFor();
    const afterRevoke = await apiMe(baseURL, rotated);
    expect([afterRevoke.status, afterRevoke.body.code]).toEqual([401, 'revoked_api_key']);
    await screenshot(page, 'settings-revoked-list', 'details.revoked');

    // Archive: it leaves the list.
    await revoked.getByRole('button', { name: /Archive/ }).click();
    await page.locator('#revoked-summary', { hasText: 'Revoked keys (0)' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Zapier Integration' }).count()).toBe(0);

    // Sign out ends the session: Settings now sends the browser to sign in.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/signin');
    await page.goto('/settings');
    expect(new URL(page.url()).pathname).toBe('/signin');
    expect(errors).toEqual([]);
  });
});
