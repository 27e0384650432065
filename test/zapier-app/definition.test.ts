// The app definition as Zapier sees it: schema-valid, and every visible operation written the way
// Zapier's reviewers expect (Title Case label, "Triggers when…/Creates…/Updates…/Finds…",
// help text on inputs, a real sample, labelled output fields covering the sample's keys).
import { App, type Operation } from './harness';

// Neither module ships types. serializeApp is what `zapier build`/`validate` upload: the compiled
// definition with every function replaced by a `$func$…` pointer.
/* eslint-disable @typescript-eslint/no-require-imports */
const { validateAppDefinition } = require('zapier-platform-schema') as {
  validateAppDefinition(app: unknown): { errors: Array<{ stack: string }> };
};
const { compileApp, serializeApp } = require('zapier-platform-core/src/tools/schema') as {
  compileApp(app: unknown): unknown;
  serializeApp(app: unknown): unknown;
};
/* eslint-enable @typescript-eslint/no-require-imports */

const visible = (group: Record<string, Operation>) => Object.values(group).filter((op) => !op.display.hidden);
const all = [
  ...visible(App.triggers).map((op) => ['trigger', op] as const),
  ...visible(App.creates).map((op) => ['create', op] as const),
  ...visible(App.searches).map((op) => ['search', op] as const),
];
const wording: Record<string, RegExp> = {
  trigger: /^Triggers when /,
  create: /^(Creates|Updates) /,
  search: /^Finds /,
};
const SMALL_WORDS = new Set(['a', 'an', 'and', 'by', 'for', 'in', 'of', 'or', 'to', 'the']);

describe('the app definition', () => {
  it('when validated with zapier-platform-schema, then it has no errors', () => {
    const result = validateAppDefinition(serializeApp(compileApp(App)));
    expect(result.errors.map((e) => e.stack)).toEqual([]);
  });

  it('when listing the operations, then every one the spec names is there', () => {
    expect(Object.keys(App.triggers)).toEqual(
      expect.arrayContaining([
        'new_contact',
        'updated_contact',
        'new_deal',
        'deal_stage_changed',
        'new_message',
      ]),
    );
    expect(Object.keys(App.creates)).toEqual(
      expect.arrayContaining([
        'create_contact',
        'update_contact',
        'create_deal',
        'update_deal',
        'move_deal_stage',
        'send_message',
      ]),
    );
    expect(Object.keys(App.searches).sort()).toEqual(['find_contact', 'find_deal']);
    const soc = App.searchOrCreates.find_contact!;
    expect(soc).toMatchObject({ search: 'find_contact', create: 'create_contact', update: 'update_contact' });
    // Dropdowns are hidden triggers.
    for (const key of [
      'pipeline_list',
      'stage_list',
      'contact_list',
      'owner_list',
      'workspace_list',
      'deal_list',
    ])
      expect(App.triggers[key]?.display.hidden).toBe(true);
  });

  it.each(all.map(([kind, op]) => [`${kind} ${op.key}`, kind, op] as const))(
    'when reading %s, then it has a noun, a Title Case label, Zapier wording and help text',
    (_name, kind, op) => {
      expect(op.noun).toMatch(/^[A-Z]/);
      for (const word of op.display.label!.split(' '))
        if (!SMALL_WORDS.has(word)) expect(word).toMatch(/^[A-Z]/);
      expect(op.display.description).toMatch(wording[kind]!);
      expect(op.display.description).toMatch(/\.$/);
      for (const field of op.operation.inputFields ?? []) {
        expect(field.label).toBeTruthy();
        expect([field.key, field.helpText]).toEqual([field.key, expect.stringMatching(/\S/)]);
      }
    },
  );

  it.each(all.map(([kind, op]) => [`${kind} ${op.key}`, op] as const))(
    'when reading %s, then its sample is real and every sample key has a labelled output field',
    (_name, op) => {
      const sample = op.operation.sample!;
      expect(Object.keys(sample).length).toBeGreaterThan(3);
      expect(String(sample.id)).not.toMatch(/placeholder/);
      const fields = op.operation.outputFields!;
      for (const field of fields) expect(field.label).toBeTruthy();
      expect(fields.map((f) => f.key).sort()).toEqual(Object.keys(sample).sort());
    },
  );

  it('when reading the auth, then the key is one required password field with help text linking to Settings', () => {
    expect(App.authentication.fields).toEqual([
      expect.objectContaining({
        key: 'apiKey',
        type: 'password',
        required: true,
        helpText: expect.stringMatching(/\/settings\)/),
      }),
    ]);
  });

  it('when reading the throttle, then it mirrors the per-key limit of 120 requests a minute', () => {
    expect(App.throttle).toMatchObject({ window: 60, limit: 120 });
  });

  it('when Update Contact runs, then Zapier passes empty fields through (cleanInputData: false)', () => {
    expect(App.creates.update_contact!.operation.cleanInputData).toBe(false);
  });

  it('when Move Deal to Stage is shown, then its Stage dropdown depends on the Pipeline', () => {
    const stage = App.creates.move_deal_stage!.operation.inputFields!.find((f) => f.key === 'stage_id');
    expect(stage).toMatchObject({ dynamic: 'stage_list.id.name', dependsOn: ['pipeline_id'] });
  });
});
