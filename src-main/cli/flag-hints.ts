import { VaultError } from '../../src-shared/errors';

const FLAG: Record<string, string> = { role: '--role', scopes: '--scopes', tokenType: '--token-type' };

/**
 * Runs `fn`; a grant in the wrong field (the catalog's `useField`/`wrongField`
 * details, e.g. `--role Admin` where Coolset decides by scope) is reported in
 * flags: "Use --scopes Admin instead of --role Admin."
 */
export function withFlagHints<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    const d = e instanceof VaultError ? e.details : undefined;
    if (e instanceof VaultError && d && typeof d.useField === 'string' && typeof d.wrongField === 'string' && typeof d.useValue === 'string') {
      const use = FLAG[d.useField];
      const wrong = FLAG[d.wrongField];
      if (use && wrong) {
        throw new VaultError(e.code, `${e.message} Use ${use} ${d.useValue} instead of ${wrong} ${d.useValue}.`, {
          ...(e.issues ? { issues: e.issues } : {}),
          details: d,
        });
      }
    }
    throw e;
  }
}
