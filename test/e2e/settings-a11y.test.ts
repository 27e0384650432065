/// <reference lib="dom" />
// The Settings page beyond the happy path, in Chromium: axe-core on every page and dialog, the
// keyboard, a phone-width screen, errors shown in place without losing input, the expiry banner,
// and the owner/admin view of the keys that reach a workspace.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/app';
import { addMember, createKey, enableApiAccess, signUp } from '../helpers/fixtures';
import {
  apiMe,
  launchBrowser,
  newContext,
  noHorizontalOverflow,
  screenshot,
  seriousViolations,
  signInInBrowser,
  watchErrors,
} from './browser';

// A real browser on a shared CI machine: generous per-test limits (the whole run takes well under a minute).
jest.setTimeout(90_000);

const DAY = 86_400_000;

describe('Settings page: accessibility, keyboard, phone width and errors', () => {
  let t: TestApp;
  let browser: Browser;
  let baseURL: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    baseURL = await t.listen();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  afterEach(async () => {
    t.clock.reset();
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });

  async function openPage(viewport?: {
    width: number;
    height: number;
  }): Promise<{ page: Page; errors: string[] }> {
    const context = await newContext(browser, baseURL, viewport);
    contexts.push(context);
    const page = await context.newPage();
    return { page, errors: watchErrors(page) };
  }

  const dialog = (page: Page) => page.locator('dialog[open]');

  it('when the sign-in and sign-up pages are checked by axe-core, then there is no serious or critical violation', async () => {
    const { page, errors } = await openPage();
    await page.goto('/signin');
    expect(await seriousViolations(page)).toEqual([]);
    await page.goto('/signup');
    expect(await seriousViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('when Settings is checked by axe-core with keys listed, the create dialog open and the secret shown, then there is no serious or critical violation', async () => {
    const user = await signUp(t);
    await enableApiAccess(t, user);
    await createKey(t, user, { name: 'Production', permission: 'write', expires_in: '90d' });
    const { page, errors } = await openPage();
    await signInInBrowser(page, user.email, user.password);
    await page.locator('li.key').first().getByText('Activity').click();
    await page.locator('.events').waitFor();
    await page.locator('details.revoked summary').click();
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Create key' }).click();
    await dialog(page).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await dialog(page).getByLabel('Name').fill('Accessible key');
    await dialog(page).getByRole('button', { name: 'Create key' }).click();
    await dialog(page).locator('code.secret').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('when the create dialog is used with the keyboard, then focus starts in it, Escape closes it and focus returns to Create key', async () => {
    const user = await signUp(t);
    const { page } = await openPage();
    await signInInBrowser(page, user.email, user.password);
    await page.getByRole('button', { name: 'Create key' }).focus();
    await page.keyboard.press('Enter');
    await dialog(page).waitFor();
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).name)).toBe('name');
    await page.keyboard.type('Typed with keys');
    await page.keyboard.press('Escape');
    await dialog(page).waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('create-key-button');
    // Nothing was created.
    await page.getByText('No active keys yet').waitFor();
  });

  it('when creating a key fails, then the error is shown in the dialog in plain words and the form keeps its values', async () => {
    const user = await signUp(t);
    const { page } = await openPage();
    await signInInBrowser(page, user.email, user.password);
    await page.route('**/app/api-keys', (route) =>
      route.request().method() === 'POST'
        ? route.fulfill({
            status: 503,
            contentType: 'application/problem+json',
            body: JSON.stringify({
              title: 'Service unavailable',
              status: 503,
              code: 'service_unavailable',
              detail: 'db down',
            }),
          })
        : route.continue(),
    );
    await page.getByRole('button', { name: 'Create key' }).click();
    await dialog(page).getByLabel('Name').fill('Kept name');
    await dialog(page).getByRole('radio', { name: 'Admin' }).check();
    await dialog(page).getByLabel('Expires in').selectOption('1y');
    await dialog(page).getByRole('button', { name: 'Create key' }).click();
    await dialog(page)
      .getByRole('alert')
      .filter({ hasText: 'Switchboard is having trouble right now' })
      .waitFor();
    expect(await dialog(page).getByLabel('Name').inputValue()).toBe('Kept name');
    expect(await dialog(page).getByRole('radio', { name: 'Admin' }).isChecked()).toBe(true);
    expect(await dialog(page).getByLabel('Expires in').inputValue()).toBe('1y');

    // A field the server rejects is marked on the field itself.
    await page.unroute('**/app/api-keys');
    await dialog(page).getByLabel('Name').fill('   ');
    await dialog(page).getByRole('button', { name: 'Create key' }).click();
    expect(await dialog(page).getByLabel('Name').getAttribute('aria-invalid')).toBe('true');
    await dialog(page).getByText('Give the key a name.').waitFor();
  });

  it('when sign-in fails, then the reason is shown in place and the email is kept; the right password then signs in', async () => {
    const user = await signUp(t);
    const { page, errors } = await openPage();
    await page.goto('/settings');
    expect(new URL(page.url()).pathname).toBe('/signin');
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: "don't match an account" }).waitFor();
    expect(await page.getByLabel('Email').inputValue()).toBe(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/settings');
    expect(errors).toEqual([]);
  });

  it('when turning API access on fails, then the switch goes back and says why', async () => {
    const user = await signUp(t);
    const { page } = await openPage();
    await signInInBrowser(page, user.email, user.password);
    await page.route('**/app/workspaces/*', (route) =>
      route.fulfill({
        status: 403,
        contentType: 'application/problem+json',
        body: JSON.stringify({
          status: 403,
          code: 'forbidden',
          detail: 'Only an owner or admin can change API access',
        }),
      }),
    );
    const toggle = page.getByRole('switch', { name: /API access for/ });
    await toggle.click();
    await page
      .getByRole('alert')
      .filter({ hasText: 'Could not turn API access on: Only an owner or admin' })
      .waitFor();
    expect(await toggle.isChecked()).toBe(false);
  });

  it('when a key expires within 7 days, then Settings shows a banner for it', async () => {
    const user = await signUp(t);
    await enableApiAccess(t, user);
    await createKey(t, user, { name: 'Nearly done', expires_in: '30d' });
    t.clock.advance(25 * DAY);
    const { page } = await openPage();
    await signInInBrowser(page, user.email, user.password);
    await page
      .locator('.expiry-banner', { hasText: 'Key “Nearly done”' })
      .filter({ hasText: 'expires in 5 days' })
      .waitFor();
  });

  it('when a workspace owner opens the keys that reach the workspace, then a member’s key is listed and can be revoked', async () => {
    const owner = await signUp(t);
    const member = await signUp(t, { name: 'Grace Hopper' });
    await enableApiAccess(t, owner);
    await addMember(t, owner, owner.workspaceId, member, 'member');
    const memberKey = await createKey(t, member, {
      name: 'Grace script',
      scope: { workspace_id: owner.workspaceId },
    });
    expect((await apiMe(baseURL, memberKey.secret)).status).toBe(200);

    const { page } = await openPage();
    await signInInBrowser(page, owner.email, owner.password);
    const ws = page.locator(`li.ws[data-workspace-id="${owner.workspaceId}"]`);
    await ws.locator('summary', { hasText: 'Keys that reach this workspace' }).click();
    const item = ws.locator('li.ws-key', { hasText: 'Grace script' });
    await item.getByText('created by Grace Hopper').waitFor();
    await item.getByRole('button', { name: /Revoke/ }).click();
    await dialog(page).getByText('The key stops working immediately.').waitFor();
    await dialog(page).getByRole('button', { name: 'Revoke key' }).click();
    await ws
      .locator('li.ws-key', { hasText: 'Grace script' })
      .locator('.badge', { hasText: 'Revoked' })
      .waitFor();
    expect((await apiMe(baseURL, memberKey.secret)).status).toBe(401);

    // The member's own view of the owner's workspace has no switch.
    const { page: memberPage } = await openPage();
    await signInInBrowser(memberPage, member.email, member.password);
    const theirs = memberPage.locator(`li.ws[data-workspace-id="${owner.workspaceId}"]`);
    await theirs.getByText('Ask an owner or admin of this workspace').waitFor();
    expect(await theirs.getByRole('switch').count()).toBe(0);
  });

  it('when the pages are shown at phone width (375 px), then nothing overflows horizontally', async () => {
    const user = await signUp(t);
    await enableApiAccess(t, user);
    await createKey(t, user, {
      name: 'A rather long key name for the nightly export to the warehouse',
      expires_in: '6m',
    });
    const { page } = await openPage({ width: 375, height: 800 });
    await page.goto('/signin');
    expect(await noHorizontalOverflow(page)).toEqual({ scrollWidth: 375, innerWidth: 375 });
    await signInInBrowser(page, user.email, user.password);
    await page.locator('li.key').first().waitFor();
    expect(await noHorizontalOverflow(page)).toEqual({ scrollWidth: 375, innerWidth: 375 });
    await screenshot(page, 'settings-phone');
    await page.getByRole('button', { name: 'Create key' }).click();
    await dialog(page).getByLabel('Name').fill('Phone key');
    await dialog(page).getByRole('button', { name: 'Create key' }).click();
    await dialog(page).locator('code.secret').waitFor();
    expect(await noHorizontalOverflow(page)).toEqual({ scrollWidth: 375, innerWidth: 375 });
    const box = await dialog(page).boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(375);
  });
});
