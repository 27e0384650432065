// The Switchboard Zapier app: contacts, pipeline and messages through a Switchboard API key.
// One file per trigger, create and search (named by its key); shared request code lives only in
// middleware.ts and lib/api.ts.
import { defineApp, version as platformVersion } from 'zapier-platform-core';
import authentication from './authentication';
import { handleErrors, includeApiKey } from './middleware';
import createContact from './creates/create_contact';
import createDeal from './creates/create_deal';
import moveDealStage from './creates/move_deal_stage';
import sendMessage from './creates/send_message';
import updateContact from './creates/update_contact';
import updateDeal from './creates/update_deal';
import findContact from './searches/find_contact';
import findDeal from './searches/find_deal';
import contactList from './triggers/contact_list';
import dealList from './triggers/deal_list';
import dealStageChanged from './triggers/deal_stage_changed';
import newContact from './triggers/new_contact';
import newDeal from './triggers/new_deal';
import newMessage from './triggers/new_message';
import ownerList from './triggers/owner_list';
import pipelineList from './triggers/pipeline_list';
import stageList from './triggers/stage_list';
import updatedContact from './triggers/updated_contact';
import workspaceList from './triggers/workspace_list';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- package.json sits outside rootDir
const { version } = require('../package.json') as { version: string };

/** The server allows API_KEY_RATE_LIMIT (default 120) requests per key per minute. */
export const RATE_LIMIT_PER_MINUTE = 120;

export default defineApp({
  version,
  platformVersion,
  authentication,
  beforeRequest: [includeApiKey],
  afterResponse: [handleErrors],
  flags: {
    // Let handleErrors see 429s, so the ThrottledError carries the API's own message and Retry-After.
    throwForThrottlingEarly: false,
    // Every request of this app goes through z.request (already logged). The global http patch
    // only adds logging of other clients, and it rewrites http.request(url, options) calls as
    // http.request(url): in the test process that turned the server's own hook POSTs into
    // empty GETs. See docs/decisions/054-skip-http-patch.md.
    skipHttpPatch: true,
  },
  // Mirrors the server's per-key limit: one Zapier connection is one key, so scope it to the auth.
  throttle: { window: 60, limit: RATE_LIMIT_PER_MINUTE, scope: ['auth'] },
  triggers: {
    [newContact.key]: newContact,
    [updatedContact.key]: updatedContact,
    [newDeal.key]: newDeal,
    [dealStageChanged.key]: dealStageChanged,
    [newMessage.key]: newMessage,
    [workspaceList.key]: workspaceList,
    [ownerList.key]: ownerList,
    [pipelineList.key]: pipelineList,
    [stageList.key]: stageList,
    [contactList.key]: contactList,
    [dealList.key]: dealList,
  },
  creates: {
    [createContact.key]: createContact,
    [updateContact.key]: updateContact,
    [createDeal.key]: createDeal,
    [updateDeal.key]: updateDeal,
    [moveDealStage.key]: moveDealStage,
    [sendMessage.key]: sendMessage,
  },
  searches: {
    [findContact.key]: findContact,
    [findDeal.key]: findDeal,
  },
  searchOrCreates: {
    [findContact.key]: {
      key: findContact.key,
      display: {
        label: 'Find or Create Contact',
        description:
          'Finds a contact by email, or creates it when there is none (and can update the one found).',
      },
      search: findContact.key,
      create: createContact.key,
      // The upsert form: when the search finds the contact, Update Contact runs on it instead.
      update: updateContact.key,
      updateInputFromSearchOutput: { contact_id: 'id' },
      searchUniqueInputToOutputConstraint: { email: 'email' },
    },
  },
});
