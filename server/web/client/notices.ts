/// <reference lib="dom" />
// The banners above the key list: keys expiring within 7 days (the server's reminders) and the
// OutboundSync prerequisite (no workspace has API access on, so no key can work yet).
import { h } from './dom';
import { daysLeft } from './format';
import type { Controller } from './state';

export function notices(ctl: Controller): HTMLElement[] {
  const out: HTMLElement[] = [];
  // The server's reminders (keys expiring within 7 days), in the page's own words.
  for (const r of ctl.state.reminders) {
    const days = Math.min(r.days_left, daysLeft(r.expires_at));
    out.push(
      h(
        'div',
        { class: 'notice notice-warning expiry-banner' },
        h(
          'strong',
          {},
          `Key “${r.name}” (${r.prefix}…) ${days <= 1 ? 'expires within a day' : `expires in ${days} days`}.`,
        ),
        ' Create a replacement key and swap it into your integration before then; rotating keeps the same expiry.',
      ),
    );
  }
  if (!ctl.state.workspaces.some((w) => w.api_access_enabled)) {
    out.push(
      h(
        'div',
        { class: 'notice notice-info' },
        h('strong', {}, 'API access is off in all your workspaces, '),
        'so keys cannot make requests yet. A workspace owner or admin turns it on under ',
        h('a', { href: '#workspaces-title' }, 'API access'),
        '.',
      ),
    );
  }
  return out;
}
