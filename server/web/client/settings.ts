/// <reference lib="dom" />
// Settings: loads the session and the keys from the session API, draws the panels, and redraws
// after every change. Nothing is cached in storage; a reload asks the server again.
import { api, ApiError, redirectToSignIn } from './api';
import { byId, h } from './dom';
import { keysPanel } from './keys-panel';
import type { Controller, State } from './state';
import type { KeyLists, SessionInfo } from './types';
import { workspacesPanel } from './workspaces-panel';

async function fetchKeys(): Promise<KeyLists> {
  const lists = await api<KeyLists>('GET', '/app/api-keys');
  return { active: lists.active ?? [], revoked: lists.revoked ?? [], reminders: lists.reminders ?? [] };
}

function accountBar(state: State): HTMLElement {
  const error = h('span', { class: 'field-error', role: 'alert' });
  const signOut = h('button', { type: 'button', class: 'button small' }, 'Sign out');
  signOut.addEventListener('click', async () => {
    try {
      await api('POST', '/auth/logout');
      window.location.assign('/signin');
    } catch (err) {
      error.textContent = (err as Error).message;
    }
  });
  return h(
    'div',
    { class: 'account' },
    h('span', { class: 'who', title: state.user.email }, state.user.name || state.user.email),
    signOut,
    error,
  );
}

/** Where focus is inside the panels, as a selector that finds the same control after a redraw. */
function focusedSelector(root: HTMLElement): string | null {
  const el = document.activeElement;
  if (!(el instanceof HTMLElement) || !root.contains(el)) return null;
  if (el.id) return `#${CSS.escape(el.id)}`;
  const row = el.closest<HTMLElement>('[data-key-id]');
  const cls = el.classList[el.classList.length - 1];
  return row && cls ? `[data-key-id="${CSS.escape(row.dataset.keyId ?? '')}"] .${CSS.escape(cls)}` : null;
}

function fail(err: unknown): void {
  if (err instanceof ApiError && err.code === 'not_signed_in') return redirectToSignIn();
  const root = byId('settings-root');
  root?.replaceChildren(
    h(
      'div',
      { class: 'notice notice-danger', role: 'alert' },
      h('strong', {}, 'Settings could not be loaded. '),
      (err as Error).message,
    ),
    h('p', {}, h('a', { href: '/settings' }, 'Try again')),
  );
}

async function start(): Promise<void> {
  const root = byId('settings-root');
  if (!root) return;
  const [session, lists] = await Promise.all([api<SessionInfo>('GET', '/auth/session'), fetchKeys()]);
  const state: State = {
    user: session.user,
    workspaces: session.workspaces,
    ...lists,
    openDetails: new Set(),
  };
  const ctl: Controller = {
    state,
    render(focusSelector) {
      const keep = focusSelector ?? focusedSelector(root);
      root.replaceChildren(keysPanel(ctl), workspacesPanel(ctl));
      if (keep) document.querySelector<HTMLElement>(keep)?.focus();
    },
    async reloadKeys(focusSelector) {
      try {
        Object.assign(state, await fetchKeys());
      } catch (err) {
        if (err instanceof ApiError && err.code === 'not_signed_in') return redirectToSignIn();
        throw err;
      }
      ctl.render(focusSelector);
    },
  };
  byId('account')?.replaceChildren(accountBar(state));
  ctl.render();
  // Coming back to the tab (e.g. after pasting the key into Zapier) shows fresh "last used" times.
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && !document.querySelector('dialog[open]'))
      void ctl.reloadKeys().catch(() => {});
  });
}

start().catch(fail);
