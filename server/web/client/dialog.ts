/// <reference lib="dom" />
// Modal dialogs on the native <dialog>: showModal() traps focus and makes the rest of the page
// inert, Escape closes it (the "cancel" event), and on close the dialog is removed from the
// document entirely and focus goes back to what opened it.
import { h, nextId } from './dom';

export interface Modal {
  dialog: HTMLDialogElement;
  title: HTMLHeadingElement;
  body: HTMLDivElement;
  /** Replaces the dialog's content (e.g. the form by the shown-once secret) and moves focus. */
  show(title: string, content: Node[], focus?: HTMLElement | null): void;
  close(): void;
}

export interface ModalOptions {
  title: string;
  opener?: HTMLElement | null;
  /** Where focus goes when the opener is gone (e.g. a revoked key's row). */
  fallbackFocus?: () => HTMLElement | null;
  onClose?: () => void;
  className?: string;
}

/** Opens an empty modal; the caller fills it with `show` (so its handlers can refer to the modal). */
export function openModal(options: ModalOptions): Modal {
  const titleId = nextId('dialog-title');
  const title = h('h2', { id: titleId, class: 'dialog-title' }, options.title);
  const body = h('div', { class: 'dialog-body' });
  const dialog = h(
    'dialog',
    { class: `modal ${options.className ?? ''}`.trim(), 'aria-labelledby': titleId },
    title,
    body,
  );
  const modal: Modal = {
    dialog,
    title,
    body,
    show(text, nodes, target) {
      title.textContent = text;
      body.replaceChildren(...nodes);
      (target ?? title).focus();
    },
    close: () => {
      dialog.close();
      teardown();
    },
  };
  // Run at once when the page closes the dialog (the browser's `close` event comes a task later,
  // and a shown secret must not outlive the click on Done), and on that event for Escape.
  const teardown = () => {
    if (!dialog.isConnected) return;
    options.onClose?.();
    body.replaceChildren();
    dialog.remove();
    const back = options.opener?.isConnected ? options.opener : options.fallbackFocus?.();
    back?.focus();
  };
  dialog.addEventListener('close', teardown);
  title.tabIndex = -1;
  document.body.append(dialog);
  dialog.showModal();
  return modal;
}

/** The row of buttons at the bottom of a dialog; Cancel closes without doing anything. */
export function dialogActions(modal: () => Modal, ...buttons: HTMLElement[]): HTMLDivElement {
  return h(
    'div',
    { class: 'dialog-actions' },
    h('button', { type: 'button', class: 'button', onclick: () => modal().close() }, 'Cancel'),
    ...buttons,
  );
}
