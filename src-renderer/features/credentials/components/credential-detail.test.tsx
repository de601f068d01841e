// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../../src-shared/domain/types';
import { installFakeApi, uninstallFakeApi } from '../../../test/fake-api';
import { credential } from '../../../test/fixtures';
import { CredentialDetail } from './credential-detail';

afterEach(() => {
  cleanup();
  uninstallFakeApi();
});

describe('the token details', () => {
  it('Activity lists a test (or a use) as soon as the token shows it was tested, not only after an edit', async () => {
    const c = credential({ name: 'deploy' });
    const events: AuditEvent[] = [{ seq: 1, at: c.createdAt, type: 'created', credentialId: c.id, fingerprint: c.fingerprint, note: null }];
    installFakeApi({
      'audit:list': () => [...events].reverse().map((e) => ({ ...e, ref: null })),
      'credentials:value-warnings': () => [],
    });
    const noop = () => undefined;
    const { rerender } = render(<CredentialDetail credential={c} onEdit={noop} onDelete={noop} />);
    const activity = screen.getByRole('region', { name: 'Activity' });
    await within(activity).findByText('Added');

    // A test writes its event and the token's lastTestedAt; updatedAt stays (it is not an edit).
    const testedAt = c.createdAt + 60_000;
    events.push({ seq: 2, at: testedAt, type: 'tested', credentialId: c.id, fingerprint: c.fingerprint, note: 'GET /users → 200' });
    rerender(<CredentialDetail credential={{ ...c, lastTestedAt: testedAt, lastTestOutcome: 'ok' }} onEdit={noop} onDelete={noop} />);
    expect(await within(activity).findByText('GET /users → 200')).toBeTruthy();

    // A use through exec or the proxy: lastUsedAt.
    events.push({ seq: 3, at: testedAt + 1, type: 'used', credentialId: c.id, fingerprint: c.fingerprint, note: 'exec: TOKEN for curl' });
    rerender(<CredentialDetail credential={{ ...c, lastTestedAt: testedAt, lastTestOutcome: 'ok', lastUsedAt: testedAt + 1 }} onEdit={noop} onDelete={noop} />);
    expect(await within(activity).findByText('exec: TOKEN for curl')).toBeTruthy();
  });
});
