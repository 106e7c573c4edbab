import { z } from '@hono/zod-openapi';
import { SCOPES } from '../../scopes';
import { printableName } from '../schemas/common';

export const TokenCreateSchema = z
  .object({
    name: printableName('a token name').openapi({
      description: 'What logs, the audit log and retrain jobs call the token',
      example: 'grafana',
    }),
    scopes: z
      .array(z.enum(SCOPES))
      .min(1)
      .openapi({
        description: 'read: query; ingest: upload data; operate: schedule/cancel retraining; admin: everything',
        example: ['read'],
      }),
  })
  .strict()
  .openapi('TokenCreate', { example: { name: 'grafana', scopes: ['read'] } });

export const TokenInfoSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    scopes: z.array(z.enum(SCOPES)),
    created_at: z.string(),
    revoked_at: z.string().nullable(),
  })
  .openapi('TokenInfo');

export const CreatedTokenSchema = TokenInfoSchema.extend({
  token: z.string().openapi({ description: 'The bearer token, shown only in this response' }),
}).openapi('CreatedToken');

export const WhoAmISchema = z
  .object({
    token_id: z.string(),
    name: z.string(),
    scopes: z.array(z.enum(SCOPES)),
  })
  .openapi('WhoAmI');
