/// <reference lib="dom" />
// Rotate and revoke, each in a modal that first says plainly what will break. Rotate ends on the
// shown-once secret.
import { api } from './api';
import { dialogActions, openModal } from './dialog';
import { announce, h, nextId } from './dom';
import { graceChoices } from './format';
import { busy, showError } from './forms';
import { secretView } from './secret-view';
import type { Controller } from './state';
import type { ApiKey, IssuedKey } from './types';

export function openRotateDialog(ctl: Controller, key: ApiKey, opener: HTMLElement): void {
  let wipe = () => {};
  const fallbackFocus = () =>
    document.querySelector<HTMLElement>(`[data-key-id="${CSS.escape(key.id)}"] .rotate-button`);
  const modal = openModal({ title: `Rotate “${key.name}”?`, opener, fallbackFocus, onClose: () => wipe() });
  const formError = h('div', { class: 'form-error', role: 'alert' });
  const graceId = nextId('grace');
  const grace = h(
    'select',
    { id: graceId, name: 'grace_period' },
    ...graceChoices.map(([v, label]) => h('option', { value: v }, label)),
  );
  const consequence = h('p', { class: 'notice notice-danger', id: `${graceId}-effect` });
  grace.setAttribute('aria-describedby', consequence.id);
  const describe = () => {
    const label = graceChoices.find(([v]) => v === grace.value)?.[1] ?? '';
    consequence.textContent =
      grace.value === '0'
        ? `The current secret of “${key.name}” stops working immediately: every integration using it (a Zap, a script) fails until you paste in the new one.`
        : `The current secret keeps working for ${label}, then stops: update every integration using it before then.`;
  };
  grace.addEventListener('change', describe);
  describe();
  const submit = h('button', { type: 'submit', class: 'button primary' }, 'Rotate key');
  const form = h(
    'form',
    { class: 'stack', novalidate: true },
    h('p', {}, 'Rotating gives this key a new secret. Its name, permission, scope and expiry stay the same.'),
    formError,
    h('div', { class: 'field' }, h('label', { for: graceId }, 'Keep the old secret working for'), grace),
    consequence,
    dialogActions(() => modal, submit),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const issued = await busy(submit, 'Rotating…', () =>
        api<IssuedKey>('POST', `/app/api-keys/${encodeURIComponent(key.id)}/rotate`, {
          grace_period: grace.value,
        }),
      );
      const view = secretView(issued.secret, issued.key.name, () => modal, true);
      wipe = view.wipe;
      modal.show('Your new secret', view.nodes, view.focus);
      announce(`Key “${key.name}” rotated.`);
      // The key exists now: a failed list refresh must not look like a failed create.
      await ctl.reloadKeys().catch(() => undefined);
    } catch (err) {
      showError(err, formError, {});
    }
  });
  modal.show(`Rotate “${key.name}”?`, [form], grace);
}

/** `after` runs once the key is revoked (the workspace view reloads its own list). */
export function openRevokeDialog(
  ctl: Controller,
  key: ApiKey,
  opener: HTMLElement,
  after?: () => Promise<void>,
): void {
  const fallbackFocus = () => document.getElementById('active-keys-title');
  const modal = openModal({ title: `Revoke “${key.name}”?`, opener, fallbackFocus });
  const formError = h('div', { class: 'form-error', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'button danger' }, 'Revoke key');
  const form = h(
    'form',
    { class: 'stack', novalidate: true },
    h(
      'p',
      { class: 'notice notice-danger' },
      h('strong', {}, 'The key stops working immediately. '),
      'Any integration using it (a Zap, a script) starts failing on its next request. If it still needs access, create a replacement and swap it in first. This cannot be undone.',
    ),
    h('p', {}, 'The key moves to the Revoked keys list, where you can archive it.'),
    formError,
    dialogActions(() => modal, submit),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await busy(submit, 'Revoking…', () =>
        api('POST', `/app/api-keys/${encodeURIComponent(key.id)}/revoke`),
      );
      ctl.state.openDetails.add('revoked');
      modal.close();
      announce(`Key “${key.name}” revoked. It is now under Revoked keys.`);
      await ctl.reloadKeys('#active-keys-title');
      await after?.();
    } catch (err) {
      showError(err, formError, {});
    }
  });
  // Cancel first: Enter on a freshly opened destructive dialog must not destroy anything.
  modal.show(`Revoke “${key.name}”?`, [form], form.querySelector<HTMLElement>('.dialog-actions button'));
}
