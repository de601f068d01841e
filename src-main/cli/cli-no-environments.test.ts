import { describe, expect, it } from 'vitest';
import { usePassphraseCli } from './test-cli';

// issue 12: `workspace add --provider P --no-environments` skips the provider's preset environments.
const { tv } = usePassphraseCli({ vaultDir: 'vault' });

describe('workspace add --no-environments', { timeout: 120_000 }, () => {
  it('adds the provider preset environments by default, and none with --no-environments', () => {
    expect(tv(['init', '--passphrase']).code).toBe(0);

    const withPresets = tv(['workspace', 'add', 'Built default', '--provider', 'built-accounting', '--json']);
    expect(withPresets.code).toBe(0);
    expect((withPresets.json().environments as { name: string }[]).map((e) => e.name).sort()).toEqual(['Production', 'Sandbox']);

    const bare = tv(['workspace', 'add', 'Built bare', '--provider', 'built-accounting', '--no-environments', '--json']);
    expect(bare.code).toBe(0);
    expect(bare.json()).toMatchObject({ name: 'Built bare', providerId: 'built-accounting', environments: [] });
    expect(tv(['env', 'list', 'Built bare', '--json']).json()).toEqual([]);

    // The hint is a command that runs when pasted: the name is shell-quoted (it has a space).
    const hint = tv(['env', 'list', 'Built bare']).stdout;
    expect(hint).toContain("Add one with: tokenvault env add 'Built bare' sandbox --base-url URL");

    // The README's flow then runs as written: the user's own production, no "already exists".
    const own = tv(['env', 'add', 'Built bare', 'production', '--base-url', 'https://web.example.com', '--production']);
    expect(own.code).toBe(0);
    expect(tv(['env', 'list', 'Built bare', '--json']).json()).toMatchObject([{ name: 'production', baseUrl: 'https://web.example.com', production: true }]);
  });

  it('is listed in the usage of workspace add', () => {
    const help = tv(['workspace', 'add', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--no-environments');
  });
});
