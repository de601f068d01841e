import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * better-sqlite3 is a native addon, built for one ABI. node_modules holds the
 * build for Node (CLI, tests, browser mode); `npm install` also tries to build
 * a copy for Electron's ABI into .cache/electron-native/ (scripts/postinstall.cjs).
 * Inside Electron we load that copy through better-sqlite3's `nativeBinding`.
 */
export function electronNativeBinding(appRoot: string): string | undefined {
  if (!process.versions.electron) return undefined;
  const file = join(appRoot, '.cache', 'electron-native', `electron-${process.versions.electron}`, 'better_sqlite3.node');
  return existsSync(file) ? file : undefined;
}
