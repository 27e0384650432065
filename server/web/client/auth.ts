/// <reference lib="dom" />
// Sign-in and sign-up (the forms are in the HTML; this sends them to the session API and shows
// errors in place). On success the person goes to `next` if it is a local path, else Settings.
import { api, ApiError } from './api';
import { byId } from './dom';
import { busy, showError, setFieldError, type FieldSlot } from './forms';

function safeNext(): string {
  const next = new URLSearchParams(window.location.search).get('next');
  // Only same-site paths: "//evil.example" or "/\evil" would leave the site.
  return next && /^\/(?![/\\])/.test(next) ? next : '/settings';
}

function start(): void {
  const form = byId<HTMLFormElement>('auth-form');
  const formError = byId('form-error');
  if (!form || !formError) return;
  const kind = form.dataset.kind === 'signup' ? 'signup' : 'login';
  const names = kind === 'signup' ? ['name', 'email', 'password'] : ['email', 'password'];
  const fields: Record<string, FieldSlot> = {};
  for (const name of names) {
    const control = byId<HTMLInputElement>(name);
    const error = byId(`${name}-error`);
    if (control && error) fields[name] = { control, error };
  }
  const submit = form.querySelector<HTMLButtonElement>('button[type="submit"]')!;

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const values = Object.fromEntries(names.map((n) => [n, (fields[n]?.control as HTMLInputElement).value]));
    const problem = checkLocally(values, kind);
    if (problem) {
      showError(
        new ApiError('Please correct the highlighted fields.', 422, 'invalid_request'),
        formError,
        fields,
      );
      setFieldError(fields[problem.field]!, problem.message);
      return;
    }
    try {
      await busy(submit, kind === 'signup' ? 'Creating account…' : 'Signing in…', () =>
        api('POST', `/auth/${kind}`, { ...values, email: values.email!.trim() }),
      );
      window.location.assign(safeNext());
    } catch (err) {
      showError(err, formError, fields);
    }
  });
}

function checkLocally(
  values: Record<string, string>,
  kind: string,
): { field: string; message: string } | null {
  if (kind === 'signup' && !values.name?.trim()) return { field: 'name', message: 'Enter your name.' };
  if (!/^[^\s@]+@[^\s@]+$/.test(values.email?.trim() ?? ''))
    return { field: 'email', message: 'Enter an email address like name@example.com.' };
  if (!values.password) return { field: 'password', message: 'Enter your password.' };
  if (kind === 'signup' && values.password.length < 10)
    return { field: 'password', message: 'Use at least 10 characters.' };
  return null;
}

start();
