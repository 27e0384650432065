// The samples in zapier-app/src/samples/ are real server responses: this file produces each one
// through the app against a live server and checks the checked-in sample has exactly its keys.
// Regenerate them after an API change with:
//   UPDATE_ZAPIER_SAMPLES=1 npx jest test/zapier-app/samples && npm run build -w zapier-app
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { App, run, startHarness, startReceiver, type Harness } from './harness';

const SAMPLES_DIR = path.resolve(__dirname, '../../zapier-app/src/samples');
const update = process.env.UPDATE_ZAPIER_SAMPLES === '1';

let h: Harness;
const captured: Record<string, Record<string, unknown>> = {};

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.t.stop();
  // Rewritten samples are laid out by the repository's formatter, so `npm run lint` stays clean.
  if (update)
    execFileSync(process.execPath, [require.resolve('prettier/bin/prettier.cjs'), '--write', SAMPLES_DIR]);
});

function capture(file: string, value: Record<string, unknown>) {
  captured[file] = value;
  if (update) fs.writeFileSync(path.join(SAMPLES_DIR, `${file}.json`), JSON.stringify(value));
}

function expectSampleKeys(file: string) {
  const checkedIn = JSON.parse(fs.readFileSync(path.join(SAMPLES_DIR, `${file}.json`), 'utf8')) as object;
  expect(Object.keys(checkedIn).sort()).toEqual(Object.keys(captured[file]!).sort());
}

describe('samples captured from a live server', () => {
  it('when the creates run, then their outputs have the keys of the checked-in samples', async () => {
    const k = h.keys.admin;
    const contact = await run<Record<string, unknown>>(App.creates.create_contact!.operation.perform, k, {
      inputData: {
        name: 'Ada Lovelace',
        email: 'ada@example.com',
        phone: '+44 20 7946 0000',
        company: 'Analytical Engines Ltd',
        tags: ['vip'],
        custom_fields: { plan: 'pro' },
      },
    });
    capture('create_contact', contact);
    capture(
      'update_contact',
      await run(App.creates.update_contact!.operation.perform, k, {
        inputData: { contact_id: contact.id, company: 'Difference Engines Ltd' },
      }),
    );
    const [pipeline] = (await h.api().get('/pipelines')).data;
    const deal = await run<Record<string, unknown>>(App.creates.create_deal!.operation.perform, k, {
      inputData: {
        title: 'Annual plan',
        value: 4800,
        currency: 'USD',
        contact_id: contact.id,
        pipeline_id: pipeline.id,
      },
    });
    capture('create_deal', deal);
    capture(
      'update_deal',
      await run(App.creates.update_deal!.operation.perform, k, {
        inputData: { deal_id: deal.id, value: 5200 },
      }),
    );
    capture(
      'move_deal_stage',
      await run(App.creates.move_deal_stage!.operation.perform, k, {
        inputData: { deal_id: deal.id, pipeline_id: pipeline.id, stage_id: pipeline.stages[1].id },
      }),
    );
    capture(
      'send_message',
      await run(App.creates.send_message!.operation.perform, k, {
        inputData: {
          contact_id: contact.id,
          direction: 'outbound',
          channel: 'email',
          subject: 'Welcome aboard',
          body: 'Hi Ada, thanks for signing up!',
        },
      }),
    );
    for (const file of [
      'create_contact',
      'update_contact',
      'create_deal',
      'update_deal',
      'move_deal_stage',
      'send_message',
    ])
      expectSampleKeys(file);
  });

  it('when every trigger receives a real delivery, then perform outputs have the keys of the checked-in samples', async () => {
    const receiver = await startReceiver();
    const triggers = [
      'new_contact',
      'updated_contact',
      'new_deal',
      'deal_stage_changed',
      'new_message',
    ] as const;
    const subs: Record<string, { id: string }> = {};
    for (const key of triggers)
      subs[key] = await run(App.triggers[key]!.operation.performSubscribe, h.keys.admin, {
        targetUrl: `${receiver.url}${key}`,
      });

    const contact = await h.api().post('/contacts', {
      name: 'Ada Lovelace',
      email: 'ada.lovelace@example.com',
      company: 'Analytical Engines Ltd',
      tags: ['vip'],
      custom_fields: { plan: 'pro' },
    });
    await h.api().patch(`/contacts/${contact.id}`, { phone: '+44 20 7946 0000' });
    const [pipeline] = (await h.api().get('/pipelines')).data;
    const deal = await h.api().post('/deals', { title: 'Annual plan', value: 4800, contact_id: contact.id });
    await h.api().patch(`/deals/${deal.id}`, { stage_id: pipeline.stages[1].id });
    await h.api().post('/messages', {
      contact_id: contact.id,
      direction: 'inbound',
      channel: 'email',
      subject: 'Question about pricing',
      body: 'Hello, does the annual plan include support?',
    });
    await receiver.waitFor(5);

    const files: Record<string, string> = {
      new_contact: 'contact',
      updated_contact: 'updated_contact',
      new_deal: 'deal',
      deal_stage_changed: 'deal_stage_changed',
      new_message: 'message',
    };
    for (const key of triggers) {
      const delivery = receiver.deliveries.find((d) => d.body.type === eventOf(key));
      const [item] = await run<Array<Record<string, unknown>>>(
        App.triggers[key]!.operation.perform,
        h.keys.admin,
        {
          cleanedRequest: delivery!.body,
        },
      );
      capture(files[key]!, item!);
      expectSampleKeys(files[key]!);
    }
    for (const key of triggers)
      await run(App.triggers[key]!.operation.performUnsubscribe, h.keys.admin, { subscribeData: subs[key] });
    await receiver.stop();
  });

  it('when the searches run, then they return items shaped like the trigger samples they share', async () => {
    const [contact] = await run<Array<Record<string, unknown>>>(
      App.searches.find_contact!.operation.perform,
      h.keys.admin,
      {
        inputData: { email: 'ada@example.com' },
      },
    );
    expect(Object.keys(contact!).sort()).toEqual(
      Object.keys(App.searches.find_contact!.operation.sample!).sort(),
    );
    const [deal] = await run<Array<Record<string, unknown>>>(
      App.searches.find_deal!.operation.perform,
      h.keys.admin,
      {
        inputData: { title: 'Annual plan' },
      },
    );
    expect(Object.keys(deal!).sort()).toEqual(Object.keys(App.searches.find_deal!.operation.sample!).sort());
  });
});

function eventOf(trigger: string): string {
  return {
    new_contact: 'contact.created',
    updated_contact: 'contact.updated',
    new_deal: 'deal.created',
    deal_stage_changed: 'deal.stage_changed',
    new_message: 'message.created',
  }[trigger]!;
}
