import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The data directory, shared by the app and the CLI so both see one vault:
 * `TOKENVAULT_HOME` when set, else the platform's per-user config folder.
 */
export function resolveHome(explicit?: string, env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (explicit) return explicit;
  if (env.TOKENVAULT_HOME) return env.TOKENVAULT_HOME;
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Tokenvault');
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Tokenvault');
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'tokenvault');
}
