import type { z } from 'zod';
import { VaultError } from '../../src-shared/errors';

/** Parses with a schema or throws VALIDATION listing every problem with its field path. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, rootName?: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({
    path: [rootName, ...i.path.map(String)].filter(Boolean).join('.') || '(input)',
    message: i.message,
  }));
  const first = issues[0]!;
  const message =
    issues.length === 1
      ? `${first.path} ${first.message}`
      : `${issues.length} problems: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`;
  throw new VaultError('VALIDATION', message, { issues });
}
