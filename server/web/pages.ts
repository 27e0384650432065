// The HTML shells of the three pages. Sign-in and sign-up forms are rendered here so they are
// usable (and accessible) before any script runs; Settings is drawn by settings.js from the
// session API. No inline script or handler anywhere: the CSP allows `script-src 'self'` only.

export type PageName = 'signin' | 'signup' | 'settings';

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function layout(title: string, script: 'auth' | 'settings', body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Switchboard</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/app.css">
<script src="/assets/${script}.js" defer></script>
</head>
<body>
<a class="skip-link" href="#main">Skip to main content</a>
${body}
</body>
</html>
`;
}

const brand = `<a class="brand" href="/">Switchboard</a>`;

const field = (id: string, label: string, attrs: string, hint?: string): string => `
  <div class="field">
    <label for="${id}">${label}</label>
    ${hint ? `<p class="hint" id="${id}-hint">${hint}</p>` : ''}
    <input id="${id}" name="${id}" ${attrs}${hint ? ` aria-describedby="${id}-hint ${id}-error"` : ` aria-describedby="${id}-error"`}>
    <p class="field-error" id="${id}-error"></p>
  </div>`;

function authPage(kind: 'signin' | 'signup'): string {
  const signup = kind === 'signup';
  const title = signup ? 'Create your account' : 'Sign in';
  const fields = signup
    ? field('name', 'Your name', 'type="text" autocomplete="name" required maxlength="100"') +
      field('email', 'Email', 'type="email" autocomplete="email" required maxlength="254"') +
      field(
        'password',
        'Password',
        'type="password" autocomplete="new-password" required minlength="10" maxlength="200"',
        'At least 10 characters.',
      )
    : field('email', 'Email', 'type="email" autocomplete="username" required maxlength="254"') +
      field(
        'password',
        'Password',
        'type="password" autocomplete="current-password" required maxlength="200"',
      );
  const other = signup
    ? `Already have an account? <a href="/signin">Sign in</a>`
    : `New to Switchboard? <a href="/signup">Create an account</a>`;
  return layout(
    title,
    'auth',
    `<header class="topbar">${brand}</header>
<main id="main" class="auth" tabindex="-1">
  <div class="card auth-card">
    <h1>${title}</h1>
    <form id="auth-form" data-kind="${kind}" novalidate>
      <div class="form-error" id="form-error" role="alert"></div>
      ${fields}
      <button type="submit" class="button primary wide">${signup ? 'Create account' : 'Sign in'}</button>
    </form>
    <p class="switch-page">${other}</p>
  </div>
</main>`,
  );
}

function settingsPage(): string {
  return layout(
    'Settings',
    'settings',
    `<header class="topbar">${brand}<div id="account" class="account"></div></header>
<main id="main" class="settings" tabindex="-1">
  <h1>Settings</h1>
  <div id="settings-root"><p class="loading" role="status">Loading your settings…</p></div>
  <noscript><p>The Settings page needs JavaScript.</p></noscript>
</main>
<div id="announcer" class="visually-hidden" role="status" aria-live="polite"></div>`,
  );
}

export function renderPage(page: PageName): string {
  return page === 'settings' ? settingsPage() : authPage(page);
}
