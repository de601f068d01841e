import { useState } from 'react';
import { baseUrlVarName, quotePosix, tokenVarName } from '../../../../src-shared/domain/env-vars';
import type { CredentialSummary, Environment, Workspace } from '../../../../src-shared/domain/types';
import { valueUnavailableReason } from '../../../../src-shared/domain/value-state';
import { Button } from '../../../components/ui/button';
import { Dialog } from '../../../components/ui/dialog';
import './terminal.css';

export interface TerminalLines {
  variable: string;
  baseUrlVariable: string | null;
  exec: string;
  proxy: string;
}

/**
 * The command lines that use a token without pasting it (issue 13): `exec`
 * with the variable the naming rule gives it, and `proxy`. Names are the
 * user's text, so every argument is single-quoted for a POSIX shell.
 */
export function terminalLines(workspace: Workspace, environment: Environment, credential: CredentialSummary): TerminalLines {
  const ref = `${workspace.name}/${environment.name}/${credential.name}`;
  const variable = tokenVarName(workspace.name, environment.name, credential.name) ?? 'TOKEN';
  return {
    variable,
    baseUrlVariable: baseUrlVarName(workspace.name, environment.name),
    exec: `tokenvault exec --map ${quotePosix(`${variable}=${ref}`)} -- your-command`,
    proxy: `tokenvault proxy ${quotePosix(ref)}`,
  };
}

function Line({ label, text }: { label: string; text: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="terminal-line">
      <div className="terminal-line-label">{label}</div>
      <code className="terminal-line-code">{text}</code>
      <Button
        size="sm"
        aria-label={`Copy the ${label} line`}
        onClick={() => {
          void navigator.clipboard?.writeText(text).then(() => setCopied(true));
        }}
      >
        {copied ? 'Copied' : 'Copy'}
      </Button>
    </div>
  );
}

/** "Use in terminal" on a token: the lines to run, nothing secret in them. */
export function UseInTerminalButton({ workspace, environment, credential }: { workspace: Workspace; environment: Environment; credential: CredentialSummary }) {
  const [open, setOpen] = useState(false);
  const lines = terminalLines(workspace, environment, credential);
  // A revoked token whose value was wiped: nothing to put in a terminal, so off with the reason (as Reveal/Copy/Test are).
  const unavailable = valueUnavailableReason(credential);
  const off = unavailable ? { disabled: true, title: unavailable, 'aria-describedby': `value-unavailable-${credential.id}` } : {};
  return (
    <>
      <Button onClick={() => setOpen(true)} {...off}>
        Use in terminal
      </Button>
      {open ? (
        <Dialog title="Use in terminal" subtitle={`${credential.name} · ${credential.fingerprint}`} onClose={() => setOpen(false)}>
          <p className="terminal-hint">
            Run a command with the token in its environment as <code>{lines.variable}</code>
            {lines.baseUrlVariable ? (
              <>
                {' '}
                (and the base URL as <code>{lines.baseUrlVariable}</code>)
              </>
            ) : null}
            . Add <code>--mask</code> to hide the value in its output.
          </p>
          <Line label="exec" text={lines.exec} />
          <p className="terminal-hint">
            Or serve it on 127.0.0.1: the proxy prints its address and a secret to send in the <code>X-Tokenvault-Proxy-Secret</code> header, and your client never
            holds the token.
          </p>
          <Line label="proxy" text={lines.proxy} />
          {environment.production ? <p className="terminal-hint">Production: exec asks you to confirm; the proxy refuses writes unless started with --arm.</p> : null}
        </Dialog>
      ) : null}
    </>
  );
}
