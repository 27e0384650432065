// The wire form every record leaves the server in (server/shared/mongoose-plugins.ts).
import { Types } from 'mongoose';
import { toWire } from '../../../server/shared/mongoose-plugins';

describe('toWire', () => {
  test('when a stored document is sent, then _id becomes id (first), ids are hex, times ISO, hidden fields gone', () => {
    const id = new Types.ObjectId();
    const owner = new Types.ObjectId();
    const at = new Date('2026-01-02T03:04:05.678Z');
    const price = Types.Decimal128.fromString('9.99');
    const wire = toWire(
      {
        name: 'Ada',
        _id: id,
        __v: 3,
        owner_id: owner,
        created_at: at,
        tags: ['a', [owner, at]],
        custom_fields: { plan: 'pro', nested: { when: at } },
        price,
        empty: null,
        pending_events: [{ x: 1 }],
      },
      ['pending_events'],
    );
    expect(Object.keys(wire)[0]).toBe('id');
    expect(wire).toEqual({
      id: id.toHexString(),
      name: 'Ada',
      owner_id: owner.toHexString(),
      created_at: '2026-01-02T03:04:05.678Z',
      tags: ['a', [owner.toHexString(), '2026-01-02T03:04:05.678Z']],
      custom_fields: { plan: 'pro', nested: { when: '2026-01-02T03:04:05.678Z' } },
      price,
      empty: null,
    });
  });

  test('when a stored key is named __proto__, then it stays a plain key and no prototype changes', () => {
    const doc = JSON.parse(
      '{"_id":"x","__proto__":{"polluted":true},"data":{"__proto__":{"polluted":true}}}',
    ) as Record<string, unknown>;
    const wire = toWire<Record<string, unknown>>(doc);
    expect(Object.getPrototypeOf(wire)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(wire.data)).toBe(Object.prototype);
    expect(JSON.stringify(wire)).toBe(
      '{"id":"x","__proto__":{"polluted":true},"data":{"__proto__":{"polluted":true}}}',
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
