// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { installFakeApi, uninstallFakeApi } from '../../../test/fake-api';
import { credential } from '../../../test/fixtures';
import { useCredentialsStore } from '../stores/credentials-store';
import { RevealCopy } from './reveal-copy';

const SECRET = 'rg_live_THE_SECRET_VALUE_123456';
const c = credential({ name: 'CI', fingerprint: 'rg_live_TH…3456' });

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  uninstallFakeApi();
});

async function flush() {
  await act(async () => {
    await Promise.resolve();
    await Promise.resolve();
  });
}

describe('Reveal', () => {
  it('shows the value with a countdown, then hides it; the value never reaches a store', async () => {
    installFakeApi({ 'credentials:reveal': () => ({ value: SECRET, hideAfterSeconds: 3 }) });
    const onAudited = vi.fn();
    render(<RevealCopy credential={c} onAudited={onAudited} />);
    expect(screen.getByText('rg_live_TH…3456')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Reveal' }));
    await flush();
    expect(screen.getByText(SECRET)).toBeTruthy();
    expect(screen.getByRole('timer').textContent).toBe('Hides in 3 s');
    expect(onAudited).toHaveBeenCalled();
    expect(JSON.stringify(useCredentialsStore.getState())).not.toContain(SECRET);
    await act(async () => {
      vi.advanceTimersByTime(1000);
    });
    expect(screen.getByRole('timer').textContent).toBe('Hides in 2 s');
    await act(async () => {
      vi.advanceTimersByTime(2100);
    });
    expect(screen.queryByText(SECRET)).toBeNull();
    expect(screen.getByRole('button', { name: 'Reveal' })).toBeTruthy();
  });

  it('Hide drops the value at once, and so does unmounting', async () => {
    installFakeApi({ 'credentials:reveal': () => ({ value: SECRET, hideAfterSeconds: 60 }) });
    const { unmount } = render(<RevealCopy credential={c} onAudited={() => undefined} />);
    fireEvent.click(screen.getByRole('button', { name: 'Reveal' }));
    await flush();
    fireEvent.click(screen.getByRole('button', { name: 'Hide' }));
    expect(screen.queryByText(SECRET)).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Reveal' }));
    await flush();
    expect(screen.getByText(SECRET)).toBeTruthy();
    unmount();
    expect(document.body.textContent).not.toContain(SECRET);
  });
});

describe('Copy in browser mode', () => {
  it('writes the clipboard, says when it clears, and clears it only if it still holds the value', async () => {
    let clipboard = '';
    const writeText = vi.fn(async (t: string) => {
      clipboard = t;
    });
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText, readText: async () => clipboard } });
    installFakeApi({ 'credentials:copy': () => ({ value: SECRET, clearAfterSeconds: 30 }) }, 'browser');
    render(<RevealCopy credential={c} onAudited={() => undefined} />);
    fireEvent.click(screen.getByRole('button', { name: 'Copy' }));
    await flush();
    await flush();
    expect(clipboard).toBe(SECRET);
    expect(screen.getByText('Copied — clears in 30 s')).toBeTruthy();
    await act(async () => {
      vi.advanceTimersByTime(30_000);
    });
    await flush();
    expect(clipboard).toBe('');

    // A second copy, then the user copies something else: that is left alone.
    fireEvent.click(screen.getByRole('button', { name: 'Copy' }));
    await flush();
    await flush();
    expect(clipboard).toBe(SECRET);
    clipboard = 'something the user copied';
    await act(async () => {
      vi.advanceTimersByTime(30_000);
    });
    await flush();
    expect(clipboard).toBe('something the user copied');
  });

  it('clears anyway when the page may not read the clipboard', async () => {
    let clipboard = '';
    Object.defineProperty(navigator, 'clipboard', {
      configurable: true,
      value: {
        writeText: async (t: string) => {
          clipboard = t;
        },
        readText: async () => {
          throw new DOMException('Read permission denied.', 'NotAllowedError');
        },
      },
    });
    installFakeApi({ 'credentials:copy': () => ({ value: SECRET, clearAfterSeconds: 5 }) }, 'browser');
    render(<RevealCopy credential={c} onAudited={() => undefined} />);
    fireEvent.click(screen.getByRole('button', { name: 'Copy' }));
    await flush();
    await flush();
    expect(clipboard).toBe(SECRET);
    await act(async () => {
      vi.advanceTimersByTime(5_000);
    });
    await flush();
    expect(clipboard).toBe('');
  });
});

describe('a revoked token whose value was wiped (issue 12)', () => {
  it('offers Reveal and Copy disabled, with the reason beside them, and never calls the API', () => {
    const reveal = vi.fn();
    installFakeApi({ 'credentials:reveal': reveal, 'credentials:copy': reveal });
    render(<RevealCopy credential={credential({ name: 'ESG reporting', status: 'revoked', hasValue: false })} onAudited={() => undefined} />);
    const reason = screen.getByTestId('value-unavailable');
    expect(reason.textContent).toBe('ESG reporting was revoked and its value wiped from the vault: there is nothing to reveal, copy or test.');
    for (const name of ['Reveal', 'Copy']) {
      const button = screen.getByRole('button', { name }) as HTMLButtonElement;
      expect(button.disabled).toBe(true);
      expect(button.getAttribute('aria-describedby')).toBe(reason.id);
      fireEvent.click(button);
    }
    expect(reveal).not.toHaveBeenCalled();
  });

  it('keeps them for a revoked token whose value was kept (forensics)', () => {
    installFakeApi({});
    render(<RevealCopy credential={credential({ status: 'revoked', hasValue: true })} onAudited={() => undefined} />);
    expect((screen.getByRole('button', { name: 'Reveal' }) as HTMLButtonElement).disabled).toBe(false);
    expect(screen.queryByTestId('value-unavailable')).toBeNull();
  });
});
