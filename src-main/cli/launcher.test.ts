import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findCommand } from './args';
import { pickBundle, type CliManifest } from './launcher';
import { COMMANDS, help } from './main';

/** A manifest as the build writes it, with each command in a bundle of its own name. */
const manifest: CliManifest = {
  version: 'test',
  help: help(),
  commands: COMMANDS.map((c) => ({
    words: c.words,
    valueOptions: Object.entries(c.options)
      .filter(([, o]) => o.type === 'string')
      .map(([n]) => n),
    bundle: c.words.join(' '),
  })),
};

describe('the launcher picks the bundle of the command the parser would run (issue 11)', () => {
  it('for every command, with options and their values before and after the words', () => {
    for (const c of COMMANDS) {
      for (const argv of [c.words, ['--home', '/tmp/x', ...c.words, 'ARG', '--json'], ['--json', ...c.words, '--', 'token', 'list']]) {
        expect(pickBundle(argv, manifest)).toBe(c.words.join(' '));
        expect(findCommand(argv, COMMANDS)?.spec).toBe(c);
      }
    }
  });

  it('a line that names no command goes to the full CLI (null), which explains it', () => {
    expect(pickBundle(['bogus'], manifest)).toBeNull();
    expect(pickBundle(['--home', 'test'], manifest)).toBeNull();
    expect(pickBundle([], manifest)).toBeNull();
  });

  it('the built manifest (when built) lists every command, each in a bundle that exists, and the same help', () => {
    const dir = join(__dirname, '..', '..', 'out', 'cli');
    if (!existsSync(join(dir, 'manifest.json'))) return;
    const built = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as CliManifest;
    expect(built.commands.map((c) => c.words.join(' ')).sort()).toEqual(COMMANDS.map((c) => c.words.join(' ')).sort());
    for (const c of built.commands) expect(existsSync(join(dir, c.bundle))).toBe(true);
    expect(built.help).toBe(help());
  });
});
