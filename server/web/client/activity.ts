/// <reference lib="dom" />
// Per-key audit events (create, rotate, revoke, archive, first use from a new IP), loaded when
// the person opens the key's "Activity" disclosure.
import { api } from './api';
import { h } from './dom';
import { graceChoices, relative, timeEl } from './format';
import type { KeyEvent } from './types';

const labels: Record<string, string> = {
  created: 'Created',
  rotated: 'Rotated',
  revoked: 'Revoked',
  archived: 'Archived',
  first_use_from_ip: 'First use from a new IP address',
};

function label(type: string): string {
  const words = type.replace(/[._]/g, ' ');
  return labels[type] ?? words.charAt(0).toUpperCase() + words.slice(1);
}

function actor(event: KeyEvent): HTMLElement | null {
  const a = event.actor;
  const who = a?.name ?? a?.email;
  if (!who) return null;
  return h(
    'span',
    { class: 'muted', title: a?.email ?? '' },
    ` · by ${who}${a?.via === 'api_key' ? ', with this key' : ''}`,
  );
}

/** The rotate event says how long the old secret was kept. */
function detail(event: KeyEvent): string | null {
  const grace = event.data?.grace_period;
  if (event.type !== 'rotated' || typeof grace !== 'string') return null;
  const label = graceChoices.find(([v]) => v === grace)?.[1];
  return grace === '0' || !label ? ' (old secret stopped at once)' : ` (old secret kept for ${label})`;
}

function eventItem(event: KeyEvent): HTMLLIElement {
  const at = event.occurred_at;
  return h(
    'li',
    { class: 'event' },
    h('span', { class: 'event-type' }, label(event.type)),
    detail(event),
    at ? h('span', { class: 'muted' }, ' · ', timeEl(at, relative(at))) : null,
    actor(event),
    event.ip ? h('span', { class: 'muted' }, ' · from ', h('code', {}, event.ip)) : null,
  );
}

/** A <details> that loads the key's events each time it is opened. */
export function activityDetails(
  keyId: string,
  keyName: string,
  openDetails: Set<string>,
): HTMLDetailsElement {
  const name = `activity-${keyId}`;
  const body = h('div', { class: 'activity-body', 'aria-live': 'polite' });
  const details = h(
    'details',
    { class: 'activity', 'data-details': name, open: openDetails.has(name) },
    h('summary', {}, 'Activity', h('span', { class: 'visually-hidden' }, ` of ${keyName}`)),
    body,
  );
  const load = async () => {
    body.replaceChildren(h('p', { class: 'muted' }, 'Loading activity…'));
    try {
      const res = await api<{ data: KeyEvent[] }>('GET', `/app/api-keys/${encodeURIComponent(keyId)}/events`);
      const events = res.data ?? [];
      body.replaceChildren(
        events.length
          ? h('ol', { class: 'events' }, ...events.map(eventItem))
          : h('p', { class: 'muted' }, 'No activity recorded yet.'),
      );
    } catch (err) {
      body.replaceChildren(h('p', { class: 'form-error' }, (err as Error).message));
    }
  };
  details.addEventListener('toggle', () => {
    if (details.open) {
      openDetails.add(name);
      void load();
    } else openDetails.delete(name);
  });
  return details;
}
