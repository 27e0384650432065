// Records a message to or from a contact (an email sent, an SMS received, a note…). The message
// joins the contact's workspace.
import { defineCreate, type Bundle, type ZObject } from 'zapier-platform-core';
import { apiSend, type Json } from '../lib/api';
import { compact, contactField, messageOutputFields, ownerInput, visibilityInput } from '../lib/fields';
import sample from '../samples/send_message.json';

type Input = {
  contact_id: string;
  direction: string;
  channel: string;
  subject?: string;
  body: string;
  sent_at?: string;
  owner_id?: string;
  visibility?: string;
};

const perform = async (z: ZObject, bundle: Bundle<Input>) => {
  const { sent_at, subject } = bundle.inputData;
  // Zapier's datetime fields arrive in whatever form the user mapped; the API wants ISO-8601.
  const when = sent_at ? new Date(sent_at) : undefined;
  if (when && Number.isNaN(when.getTime()))
    throw new z.errors.HaltedError(`"${sent_at}" is not a date and time Sent At understands.`);
  const body = compact({ ...bundle.inputData, subject: subject?.trim(), sent_at: when?.toISOString() });
  return (await apiSend<Json>(z, 'POST', '/messages', body)).data;
};

export default defineCreate({
  key: 'send_message',
  noun: 'Message',
  display: {
    label: 'Send Message',
    description: "Creates a message on a contact's timeline: an email, SMS, chat or note, sent or received.",
  },
  operation: {
    inputFields: [
      { ...contactField, required: true, helpText: 'The contact the message is to or from.' },
      {
        key: 'direction',
        label: 'Direction',
        required: true,
        default: 'outbound',
        choices: {
          outbound: 'Outbound (sent to the contact)',
          inbound: 'Inbound (received from the contact)',
        },
        helpText: 'Whether you sent it to the contact or received it from them.',
      },
      {
        key: 'channel',
        label: 'Channel',
        required: true,
        default: 'email',
        choices: { email: 'Email', sms: 'SMS', chat: 'Chat', note: 'Note' },
        helpText: 'How it was sent. Use Note for an internal note on the contact.',
      },
      { key: 'subject', label: 'Subject', required: false, helpText: 'Optional; usually only for emails.' },
      {
        key: 'body',
        label: 'Body',
        type: 'text',
        required: true,
        helpText: 'The message text, up to 10,000 characters.',
      },
      { key: 'sent_at', label: 'Sent At', type: 'datetime', required: false, helpText: 'Defaults to now.' },
      ownerInput,
      visibilityInput,
    ],
    perform,
    sample,
    outputFields: messageOutputFields,
  },
});
