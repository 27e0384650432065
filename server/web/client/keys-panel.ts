/// <reference lib="dom" />
// The Zapier / API keys panel, as the SAMI OS guide describes it: the API docs link at the top,
// active keys with name, prefix…, permission badge, scope, created, last used and expiry, a
// Create key button, and the collapsible Revoked keys list (with Archive, from OutboundSync).
import { api } from './api';
import { announce, h } from './dom';
import { activityDetails } from './activity';
import {
  createdEl,
  dateTimeEl,
  expiryEl,
  isExpired,
  lastUsedEl,
  permissionBadge,
  scopeLabel,
} from './format';
import { openCreateDialog } from './create-dialog';
import { openRevokeDialog, openRotateDialog } from './key-dialogs';
import { notices } from './notices';
import type { Controller } from './state';
import type { ApiKey } from './types';

const withEllipsis = (prefix: string) => (prefix.endsWith('…') ? prefix : `${prefix}…`);
const hidden = (text: string) => h('span', { class: 'visually-hidden' }, text);

function meta(label: string, value: Node | string): HTMLDivElement {
  return h('div', {}, h('dt', {}, label), h('dd', {}, value));
}

function keyHead(key: ApiKey, expired: boolean): HTMLDivElement {
  return h(
    'div',
    { class: 'key-head' },
    h('h4', { class: 'key-name' }, key.name),
    permissionBadge(key.permission),
    expired ? h('span', { class: 'badge badge-expired' }, 'Expired') : null,
  );
}

function activeRow(ctl: Controller, key: ApiKey): HTMLLIElement {
  const expired = isExpired(key);
  const actions = h('div', { class: 'key-actions' });
  if (!expired) {
    const rotate = h(
      'button',
      { type: 'button', class: 'button rotate-button' },
      'Rotate',
      hidden(` ${key.name}`),
    );
    rotate.addEventListener('click', () => openRotateDialog(ctl, key, rotate));
    actions.append(rotate);
  }
  const revoke = h(
    'button',
    { type: 'button', class: 'button danger-outline revoke-button' },
    'Revoke',
    hidden(` ${key.name}`),
  );
  revoke.addEventListener('click', () => openRevokeDialog(ctl, key, revoke));
  actions.append(revoke);
  if (expired) actions.append(archiveButton(ctl, key));
  return h(
    'li',
    { class: `key${expired ? ' key-expired' : ''}`, 'data-key-id': key.id },
    keyHead(key, expired),
    h(
      'code',
      { class: 'prefix', title: 'Key prefix: the first characters of the key' },
      withEllipsis(key.prefix),
    ),
    h(
      'dl',
      { class: 'key-meta' },
      meta('Scope', scopeLabel(key.scope, ctl.state.workspaces)),
      meta('Created', createdEl(key.created_at)),
      meta('Last used', lastUsedEl(key.last_used_at)),
      meta('Expires', expiryEl(key)),
    ),
    actions,
    activityDetails(key.id, key.name, ctl.state.openDetails),
  );
}

function archiveButton(ctl: Controller, key: ApiKey): HTMLButtonElement {
  const button = h(
    'button',
    { type: 'button', class: 'button archive-button' },
    'Archive',
    hidden(` ${key.name}`),
  );
  const error = h('p', { class: 'field-error', role: 'alert' });
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      await api('POST', `/app/api-keys/${encodeURIComponent(key.id)}/archive`);
      announce(`Key “${key.name}” archived.`);
      await ctl.reloadKeys('#revoked-summary');
    } catch (err) {
      button.disabled = false;
      error.textContent = (err as Error).message;
      button.after(error);
    }
  });
  return button;
}

function revokedRow(ctl: Controller, key: ApiKey): HTMLLIElement {
  // The server lists expired keys here too: they are as dead as revoked ones, and archivable.
  const expired = !key.revoked_at && isExpired(key);
  return h(
    'li',
    { class: 'key key-revoked', 'data-key-id': key.id },
    keyHead(key, expired),
    h('code', { class: 'prefix' }, withEllipsis(key.prefix)),
    h(
      'dl',
      { class: 'key-meta' },
      meta('Scope', scopeLabel(key.scope, ctl.state.workspaces)),
      meta('Created', createdEl(key.created_at)),
      meta('Last used', lastUsedEl(key.last_used_at)),
      key.revoked_at ? meta('Revoked', dateTimeEl(key.revoked_at)) : meta('Expires', expiryEl(key)),
    ),
    h('div', { class: 'key-actions' }, archiveButton(ctl, key)),
    activityDetails(key.id, key.name, ctl.state.openDetails),
  );
}

export function keysPanel(ctl: Controller): HTMLElement {
  const { active, revoked } = ctl.state;
  const create = h(
    'button',
    { type: 'button', class: 'button primary', id: 'create-key-button' },
    'Create key',
  );
  create.addEventListener('click', () => openCreateDialog(ctl, create));
  const revokedDetails = h(
    'details',
    { class: 'revoked', 'data-details': 'revoked', open: ctl.state.openDetails.has('revoked') },
    h('summary', { id: 'revoked-summary' }, `Revoked keys (${revoked.length})`),
    revoked.length
      ? h(
          'ul',
          { class: 'key-list', 'aria-label': 'Revoked keys' },
          ...revoked.map((k) => revokedRow(ctl, k)),
        )
      : h('p', { class: 'muted' }, 'No revoked keys.'),
  );
  revokedDetails.addEventListener('toggle', () =>
    revokedDetails.open ? ctl.state.openDetails.add('revoked') : ctl.state.openDetails.delete('revoked'),
  );
  return h(
    'section',
    { class: 'panel', id: 'api-keys', 'aria-labelledby': 'api-keys-title' },
    h(
      'div',
      { class: 'panel-head' },
      h('h2', { id: 'api-keys-title' }, 'Zapier / API keys'),
      h('a', { href: '/docs', class: 'docs-link' }, 'API docs'),
    ),
    h(
      'p',
      { class: 'intro' },
      'API keys let Zapier or your own scripts reach Switchboard on your behalf. A key acts as you: it reaches only the records you can see, narrowed by its permission and scope. Treat it like a password.',
    ),
    ...notices(ctl),
    h(
      'div',
      { class: 'list-head' },
      h('h3', { id: 'active-keys-title', tabindex: -1 }, `Active keys (${active.length})`),
      create,
    ),
    active.length
      ? h(
          'ul',
          { class: 'key-list', 'aria-labelledby': 'active-keys-title' },
          ...active.map((k) => activeRow(ctl, k)),
        )
      : h('p', { class: 'muted empty' }, 'No active keys yet. Create one to connect Zapier or a script.'),
    revokedDetails,
  );
}
