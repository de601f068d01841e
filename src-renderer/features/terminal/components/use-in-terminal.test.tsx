// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { credential, environment, workspace } from '../../../test/fixtures';
import { terminalLines, UseInTerminalButton } from './use-in-terminal';

afterEach(cleanup);

describe('Use in terminal', () => {
  it('shows the exec and proxy lines for the token, by the naming rule', () => {
    const ws = workspace({ name: 'Acme' });
    const env = environment({ name: 'production', production: true });
    const c = credential({ name: 'sales', fingerprint: 'sk_l…7890' });
    render(<UseInTerminalButton workspace={ws} environment={env} credential={c} />);
    fireEvent.click(screen.getByRole('button', { name: 'Use in terminal' }));
    expect(screen.getByText("tokenvault exec --map 'ACME_PRODUCTION_SALES_TOKEN=Acme/production/sales' -- your-command")).toBeTruthy();
    expect(screen.getByText("tokenvault proxy 'Acme/production/sales'")).toBeTruthy();
    expect(screen.getByText('ACME_PRODUCTION_BASE_URL')).toBeTruthy();
  });

  it('single-quotes names for a POSIX shell (the quoting `tokenvault env` is tested with in sh and bash)', () => {
    const ws = workspace({ name: "O'Brien & $HOME" });
    const lines = terminalLines(ws, environment({ name: 'dev' }), credential({ name: 'a "b" `c`' }));
    expect(lines.proxy).toBe(`tokenvault proxy 'O'\\''Brien & $HOME/dev/a "b" \`c\`'`);
    expect(lines.variable).toBe('O_BRIEN_HOME_DEV_A_B_C_TOKEN');
  });

  it('is off, with the reason, on a revoked token whose value was wiped (as Reveal/Copy/Test are)', () => {
    const c = credential({ name: 'gone', status: 'revoked', hasValue: false });
    render(<UseInTerminalButton workspace={workspace()} environment={environment()} credential={c} />);
    const button = screen.getByRole('button', { name: 'Use in terminal' }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect(button.title).toBe('gone was revoked and its value wiped from the vault: there is nothing to reveal, copy or test.');
    expect(button.getAttribute('aria-describedby')).toBe(`value-unavailable-${c.id}`);
  });
});
