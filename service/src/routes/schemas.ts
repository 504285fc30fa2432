/**
 * Answer shapes shared by the routes: each is the response schema that serializes the answer and
 * describes it in the OpenAPI document (GET /api/openapi.json).
 */
import { z } from 'zod';

export const errorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});

export const roleSchema = z.enum(['owner', 'editor', 'viewer']);

export const projectSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string().nullable(),
  owner_id: z.uuid(),
  role: roleSchema.describe("the caller's role on the project"),
  created_at: z.date(),
});

export const decisionSchema = z.object({
  id: z.uuid(),
  project_id: z.uuid(),
  transcript_id: z.uuid().nullable(),
  title: z.string(),
  rationale: z.string().nullable(),
  owner: z.string().nullable(),
  confidence: z.number().nullable(),
  quote: z.string().nullable(),
  created_at: z.date(),
});

export const idParams = z.object({ id: z.string().describe('project id (uuid)') });
