import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openInAppBrowser } from './open-browser';

// issue 12: `npm start` says when it could not open a browser, and removes its temporary profile.
const dir = mkdtempSync(join(tmpdir(), 'tokenvault-fake-browser-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fakeBrowser(name: string, body: string): string {
  const file = join(dir, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

function waitFor(lines: string[]): Promise<void> {
  return new Promise((resolve) => {
    const check = () => (lines.length > 0 ? resolve() : setImmediate(check));
    check();
  });
}

describe.skipIf(process.platform === 'win32')('openInAppBrowser', () => {
  it('says so when the browser cannot be started, and leaves no profile behind', async () => {
    const lines: string[] = [];
    const opened = openInAppBrowser(join(dir, 'no-such-browser'), 'http://127.0.0.1:1/#s=x', (l) => lines.push(l));
    await waitFor(lines);
    expect(lines[0]).toMatch(/^Could not open no-such-browser \(.*ENOENT.*\): open the address above in your browser\.$/);
    await opened.close();
    expect(existsSync(opened.profile)).toBe(false);
  });

  it('says so when the browser quits with an error at once', async () => {
    const lines: string[] = [];
    const opened = openInAppBrowser(fakeBrowser('broken-browser', 'exit 3'), 'http://127.0.0.1:1/#s=x', (l) => lines.push(l));
    await waitFor(lines);
    expect(lines).toEqual(['broken-browser quit with exit code 3: open the address above in your browser.']);
    await opened.close();
    expect(existsSync(opened.profile)).toBe(false);
  });

  it('passes the address and the profile, ends a running browser on close and removes the profile', async () => {
    const seen = join(dir, 'args.txt');
    const browser = fakeBrowser('good-browser', `printf '%s\\n' "$@" > '${seen}'\nexec sleep 60`);
    const lines: string[] = [];
    const opened = openInAppBrowser(browser, 'http://127.0.0.1:1/#s=secret', (l) => lines.push(l));
    await new Promise<void>((resolve) => {
      const check = () => (existsSync(seen) ? resolve() : setTimeout(check, 20));
      check();
    });
    expect(existsSync(opened.profile)).toBe(true);
    await opened.close();
    expect(existsSync(opened.profile)).toBe(false);
    expect(readFileSync(seen, 'utf8').split('\n')).toEqual(expect.arrayContaining(['--app=http://127.0.0.1:1/#s=secret', `--user-data-dir=${opened.profile}`]));
    expect(lines).toEqual([]);
  });
});
