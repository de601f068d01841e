import { chmodSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { writePrivateFile } from '../platform/write-private-file';
import { join } from 'node:path';
import { VaultError } from '../../src-shared/errors';
import {
  builtinProviders,
  definitionIssuesPayload,
  getBuiltinProvider,
  parseProviderDefinition,
  type ProviderDefinition,
} from '../../src-shared/providers';

export interface ProviderEntry {
  definition: ProviderDefinition;
  source: 'builtin' | 'user';
}

/**
 * Built-in provider definitions plus the user's own, kept as JSON files in
 * `<home>/providers/` (a definition names APIs and paths, never a secret).
 * Every user file is validated on load like on add; a file that no longer
 * validates is reported, not silently dropped.
 */
export class ProviderRegistry {
  private readonly dir: string;
  private user = new Map<string, ProviderDefinition>();
  readonly loadErrors: { file: string; message: string }[] = [];

  constructor(home: string) {
    this.dir = join(home, 'providers');
    this.reload();
  }

  /** Where the user's definitions live (`<home>/providers`). */
  get folder(): string {
    return this.dir;
  }

  reload(): void {
    this.user = new Map();
    this.loadErrors.length = 0;
    let files: string[];
    try {
      files = readdirSync(this.dir).filter((f) => f.endsWith('.json'));
    } catch {
      return; // no providers folder yet: only the built-ins
    }
    for (const file of files) {
      try {
        const parsed = parseProviderDefinition(readFileSync(join(this.dir, file), 'utf8'));
        if (parsed.ok) this.user.set(parsed.definition.id, parsed.definition);
        else this.loadErrors.push({ file, message: parsed.errors.map((e) => `${e.path}: ${e.reason}`).join('; ') });
      } catch (e) {
        this.loadErrors.push({ file, message: (e as Error).message });
      }
    }
  }

  list(): ProviderEntry[] {
    return [
      ...builtinProviders().map((definition) => ({ definition, source: 'builtin' as const })),
      ...[...this.user.values()].map((definition) => ({ definition, source: 'user' as const })),
    ];
  }

  get(id: string): ProviderDefinition | null {
    return getBuiltinProvider(id) ?? this.user.get(id) ?? null;
  }

  require(id: string): ProviderDefinition {
    const def = this.get(id);
    if (!def) {
      const known = this.list().map((p) => p.definition.id).join(', ');
      throw new VaultError('VALIDATION', `There is no provider "${id}". Known providers: ${known}.`, {
        issues: [{ path: 'providerId', message: `is not a known provider (${known})` }],
      });
    }
    return def;
  }

  /**
   * Gives one of the user's providers the role matrix parsed from a table.
   * Built-in models come from the providers' documents and stay as they are.
   */
  setRoleMatrix(id: string, model: NonNullable<ProviderDefinition['roles']>): ProviderDefinition {
    const def = this.require(id);
    if (getBuiltinProvider(id)) {
      throw new VaultError('CONFLICT', `${def.name} is built in: its permission model comes from its documents. Add your own provider (provider add) to import a table into.`);
    }
    const file = join(this.dir, `${id}.json`);
    const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    return this.add({ ...raw, roles: model });
  }

  /** Validates and stores a user's definition (JSON text or value); replaces an earlier user one with the same id. */
  add(json: unknown): ProviderDefinition {
    const parsed = parseProviderDefinition(json);
    if (!parsed.ok) {
      const payload = definitionIssuesPayload(parsed.errors);
      throw new VaultError('VALIDATION', payload.message, payload.issues ? { issues: payload.issues } : {});
    }
    const def = parsed.definition;
    if (getBuiltinProvider(def.id)) {
      throw new VaultError('CONFLICT', `"${def.id}" is a built-in provider; give your definition another id.`);
    }
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    chmodSync(this.dir, 0o700);
    // Owner-only, written then renamed: a crash never leaves half a definition behind.
    writePrivateFile(join(this.dir, `${def.id}.json`), JSON.stringify(typeof json === 'string' ? JSON.parse(json) : json, null, 2));
    this.user.set(def.id, def);
    return def;
  }
}
