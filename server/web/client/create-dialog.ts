/// <reference lib="dom" />
// The Create key dialog: name, permissions (least access pre-selected, each explained), expires
// in, scope; on success it turns into the shown-once secret.
import { api } from './api';
import { dialogActions, openModal } from './dialog';
import { announce, h, nextId } from './dom';
import { expiryChoices, permissionLabels } from './format';
import { busy, errorSlot, setFieldError, showError, type FieldSlot } from './forms';
import { secretView } from './secret-view';
import type { Controller } from './state';
import type { IssuedKey, Permission } from './types';

const DEFAULT_EXPIRY = '90d';

export function openCreateDialog(ctl: Controller, opener: HTMLElement): void {
  let wipe = () => {};
  const fallbackFocus = () => document.getElementById('create-key-button');
  const modal = openModal({ title: 'Create API key', opener, fallbackFocus, onClose: () => wipe() });
  const formError = h('div', { class: 'form-error', role: 'alert' });
  const nameId = nextId('key-name');
  const name = h('input', {
    id: nameId,
    name: 'name',
    type: 'text',
    required: true,
    maxlength: 100,
    autocomplete: 'off',
  });
  const nameHint = h(
    'p',
    { class: 'hint', id: `${nameId}-hint` },
    'Something you’ll recognise later, like “Zapier Integration” or “Production”.',
  );
  name.setAttribute('aria-describedby', nameHint.id);
  const permissions = h(
    'fieldset',
    { class: 'choices' },
    h('legend', {}, 'Permissions'),
    ...(Object.keys(permissionLabels) as Permission[]).map((p) => {
      const id = nextId(`perm-${p}`);
      return h(
        'div',
        { class: 'choice' },
        h('input', {
          type: 'radio',
          name: 'permission',
          value: p,
          id,
          checked: p === 'read',
          'aria-describedby': `${id}-explain`,
        }),
        h('label', { for: id }, permissionLabels[p].label),
        h('p', { class: 'hint', id: `${id}-explain` }, permissionLabels[p].explain),
      );
    }),
    h('p', { class: 'hint' }, 'Start with the least access the integration actually needs.'),
  );
  const expiryId = nextId('key-expiry');
  const expiry = h(
    'select',
    { id: expiryId, name: 'expires_in' },
    ...expiryChoices.map(([v, label]) => h('option', { value: v, selected: v === DEFAULT_EXPIRY }, label)),
  );
  const scopeId = nextId('key-scope');
  const scope = h(
    'select',
    { id: scopeId, name: 'scope' },
    h('option', { value: 'all' }, 'All workspaces'),
    ...ctl.state.workspaces.map((w) =>
      h('option', { value: w.id }, w.api_access_enabled ? w.name : `${w.name} (API access off)`),
    ),
  );
  const scopeHint = h(
    'p',
    { class: 'hint', id: `${scopeId}-hint` },
    'All workspaces: every workspace of yours whose API access is on. One workspace: only that one.',
  );
  scope.setAttribute('aria-describedby', scopeHint.id);
  const fields: Record<string, FieldSlot> = {
    name: { control: name, error: errorSlot(name) },
    permission: { control: permissions, error: errorSlot(permissions) },
    expires_in: { control: expiry, error: errorSlot(expiry) },
    scope: { control: scope, error: errorSlot(scope) },
  };
  const submit = h('button', { type: 'submit', class: 'button primary' }, 'Create key');
  const form = h(
    'form',
    { class: 'stack', novalidate: true },
    formError,
    h('div', { class: 'field' }, h('label', { for: nameId }, 'Name'), nameHint, name, fields.name!.error),
    permissions,
    fields.permission!.error,
    h(
      'div',
      { class: 'field' },
      h('label', { for: expiryId }, 'Expires in'),
      h('p', { class: 'hint' }, 'A dated expiry limits the damage if a key ever leaks.'),
      expiry,
      fields.expires_in!.error,
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: scopeId }, 'Scope'),
      scopeHint,
      scope,
      fields.scope!.error,
    ),
    dialogActions(() => modal, submit),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const keyName = name.value.trim();
    if (!keyName) return setFieldError(fields.name!, 'Give the key a name.');
    const permission = (form.querySelector<HTMLInputElement>('input[name="permission"]:checked')?.value ??
      'read') as Permission;
    const body = {
      name: keyName,
      permission,
      expires_in: expiry.value,
      scope: scope.value === 'all' ? 'all' : { workspace_id: scope.value },
    };
    try {
      const issued = await busy(submit, 'Creating…', () => api<IssuedKey>('POST', '/app/api-keys', body));
      const view = secretView(issued.secret, issued.key.name, () => modal, false);
      wipe = view.wipe;
      modal.show('Your new API key', view.nodes, view.focus);
      announce(`Key “${issued.key.name}” created.`);
      // The key exists now: a failed list refresh must not look like a failed create.
      await ctl.reloadKeys().catch(() => undefined);
    } catch (err) {
      showError(err, formError, fields);
    }
  });
  modal.show('Create API key', [form], name);
}
