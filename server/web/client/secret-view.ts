/// <reference lib="dom" />
// The new key, shown once (create and rotate). The secret lives only in this closure and in
// the dialog's DOM; `wipe` (called when the dialog closes, however it closes) drops both, and
// nothing ever writes it to storage.
import { h, nextId } from './dom';
import type { Modal } from './dialog';

export interface SecretView {
  nodes: Node[];
  focus: HTMLElement;
  wipe(): void;
}

export function secretView(
  secretValue: string,
  keyName: string,
  modal: () => Modal,
  rotated: boolean,
): SecretView {
  let secret: string | null = secretValue;
  const warningId = nextId('secret-warning');
  const statusId = nextId('copy-status');
  const code = h(
    'code',
    { class: 'secret', tabindex: 0, 'aria-label': `API key for ${keyName}`, 'data-secret': '' },
    secret,
  );
  const status = h('p', { id: statusId, class: 'copy-status', role: 'status', 'aria-live': 'polite' });
  const copy = h(
    'button',
    { type: 'button', class: 'button primary', 'aria-describedby': statusId },
    'Copy key',
  );
  copy.addEventListener('click', async () => {
    if (!secret) return;
    const ok = await copyText(secret, code);
    status.textContent = ok
      ? 'Copied to clipboard. Paste it into your integration now.'
      : 'Could not copy automatically: select the key above and copy it with Ctrl+C (⌘C on a Mac).';
    status.classList.toggle('copy-failed', !ok);
  });
  const done = h('button', { type: 'button', class: 'button', onclick: () => modal().close() }, 'Done');
  const origin = window.location.origin;
  const nodes = [
    h(
      'div',
      { class: 'notice notice-warning', id: warningId },
      h('strong', {}, 'Copy this key now. It will not be shown again.'),
      ' Store it in your integration’s secret store. If you lose it, you can’t recover it: ',
      rotated ? 'rotate the key again.' : 'revoke the key and create a new one.',
    ),
    h('p', { class: 'secret-label' }, `Your ${rotated ? 'new secret' : 'new key'} for “${keyName}”:`),
    code,
    h('div', { class: 'secret-actions' }, copy),
    status,
    h(
      'p',
      { class: 'hint' },
      'Test it from a terminal: ',
      h(
        'code',
        { class: 'wrap' },
        `curl ${origin}/api/v1/me -H "Authorization: Bearer $SWITCHBOARD_API_KEY"`,
      ),
    ),
    h('div', { class: 'dialog-actions' }, done),
  ];
  code.setAttribute('aria-describedby', warningId);
  return {
    nodes,
    focus: copy,
    wipe() {
      secret = null;
      code.textContent = '';
    },
  };
}

async function copyText(text: string, source: HTMLElement): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Clipboard API refused (permissions, insecure origin): fall back to a selection copy.
    const range = document.createRange();
    range.selectNodeContents(source);
    const selection = window.getSelection();
    selection?.removeAllRanges();
    selection?.addRange(range);
    try {
      return document.execCommand('copy');
    } catch {
      return false;
    }
  }
}
