/// <reference lib="dom" />
// Words and times for keys. Times show a friendly form and keep the exact one in <time
// datetime> plus a title tooltip (the seed's "when it was last used").
import { h } from './dom';
import type { ApiKey, ExpiresIn, GracePeriod, Permission, Scope, Workspace } from './types';

export const permissionLabels: Record<Permission, { label: string; explain: string }> = {
  read: { label: 'Read only', explain: 'View records.' },
  write: { label: 'Read & write', explain: 'View and change records.' },
  admin: { label: 'Admin', explain: 'All records your account can access, deletes included.' },
};

export const expiryChoices: [ExpiresIn, string][] = [
  ['never', 'Never'],
  ['30d', '30 days'],
  ['90d', '90 days'],
  ['6m', '6 months'],
  ['1y', '1 year'],
];

export const graceChoices: [GracePeriod, string][] = [
  ['0', 'None'],
  ['1h', '1 hour'],
  ['24h', '24 hours'],
  ['7d', '7 days'],
];

const DAY = 86_400_000;
const exact = (iso: string) =>
  new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'long' });
const dateOnly = (iso: string) => new Date(iso).toLocaleDateString(undefined, { dateStyle: 'medium' });

export function relative(iso: string, now = Date.now()): string {
  const diff = new Date(iso).getTime() - now;
  const abs = Math.abs(diff);
  const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  if (abs < 45_000) return diff <= 0 ? 'just now' : 'in a few seconds';
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ['minute', 60_000],
    ['hour', 3_600_000],
    ['day', DAY],
    ['month', 30 * DAY],
    ['year', 365 * DAY],
  ];
  let chosen = units[0]!;
  for (const unit of units) if (abs >= unit[1] * 0.9) chosen = unit;
  return rtf.format(Math.round(diff / chosen[1]), chosen[0]);
}

/** <time> with the exact moment on hover and for assistive technology. */
export function timeEl(iso: string, text: string): HTMLTimeElement {
  return h('time', { datetime: iso, title: exact(iso) }, text);
}

export const createdEl = (iso: string) => timeEl(iso, dateOnly(iso));
export const dateTimeEl = (iso: string) =>
  timeEl(iso, new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }));
export const lastUsedEl = (iso: string | null) => (iso ? timeEl(iso, relative(iso)) : 'Never');

export function daysLeft(expiresAt: string, now = Date.now()): number {
  return Math.ceil((new Date(expiresAt).getTime() - now) / DAY);
}

export const isExpired = (key: ApiKey, now = Date.now()) =>
  key.status === 'expired' || (key.expires_at !== null && new Date(key.expires_at).getTime() <= now);

/** "Never", or the date and how long is left ("expires in 30 days"), or when it expired. */
export function expiryEl(key: ApiKey, now = Date.now()): Node {
  if (!key.expires_at) return document.createTextNode('Never');
  const when = timeEl(key.expires_at, dateOnly(key.expires_at));
  if (isExpired(key, now)) return h('span', { class: 'expired-text' }, 'Expired ', when);
  const days = daysLeft(key.expires_at, now);
  const left = days <= 1 ? 'expires within a day' : `expires in ${days} days`;
  return h('span', {}, when, h('span', { class: days <= 7 ? 'soon' : 'muted' }, ` · ${left}`));
}

export function scopeLabel(scope: Scope, workspaces: Workspace[]): string {
  if (scope === 'all') return 'All workspaces';
  return workspaces.find((w) => w.id === scope.workspace_id)?.name ?? 'One workspace (no longer yours)';
}

export function permissionBadge(permission: Permission): HTMLElement {
  return h('span', { class: `badge badge-${permission}` }, permissionLabels[permission].label);
}
