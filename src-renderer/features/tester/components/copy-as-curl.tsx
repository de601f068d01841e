import { useState } from 'react';
import type { ChannelInput, CurlCommand } from '../../../../src-shared/ipc/contract';
import { Button } from '../../../components/ui/button';
import { Dialog, DialogBody, DialogFooter } from '../../../components/ui/dialog';
import { call } from '../../../lib/api';
import { errorMessage } from '../../../lib/errors';

export type CurlRequest = ChannelInput<'requests:curl'>;

/** Writes non-secret text (a command line) to the clipboard; false when the page may not. */
async function writeText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * "Copy as curl" (issue 12): the main process builds the exact request —
 * method, URL, every header — with the token as `$TOKEN`, and the same call
 * through `tokenvault exec`. The page only ever sees those lines: the token's
 * value never comes here. Copies the curl line and shows both.
 */
export function CopyAsCurl({ request }: { request: CurlRequest }) {
  const [lines, setLines] = useState<CurlCommand | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState<'curl' | 'exec' | null>(null);

  async function open() {
    setError(null);
    try {
      const r = await call('requests:curl', request);
      setLines(r);
      setCopied((await writeText(r.curl)) ? 'curl' : null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  return (
    <>
      <Button size="sm" onClick={() => void open()}>
        Copy as curl
      </Button>
      {error ? (
        <span className="detail-message is-error" role="alert">
          {error}
        </span>
      ) : null}
      {lines ? (
        <Dialog title="Copy as curl" subtitle="The exact request, with the token as $TOKEN — set it yourself, or let tokenvault exec set it for the command only." onClose={() => setLines(null)} size="lg">
          <DialogBody>
            <CurlLine label="curl" text={lines.curl} copied={copied === 'curl'} onCopy={async () => setCopied((await writeText(lines.curl)) ? 'curl' : null)} />
            <CurlLine label="tokenvault exec" text={lines.exec} copied={copied === 'exec'} onCopy={async () => setCopied((await writeText(lines.exec)) ? 'exec' : null)} />
          </DialogBody>
          <DialogFooter>
            <Button variant="primary" onClick={() => setLines(null)}>
              Close
            </Button>
          </DialogFooter>
        </Dialog>
      ) : null}
    </>
  );
}

function CurlLine({ label, text, copied, onCopy }: { label: string; text: string; copied: boolean; onCopy: () => void | Promise<void> }) {
  return (
    <section className="curl-line" aria-label={label}>
      <div className="curl-line-head">
        <span className="curl-line-label">{label}</span>
        <Button size="sm" aria-label={`Copy the ${label} line`} onClick={() => void onCopy()}>
          {copied ? 'Copied' : 'Copy'}
        </Button>
      </div>
      <pre className="curl-line-code" tabIndex={0}>
        {text}
      </pre>
    </section>
  );
}
