// One zod schema per request shape; the OpenAPI document is generated from these same objects.
import { listQuerySchema } from '../shared/pagination';
import { z } from '../shared/zod';
import {
  idField,
  ownershipInput,
  pageOf,
  recordWireFields,
  visibilitySchema,
} from '../openapi/common.schemas';
import { dealStatuses } from './deal.model';

const title = z.string().trim().min(1).max(200).openapi({ example: 'Annual plan' });
const value = z
  .number()
  .min(0)
  .max(1e15)
  .openapi({ description: 'The amount, ≥ 0, in `currency`.', example: 4800 });
const currency = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be an ISO-4217 code of three upper-case letters')
  .openapi({ description: 'ISO-4217 code.', example: 'USD' });
const status = z.enum(dealStatuses).openapi({ description: '`open`, `won` or `lost`.' });
const pipelineId = idField.openapi({ description: "Defaults to the workspace's first pipeline." });
const stageId = idField.openapi({
  description:
    "A stage of the deal's pipeline (else 422); defaults to the first stage. Moving a deal is a PATCH of this.",
});
const contactId = idField.openapi({ description: 'A contact the caller can see in the same workspace.' });

export const dealCreateSchema = z
  .object({
    title,
    value: value.default(0),
    currency: currency.default('USD'),
    pipeline_id: pipelineId.optional(),
    stage_id: stageId.optional(),
    contact_id: contactId.nullable().optional(),
    status: status.default('open'),
    ...ownershipInput,
  })
  .strict()
  .openapi('DealCreate');

export const dealUpdateSchema = z
  .object({
    title: title.optional(),
    value: value.optional(),
    currency: currency.optional(),
    pipeline_id: pipelineId.optional(),
    stage_id: stageId.optional(),
    contact_id: contactId.nullable().optional(),
    status: status.optional(),
    owner_id: ownershipInput.owner_id,
    visibility: visibilitySchema.optional(),
  })
  .strict()
  .openapi('DealUpdate');

export const dealListQuerySchema = listQuerySchema
  .extend({
    pipeline_id: idField.optional(),
    stage_id: idField.optional(),
    status: status.optional(),
    contact_id: idField.optional(),
  })
  .strict();

export const dealSchema = z
  .object({
    ...recordWireFields,
    title: z.string(),
    value: z.number(),
    currency: z.string(),
    pipeline_id: z.string(),
    stage_id: z.string(),
    contact_id: z.string().nullable(),
    status,
  })
  .openapi('Deal');

export const dealPageSchema = pageOf(dealSchema, 'DealPage');

export type DealCreate = z.output<typeof dealCreateSchema>;
export type DealUpdate = z.output<typeof dealUpdateSchema>;
export type DealListQuery = z.output<typeof dealListQuerySchema>;
export type DealWire = z.infer<typeof dealSchema>;
