import { readFileSync } from 'node:fs';
import { writePrivateFile } from '../platform/write-private-file';
import { join } from 'node:path';
import * as z from 'zod';

const WindowState = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(400).max(10000),
  height: z.number().int().min(300).max(10000),
  maximized: z.boolean().default(false),
});
export type WindowState = z.infer<typeof WindowState>;

const DEFAULT: WindowState = { width: 1200, height: 800, maximized: false };

/** Window size and position, kept beside the vault (plain numbers, nothing secret). */
export function loadWindowState(home: string): WindowState {
  try {
    return WindowState.parse(JSON.parse(readFileSync(join(home, 'window-state.json'), 'utf8')));
  } catch {
    return DEFAULT;
  }
}

export function saveWindowState(home: string, state: WindowState): void {
  try {
    writePrivateFile(join(home, 'window-state.json'), JSON.stringify(state));
  } catch {
    // Losing the window position is not worth an error dialog.
  }
}
