import { useEffect, useState, type FormEvent } from 'react';
import { Button } from '../../../components/ui/button';
import { Dialog, DialogBody, DialogFooter } from '../../../components/ui/dialog';
import { Field, FormError } from '../../../components/ui/field';
import { call } from '../../../lib/api';
import { issuesForForm } from '../../../lib/errors';
import { useProvider, useProvidersStore } from '../../../lib/providers-store';

const LABELS = { name: 'Name', email: 'Email', password: 'Password' };

/**
 * For providers with a JWT session (Regen Therapy): sign in with email and
 * password and keep the session as a token. The password goes to the main
 * process once, for the login call, and is dropped from this form's state
 * as soon as the call returns.
 */
export function SignInButton({ providerId, environmentId, where, onSignedIn }: { providerId: string | null; environmentId: string; where: string; onSignedIn?: (id: string) => void }) {
  const { ensure } = useProvidersStore((s) => s.actions);
  const provider = useProvider(providerId);
  const [open, setOpen] = useState(false);
  useEffect(() => {
    if (providerId) void ensure();
  }, [ensure, providerId]);
  const session = provider?.definition.auth.find((a) => a.scheme === 'jwt_session');
  if (!provider || !session) return null;
  return (
    <>
      <Button onClick={() => setOpen(true)}>Sign in</Button>
      {open ? (
        <SignInDialog
          providerName={provider.definition.name}
          environmentId={environmentId}
          where={where}
          onClose={() => setOpen(false)}
          onSignedIn={(id) => {
            setOpen(false);
            onSignedIn?.(id);
          }}
        />
      ) : null}
    </>
  );
}

export function SignInDialog({
  providerName,
  environmentId,
  where,
  onClose,
  onSignedIn,
}: {
  providerName: string;
  environmentId: string;
  where: string;
  onClose: () => void;
  onSignedIn: (id: string) => void;
}) {
  const [name, setName] = useState(`${providerName} session`);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [fields, setFields] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const missing: Record<string, string> = {};
    if (name.trim() === '') missing.name = 'Name must not be empty.';
    if (email.trim() === '') missing.email = 'Email must not be empty.';
    if (password === '') missing.password = 'Password must not be empty.';
    setFields(missing);
    setFormError(null);
    if (Object.keys(missing).length > 0) return;
    setBusy(true);
    try {
      const c = await call('credentials:login', { environmentId, name: name.trim(), email: email.trim(), password });
      setPassword('');
      onSignedIn(c.id);
    } catch (err) {
      setPassword('');
      const r = issuesForForm(err, LABELS);
      setFields(r.fields);
      setFormError(r.form);
      setBusy(false);
    }
  }

  return (
    <Dialog title="Sign in" subtitle={`Signs in to ${providerName} and keeps the session (access and refresh token) in ${where}. Your password is used once and never stored.`} onClose={onClose}>
      <form onSubmit={submit} noValidate autoComplete="off">
        <DialogBody>
          <Field label="Name" error={fields.name} hint="What to call the session in the token list.">
            {(p) => <input {...p} className="input" value={name} onChange={(e) => setName(e.currentTarget.value)} />}
          </Field>
          <Field label="Email" error={fields.email}>
            {(p) => <input {...p} className="input" type="email" autoFocus autoComplete="username" value={email} onChange={(e) => setEmail(e.currentTarget.value)} />}
          </Field>
          <Field label="Password" error={fields.password}>
            {(p) => <input {...p} className="input" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.currentTarget.value)} />}
          </Field>
          <FormError>{formError}</FormError>
        </DialogBody>
        <DialogFooter>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={busy}>
            Sign in
          </Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
