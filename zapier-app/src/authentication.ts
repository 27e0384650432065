// Custom auth with one secret: a Switchboard API key, created by the user in Settings → API keys.
// The middleware sends it as a Bearer token; `test` asks the API who the key is.
import type { Authentication, Bundle, ZObject } from 'zapier-platform-core';
import { DEFAULT_API_URL, getMe, settingsUrl, type Me } from './lib/api';

/** "ada@example.com @ Acme Sales", or "ada@example.com (Zapier Integration)" without a workspace. */
export function connectionLabelFor(me: Me): string {
  const workspace = me.workspaces.find((w) => w.api_access_enabled) ?? me.workspaces[0];
  return workspace ? `${me.user.email} @ ${workspace.name}` : `${me.user.email} (${me.key.name})`;
}

const test = async (z: ZObject, _bundle: Bundle) => {
  const me = await getMe(z);
  // A key whose workspaces all have API access off can still read /me; say why nothing else works.
  if (me.workspaces.length > 0 && !me.workspaces.some((w) => w.api_access_enabled)) {
    throw new z.errors.Error(
      `API access is not enabled for this account: an owner or admin must switch on API access in Settings (${settingsUrl()}).`,
      'api_access_disabled',
      403,
    );
  }
  // Only non-secret facts are returned: Zapier stores and shows what test returns.
  return { ...me, connection_label: connectionLabelFor(me) };
};

export default {
  type: 'custom',
  fields: [
    {
      key: 'apiKey',
      label: 'API Key',
      type: 'password',
      required: true,
      // The production page, not the runtime base URL: the definition is serialized on the machine
      // that runs `zapier push`, whose SWITCHBOARD_API_URL may well point at localhost.
      helpText:
        `Create a key in Switchboard under [Settings → API keys](${DEFAULT_API_URL}/settings): ` +
        'click **Create key**, name it (e.g. "Zapier Integration"), choose **Read & write** to use actions, ' +
        'then copy the key (it starts with `sbk_` and is shown only once) and paste it here.',
    },
  ],
  test,
  connectionLabel: '{{connection_label}}',
} satisfies Authentication;
