// Input validation shared by every emulator's test hooks and the control API.
import type * as z from 'zod';

/** Bad input to a test hook or control route (the control API answers HTTP 400). */
export class SandboxInputError extends Error {}

export function parseInput<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new SandboxInputError(parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; '));
  return parsed.data;
}
