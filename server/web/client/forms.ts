/// <reference lib="dom" />
// Errors shown where they happened: one message for the form (role="alert") and one per field
// (wired with aria-describedby and aria-invalid). Values are never touched, so a failed request
// loses nothing the person typed.
import { ApiError } from './api';
import { h, nextId } from './dom';

export interface FieldSlot {
  /** The control (or fieldset) that gets aria-invalid. */
  control: HTMLElement;
  error: HTMLElement;
}

/** A field's error slot; its id is appended to the control's aria-describedby. */
export function errorSlot(control: HTMLElement): HTMLElement {
  const id = nextId('field-error');
  const slot = h('p', { class: 'field-error', id });
  const described = control.getAttribute('aria-describedby');
  control.setAttribute('aria-describedby', described ? `${described} ${id}` : id);
  return slot;
}

export function clearErrors(formError: HTMLElement, fields: Record<string, FieldSlot>): void {
  formError.textContent = '';
  for (const { control, error } of Object.values(fields)) {
    error.textContent = '';
    control.removeAttribute('aria-invalid');
  }
}

/** Shows an error in place; focuses the first invalid field, else the form message. */
export function showError(err: unknown, formError: HTMLElement, fields: Record<string, FieldSlot>): void {
  clearErrors(formError, fields);
  const apiError =
    err instanceof ApiError
      ? err
      : new ApiError('Something went wrong in this page. Reload it and try again.', 0, 'client');
  let first: HTMLElement | null = null;
  for (const fe of apiError.fieldErrors) {
    const slot = fields[fe.field.split('.')[0] ?? ''];
    if (!slot) continue;
    slot.error.textContent = humanFieldMessage(fe.message);
    slot.control.setAttribute('aria-invalid', 'true');
    first ??= slot.control;
  }
  formError.textContent = apiError.message;
  if (first) focusControl(first);
}

export function setFieldError(slot: FieldSlot, message: string): void {
  slot.error.textContent = message;
  slot.control.setAttribute('aria-invalid', 'true');
  focusControl(slot.control);
}

function focusControl(control: HTMLElement): void {
  const target = control.matches('fieldset')
    ? control.querySelector<HTMLElement>('input:checked, input')
    : control;
  target?.focus();
}

function humanFieldMessage(message: string): string {
  const text = message.replace(/^Invalid input: /, '');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Disables a submit button while its request runs and says so. */
export async function busy<T>(button: HTMLButtonElement, label: string, work: () => Promise<T>): Promise<T> {
  const original = button.textContent;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  button.textContent = label;
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    button.textContent = original;
    // A disabled button drops focus; give it back unless the work moved it somewhere on purpose.
    if (button.isConnected && (document.activeElement === document.body || document.activeElement === null))
      button.focus();
  }
}
