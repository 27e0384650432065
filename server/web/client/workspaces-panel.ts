/// <reference lib="dom" />
// API access per workspace (the OutboundSync prerequisite): owners and admins get a real switch
// and the list of every key that reaches the workspace, with Revoke; members see the state.
import { api } from './api';
import { announce, h } from './dom';
import { expiryEl, lastUsedEl, permissionBadge } from './format';
import { openRevokeDialog } from './key-dialogs';
import type { Controller } from './state';
import type { ApiKey, Workspace } from './types';

const roleLabel = { owner: 'Owner', admin: 'Admin', member: 'Member' } as const;
const stateText = (on: boolean) =>
  on
    ? 'On: keys that reach this workspace can read and change its records, within their permission.'
    : 'Off: API requests that would touch this workspace are refused.';

function accessSwitch(ctl: Controller, ws: Workspace): HTMLElement {
  const id = `api-access-${ws.id}`;
  const input = h('input', {
    type: 'checkbox',
    role: 'switch',
    id,
    class: 'switch',
    checked: ws.api_access_enabled,
    'aria-describedby': `${id}-state ${id}-error`,
  });
  const state = h('p', { class: 'hint', id: `${id}-state` }, stateText(ws.api_access_enabled));
  const error = h('p', { class: 'field-error', id: `${id}-error`, role: 'alert' });
  input.addEventListener('change', async () => {
    const wanted = input.checked;
    error.textContent = '';
    input.disabled = true;
    try {
      await api('PATCH', `/app/workspaces/${encodeURIComponent(ws.id)}`, { api_access_enabled: wanted });
      ws.api_access_enabled = wanted;
      announce(`API access turned ${wanted ? 'on' : 'off'} for ${ws.name}.`);
      ctl.render(`#${CSS.escape(id)}`);
    } catch (err) {
      input.checked = !wanted;
      error.textContent = `Could not turn API access ${wanted ? 'on' : 'off'}: ${(err as Error).message}`;
      input.disabled = false;
      input.focus();
    }
  });
  return h(
    'div',
    { class: 'switch-field' },
    h(
      'div',
      { class: 'switch-row' },
      input,
      h('label', { for: id }, 'API access', h('span', { class: 'visually-hidden' }, ` for ${ws.name}`)),
    ),
    state,
    error,
  );
}

function reachingKeys(ctl: Controller, ws: Workspace): HTMLDetailsElement {
  const name = `ws-keys-${ws.id}`;
  const body = h('div', { 'aria-live': 'polite' });
  const details = h(
    'details',
    { class: 'ws-keys', 'data-details': name, open: ctl.state.openDetails.has(name) },
    h('summary', {}, 'Keys that reach this workspace'),
    body,
  );
  const load = async () => {
    body.replaceChildren(h('p', { class: 'muted' }, 'Loading keys…'));
    try {
      const res = await api<{ data: ApiKey[] }>(
        'GET',
        `/app/workspaces/${encodeURIComponent(ws.id)}/api-keys`,
      );
      const keys = res.data ?? [];
      body.replaceChildren(
        keys.length
          ? h('ul', { class: 'ws-key-list' }, ...keys.map((k) => reachingKey(ctl, k, load)))
          : h('p', { class: 'muted' }, 'No active key reaches this workspace.'),
      );
    } catch (err) {
      body.replaceChildren(h('p', { class: 'form-error' }, (err as Error).message));
    }
  };
  details.addEventListener('toggle', () => {
    if (details.open) {
      ctl.state.openDetails.add(name);
      void load();
    } else ctl.state.openDetails.delete(name);
  });
  return details;
}

function reachingKey(ctl: Controller, key: ApiKey, reload: () => Promise<void>): HTMLLIElement {
  const owner = key.creator ? (key.creator.name ?? key.creator.email ?? '') : '';
  const revoke = h(
    'button',
    { type: 'button', class: 'button danger-outline' },
    'Revoke',
    h('span', { class: 'visually-hidden' }, ` ${key.name}`),
  );
  revoke.addEventListener('click', () => openRevokeDialog(ctl, key, revoke, reload));
  return h(
    'li',
    { class: 'ws-key', 'data-key-id': key.id },
    h(
      'div',
      { class: 'key-head' },
      h('span', { class: 'key-name' }, key.name),
      permissionBadge(key.permission),
      key.status === 'active'
        ? null
        : h('span', { class: 'badge badge-expired' }, key.status === 'expired' ? 'Expired' : 'Revoked'),
    ),
    h(
      'p',
      { class: 'muted small' },
      h('code', {}, key.prefix.endsWith('…') ? key.prefix : `${key.prefix}…`),
      owner ? ` · created by ${owner}` : '',
      ' · last used ',
      lastUsedEl(key.last_used_at),
      ' · expires ',
      expiryEl(key),
    ),
    key.status === 'active' ? revoke : null,
  );
}

export function workspacesPanel(ctl: Controller): HTMLElement {
  return h(
    'section',
    { class: 'panel', id: 'workspaces', 'aria-labelledby': 'workspaces-title' },
    h('h2', { id: 'workspaces-title', tabindex: -1 }, 'API access'),
    h(
      'p',
      { class: 'intro' },
      'API requests reach a workspace only while its API access is on. Only its owners and admins can change this.',
    ),
    h(
      'ul',
      { class: 'ws-list' },
      ...ctl.state.workspaces.map((ws) => {
        const manages = ws.role === 'owner' || ws.role === 'admin';
        return h(
          'li',
          { class: 'ws', 'data-workspace-id': ws.id },
          h(
            'div',
            { class: 'ws-head' },
            h('h3', {}, ws.name),
            h('span', { class: 'role' }, roleLabel[ws.role]),
          ),
          manages
            ? [accessSwitch(ctl, ws), reachingKeys(ctl, ws)]
            : h(
                'p',
                { class: 'hint' },
                `API access is ${ws.api_access_enabled ? 'on' : 'off'}. Ask an owner or admin of this workspace to change it.`,
              ),
        );
      }),
    ),
  );
}
