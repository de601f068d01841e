import { useState, type FormEvent } from 'react';
import type { VerificationCall } from '../../../../src-shared/domain/revocation-types';
import { Button } from '../../../components/ui/button';
import { Field, FormError } from '../../../components/ui/field';
import { call } from '../../../lib/api';
import { errorMessage } from '../../../lib/errors';
import { verificationSentence } from '../lib/words';

/** The follow-up call's answer, as a sentence, toned by what it proves. */
export function VerificationLine({ v }: { v: VerificationCall | null }) {
  if (!v) return <p className="rev-verification muted">No verification call could be sent.</p>;
  const tone = v.outcome === 'unauthorized' ? 'is-dead' : v.outcome === 'ok' ? 'is-alive' : 'is-unclear';
  return (
    <p className={`rev-verification ${tone}`} data-testid="verification">
      <strong>Verification:</strong> {verificationSentence(v)}
    </p>
  );
}

/** Production: the token's name, typed, before anything irreversible. */
export function ConfirmNameField({ name, value, onChange }: { name: string; value: string; onChange: (v: string) => void }) {
  return (
    <Field label="Type the token's name to confirm" hint={<>This is a production token. Type <strong>{name}</strong> exactly.</>}>
      {(p) => <input {...p} className="input" autoComplete="off" spellCheck={false} value={value} onChange={(e) => onChange(e.currentTarget.value)} />}
    </Field>
  );
}

/**
 * Signs in the provider's management session (Strapi: an admin login) in
 * this environment. The password is sent once and never kept.
 */
export function ManagementSignIn({ environmentId, providerName, onSignedIn }: { environmentId: string; providerName: string; onSignedIn: () => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    e.stopPropagation();
    setBusy(true);
    setError(null);
    try {
      await call('credentials:login', { environmentId, name: `${providerName} admin session`, email: email.trim(), password });
      setPassword('');
      onSignedIn();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="rev-signin" onSubmit={submit} noValidate>
      <p className="rev-signin-lead">
        Managing {providerName} tokens needs an admin sign-in in this environment. Tokenvault keeps the session, not the password.
      </p>
      <Field label="Admin email">{(p) => <input {...p} className="input" type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.currentTarget.value)} />}</Field>
      <Field label="Admin password">
        {(p) => <input {...p} className="input" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.currentTarget.value)} />}
      </Field>
      <FormError>{error}</FormError>
      <Button type="submit" busy={busy} disabled={email.trim() === '' || password === ''}>
        Sign in
      </Button>
    </form>
  );
}

/** The portal checklist: steps to tick, where in the portal, and a plain https link. */
export function PortalChecklist({ steps, url, portalPage, providerName }: { steps: string[]; url: string | null; portalPage: string | null; providerName: string }) {
  const [done, setDone] = useState<boolean[]>(() => steps.map(() => false));
  const safeUrl = url && /^https:\/\//i.test(url) ? url : null;
  return (
    <div className="rev-checklist">
      {portalPage ? (
        <p>
          In the {providerName} portal: <strong>{portalPage}</strong>
        </p>
      ) : null}
      <ol className="rev-steps" aria-label="Steps in the portal">
        {steps.map((s, i) => (
          <li key={i}>
            <label>
              <input type="checkbox" checked={done[i] ?? false} onChange={(e) => setDone((d) => d.map((x, j) => (j === i ? e.currentTarget.checked : x)))} /> {s}
            </label>
          </li>
        ))}
      </ol>
      {safeUrl ? (
        <p>
          <a href={safeUrl} target="_blank" rel="noreferrer noopener" className="rev-portal-link">
            Open the {providerName} portal
          </a>{' '}
          <span className="muted">({safeUrl})</span>
        </p>
      ) : url ? (
        <p className="muted">Portal address (not https, so not linked): {url}</p>
      ) : null}
    </div>
  );
}
