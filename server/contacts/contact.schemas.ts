// One zod schema per request shape; the OpenAPI document is generated from these same objects.
import { listQuerySchema } from '../shared/pagination';
import { z } from '../shared/zod';
import { ownershipInput, pageOf, recordWireFields, visibilitySchema } from '../openapi/common.schemas';

export const CUSTOM_FIELD_KEY = /^[a-z][a-z0-9_]{0,63}$/;
const MAX_TAGS = 50;
const MAX_CUSTOM_FIELDS = 50;

const email = z
  .email()
  .max(254)
  .openapi({ description: 'Unique per workspace; stored lower-cased.', example: 'ada@example.com' });
const phone = z.string().trim().min(1).max(50).openapi({ example: '+1 555 0100' });
const company = z.string().trim().min(1).max(200).openapi({ example: 'Analytical Engines Ltd' });
const tags = z
  .array(z.string().trim().min(1).max(50))
  .max(MAX_TAGS)
  .openapi({ description: `Up to ${MAX_TAGS} tags of 1–50 characters.`, example: ['vip'] });
const customFieldValue = z.union([z.string().max(1000), z.number(), z.boolean(), z.null()]);
const customFields = z
  .record(
    z.string().regex(CUSTOM_FIELD_KEY, 'keys are lower-case snake_case, 1–64 characters'),
    customFieldValue,
  )
  .refine((o) => Object.keys(o).length <= MAX_CUSTOM_FIELDS, `at most ${MAX_CUSTOM_FIELDS} custom fields`)
  .openapi({
    description: `Up to ${MAX_CUSTOM_FIELDS} keys (\`^[a-z][a-z0-9_]{0,63}$\`) to a string, number, boolean or null. A PATCH replaces the whole object.`,
    example: { plan: 'pro', seats: 12 },
  });

export const contactCreateSchema = z
  .object({
    name: z.string().trim().min(1).max(200).openapi({ example: 'Ada Lovelace' }),
    email: email.nullable().optional(),
    phone: phone.nullable().optional(),
    company: company.nullable().optional(),
    tags: tags.optional(),
    custom_fields: customFields.optional(),
    ...ownershipInput,
  })
  .strict()
  .openapi('ContactCreate');

/** Partial; `null` clears an optional field (the Zapier app's Update Contact relies on it). */
export const contactUpdateSchema = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    email: email.nullable().optional(),
    phone: phone.nullable().optional(),
    company: company.nullable().optional(),
    tags: tags.nullable().optional(),
    custom_fields: customFields.nullable().optional(),
    owner_id: ownershipInput.owner_id,
    visibility: visibilitySchema.optional(),
  })
  .strict()
  .openapi('ContactUpdate');

export const contactListQuerySchema = listQuerySchema
  .extend({
    email: z.email().max(254).optional().openapi({ description: 'Find the contact with this email.' }),
  })
  .strict();

export const contactSchema = z
  .object({
    ...recordWireFields,
    name: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    company: z.string().nullable(),
    tags: z.array(z.string()),
    custom_fields: z.record(z.string(), customFieldValue),
  })
  .openapi('Contact');

export const contactPageSchema = pageOf(contactSchema, 'ContactPage');

export type ContactCreate = z.output<typeof contactCreateSchema>;
export type ContactUpdate = z.output<typeof contactUpdateSchema>;
export type ContactListQuery = z.output<typeof contactListQuerySchema>;
export type ContactWire = z.infer<typeof contactSchema>;
