import { Settings, SettingsPatch, SETTINGS_DEFAULTS } from '../../src-shared/domain/schemas';
import type { Db } from './db';
import { parseInput } from './validate';

type ParsedSettingsPatch = ReturnType<typeof SettingsPatch.parse>;

/**
 * The `settings` table: plain preferences (no user secrets), one JSON value
 * per key, readable while locked (auto-lock must work then too).
 */
export class SettingsRepository {
  constructor(private readonly db: Db) {}

  /** The stored settings over the defaults; a stored set that no longer parses reads as the defaults. */
  get(): Settings {
    const rows = this.db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[];
    const stored: Record<string, unknown> = {};
    for (const r of rows) stored[r.key] = JSON.parse(r.value);
    const merged = { ...SETTINGS_DEFAULTS, ...stored };
    const parsed = Settings.safeParse(merged);
    return parsed.success ? parsed.data : { ...SETTINGS_DEFAULTS };
  }

  /** Validates a patch (VALIDATION on a bad one, before any write). */
  parsePatch(patch: unknown): ParsedSettingsPatch {
    return parseInput(SettingsPatch, patch);
  }

  /** Stores each key the patch sets; call inside a write transaction. */
  put(p: ParsedSettingsPatch): void {
    const put = this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
    for (const [k, v] of Object.entries(p)) if (v !== undefined) put.run(k, JSON.stringify(v));
  }
}
