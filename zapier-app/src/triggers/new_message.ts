// Instant: message.created, optionally only one direction and/or channel (filtered on the server).
import { defineTrigger, type Bundle, type ZObject } from 'zapier-platform-core';
import { apiList, subscribeHook, unsubscribeHook } from '../lib/api';
import { messageOutputFields } from '../lib/fields';
import { recordOf, type RecordWire } from '../lib/shapes';
import sample from '../samples/message.json';

type Input = { direction?: string; channel?: string };

const performSubscribe = (z: ZObject, bundle: Bundle<Input>) =>
  subscribeHook(z, bundle, 'message.created', {
    direction: bundle.inputData.direction,
    channel: bundle.inputData.channel,
  });
const performUnsubscribe = (z: ZObject, bundle: Bundle) => unsubscribeHook(z, bundle);
const perform = async (_z: ZObject, bundle: Bundle) => [recordOf(bundle.cleanedRequest)];

const performList = async (z: ZObject, bundle: Bundle<Input>) => {
  const { direction, channel } = bundle.inputData;
  return apiList<RecordWire>(z, '/messages', { direction, channel }, 10);
};

export default defineTrigger({
  key: 'new_message',
  noun: 'Message',
  display: {
    label: 'New Message',
    description: 'Triggers when a new message is logged or sent.',
  },
  operation: {
    type: 'hook',
    inputFields: [
      {
        key: 'direction',
        label: 'Direction',
        required: false,
        choices: { inbound: 'Inbound (received)', outbound: 'Outbound (sent)' },
        helpText: 'Only trigger on messages in this direction. Leave empty for both.',
      },
      {
        key: 'channel',
        label: 'Channel',
        required: false,
        choices: { email: 'Email', sms: 'SMS', chat: 'Chat', note: 'Note' },
        helpText: 'Only trigger on messages of this channel. Leave empty for every channel.',
      },
    ],
    performSubscribe,
    performUnsubscribe,
    perform,
    performList,
    sample,
    outputFields: messageOutputFields,
  },
});
