// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { installFakeApi, uninstallFakeApi } from '../../../test/fake-api';
import { credential } from '../../../test/fixtures';
import { SameValueWarning } from './same-value-warning';

afterEach(() => {
  cleanup();
  uninstallFakeApi();
});

describe('the same value in sandbox and production', () => {
  it('is said on the token, naming the other one', async () => {
    const c = credential({ name: 'deploy' });
    const fake = installFakeApi({
      'credentials:value-warnings': () => [{ credentialId: 'cred_00000000000000000099', where: 'Acme/sandbox/ci', production: false, message: 'The same value is stored as Acme/sandbox/ci.' }],
    });
    render(<SameValueWarning credential={c} />);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Same value in sandbox and production.');
    expect(alert.textContent).toContain('Acme/sandbox/ci');
    expect(fake.calls[0]!.input).toEqual({ id: c.id });
  });

  it('says nothing when there is no such twin', async () => {
    const fake = installFakeApi({ 'credentials:value-warnings': () => [] });
    render(<SameValueWarning credential={credential()} />);
    await new Promise((r) => setTimeout(r, 0));
    expect(fake.calls).toHaveLength(1);
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
