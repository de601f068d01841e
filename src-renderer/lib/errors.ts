import { ApiError } from './api';

const GENERIC = 'Something went wrong; the action did not complete. Try again.';

/**
 * The sentence to show for a failed action. ApiError messages are written for
 * users by the main process; anything else is an internal error whose text
 * (a stack, a TypeError) means nothing to a user and is never shown.
 */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  return GENERIC;
}

export interface FieldIssues {
  /** Sentences per form field, keyed by the field's issue path (`name`, `secret.value`…). */
  fields: Record<string, string>;
  /** What no field on the form can show: said once above the buttons. */
  form: string | null;
}

/**
 * Spreads an error over a form: each VALIDATION issue goes to the field whose
 * path it names (an issue at `scopes.2` belongs to `scopes`), prefixed with
 * the field's label so it reads as a sentence ("Name must not be empty.");
 * a field shows its first issue only.
 * Issues for paths the form has no field for, and every other error, become
 * the form-level message.
 */
export function issuesForForm(e: unknown, labels: Record<string, string>): FieldIssues {
  if (!(e instanceof ApiError) || e.issues.length === 0) return { fields: {}, form: errorMessage(e) };
  const fields: Record<string, string> = {};
  const orphans: string[] = [];
  const paths = Object.keys(labels).sort((a, b) => b.length - a.length);
  for (const issue of e.issues) {
    const field = paths.find((p) => issue.path === p || issue.path.startsWith(`${p}.`) || issue.path.startsWith(`${p}[`));
    if (field === undefined) {
      orphans.push(`${issue.path} ${issue.message}`);
      continue;
    }
    // The first problem per field is the one to fix first; the next ones
    // often restate it ("must not be empty", "must be printable characters").
    fields[field] ??= toSentence(`${labels[field]} ${issue.message}`);
  }
  const form = orphans.length > 0 ? toSentence(orphans.join('; ')) : Object.keys(fields).length > 0 ? null : e.message;
  return { fields, form };
}

function toSentence(s: string): string {
  const t = s.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}
