import { afterEach, describe, expect, it, vi } from 'vitest';
import { commandHelp, GLOBAL_OPTIONS, optionsNamedIn, parseCommand, usageLine, type CommandSpec } from './args';
import { parseTimeout } from './commands/request-commands';
import { COMMANDS, main } from './main';

/**
 * The CLI's usage is its parser: every option a usage line or `--help` shows
 * comes from the table parseArgs reads, and every one of them parses. Walks
 * every registered command, so a command added later is checked too.
 */

/** Arguments that satisfy a command's positionals: enough placeholders for its minimum. */
const positionals = (spec: CommandSpec) => Array.from({ length: spec.positionals[0] }, (_, i) => `ARG${i}`);

/** One use of an option, as a user would type it. */
function use(name: string, o: { type: string }): string[] {
  return o.type === 'string' ? [`--${name}`, 'value'] : [`--${name}`];
}

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => (out.push(String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => (err.push(String(s)), true));
  return { out: () => out.join(''), err: () => err.join('') };
}

describe('every command', () => {
  it('has commands to walk', () => {
    expect(COMMANDS.length).toBeGreaterThan(15);
  });

  for (const spec of COMMANDS) {
    const name = spec.words.join(' ');
    describe(name, () => {
      it('names in its synopsis only options its parser reads', () => {
        for (const option of optionsNamedIn(spec.usage)) {
          expect(Object.keys({ ...GLOBAL_OPTIONS, ...spec.options }), `${name}: "--${option}" is in the usage but not in the option table`).toContain(option);
        }
      });

      it('parses every option its usage line and --help list', () => {
        const line = usageLine(spec);
        const help = commandHelp(spec);
        for (const [option, o] of Object.entries(spec.options)) {
          expect(line).toContain(`--${option}`);
          expect(help).toContain(`--${option}`);
          const parsed = parseCommand(spec, [...positionals(spec), ...use(option, o)]);
          expect(parsed.values[option]).toEqual(o.type === 'string' ? (o.multiple ? ['value'] : 'value') : o.multiple ? [true] : true);
        }
        // And nothing in the usage line that the parser would refuse.
        for (const option of optionsNamedIn(line)) expect(Object.keys({ ...GLOBAL_OPTIONS, ...spec.options })).toContain(option);
      });

      it('answers --help on standard output with exit 0, even next to invalid arguments', async () => {
        const io = capture();
        const code = await main([...spec.words, '--no-such-option', 'x', 'y', 'z', '--help']);
        expect(code).toBe(0);
        expect(io.out()).toContain(`Usage: tokenvault ${usageLine(spec)}`);
        expect(io.err()).toBe('');
      });
    });
  }
});

describe('tokenvault test', () => {
  it('takes the --timeout its usage lists (it used to answer "Unknown option")', () => {
    const test = COMMANDS.find((c) => c.words.join(' ') === 'test')!;
    expect(usageLine(test)).toContain('[--timeout DURATION]');
    expect(parseCommand(test, ['Acme/sandbox/ci', '--timeout', '2s']).values.timeout).toBe('2s');
    expect(parseTimeout('2s')).toBe(2000);
    expect(parseTimeout('500ms')).toBe(500);
    expect(parseTimeout('1m')).toBe(60_000);
    expect(parseTimeout('3')).toBe(3000);
    for (const bad of ['0s', 'soon', '11m', '-1s']) expect(() => parseTimeout(bad)).toThrow(/--timeout/);
  });

  it('-h works like --help, and the general help is on standard output too', async () => {
    const io = capture();
    expect(await main(['test', '-h'])).toBe(0);
    expect(io.out()).toContain('--force');
    expect(await main(['--help'])).toBe(0);
    expect(io.out()).toContain('tokenvault — a vault for API tokens');
  });

  it('still refuses an unknown option, with the generated usage', async () => {
    const io = capture();
    expect(await main(['test', 'Acme/sandbox/ci', '--bogus'])).toBe(2);
    expect(io.err()).toContain("Unknown option '--bogus'");
    expect(io.err()).toContain('[--timeout DURATION]');
  });
});
