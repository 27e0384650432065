// One zod schema per request shape; the OpenAPI document is generated from these same objects.
import { listQuerySchema } from '../shared/pagination';
import { z } from '../shared/zod';
import { idField, ownershipInput, pageOf, recordWireFields } from '../openapi/common.schemas';
import { channels, directions } from './message.model';

const direction = z
  .enum(directions)
  .openapi({ description: '`inbound` (from the contact) or `outbound` (to them).' });
const channel = z.enum(channels).openapi({ description: '`email`, `sms`, `chat` or `note`.' });

export const messageCreateSchema = z
  .object({
    contact_id: idField.openapi({
      description: 'A contact the caller can see; the message joins its workspace.',
    }),
    direction,
    channel,
    subject: z.string().trim().min(1).max(500).nullable().optional().openapi({ example: 'Welcome aboard' }),
    body: z.string().min(1).max(10_000).openapi({ example: 'Hi Ada, thanks for signing up!' }),
    sent_at: z.iso
      .datetime({ offset: true })
      .optional()
      .openapi({ description: 'When it was sent (ISO-8601); defaults to now.' }),
    ...ownershipInput,
  })
  .strict()
  .openapi('MessageCreate');

export const messageListQuerySchema = listQuerySchema
  .extend({ contact_id: idField.optional(), direction: direction.optional(), channel: channel.optional() })
  .strict();

export const messageSchema = z
  .object({
    ...recordWireFields,
    contact_id: z.string(),
    direction,
    channel,
    subject: z.string().nullable(),
    body: z.string(),
    sent_at: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('Message');

export const messagePageSchema = pageOf(messageSchema, 'MessagePage');

export type MessageCreate = z.output<typeof messageCreateSchema>;
export type MessageListQuery = z.output<typeof messageListQuerySchema>;
export type MessageWire = z.infer<typeof messageSchema>;
