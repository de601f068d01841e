import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { HTTP_METHODS, SAFE_METHODS, type HttpMethod } from '../../../../src-shared/domain/http-method';
import type { TestResult } from '../../../../src-shared/ipc/contract';
import type { CheckResult } from '../../../../src-shared/roles';
import { Button } from '../../../components/ui/button';
import { Dialog, DialogBody, DialogFooter } from '../../../components/ui/dialog';
import { Field, FormError } from '../../../components/ui/field';
import { PlusIcon, TrashIcon, WarningIcon } from '../../../components/ui/icons';
import { call } from '../../../lib/api';
import { useProvider, useProvidersStore } from '../../../lib/providers-store';
import { ArmProduction } from './arm-production';
import { PreflightLine } from './preflight-line';
import { TestResultView } from './test-result-view';
import type { CurlRequest } from './copy-as-curl';
import { describeError, TestError } from './token-tester';
import type { TokenContext } from './tool-context';

interface HeaderRow {
  key: number;
  name: string;
  value: string;
}

const WITH_BODY: readonly string[] = ['POST', 'PUT', 'PATCH', 'DELETE'];

/** Turns the typed rows and body into the request's parts, or says what is wrong. */
export function buildRequest(
  method: string,
  path: string,
  rows: HeaderRow[],
  body: string,
): { ok: true; headers?: Record<string, string>; body?: string } | { ok: false; message: string } {
  if (!path.trim().startsWith('/')) return { ok: false, message: 'Path must start with /, e.g. /users?limit=5.' };
  const headers: Record<string, string> = {};
  for (const r of rows) {
    const name = r.name.trim();
    if (name === '' && r.value.trim() === '') continue;
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/.test(name)) return { ok: false, message: `“${name || '(empty)'}” is not a valid header name.` };
    if (/^(authorization|x-api-key)$/i.test(name)) return { ok: false, message: `${name} is set by Tokenvault from the token; leave it out.` };
    headers[name] = r.value;
  }
  let sendBody: string | undefined;
  if (WITH_BODY.includes(method) && body.trim() !== '') {
    try {
      JSON.parse(body);
    } catch (e) {
      return { ok: false, message: `The body is not valid JSON: ${(e as Error).message}` };
    }
    sendBody = body;
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
  }
  return { ok: true, ...(Object.keys(headers).length > 0 ? { headers } : {}), ...(sendBody !== undefined ? { body: sendBody } : {}) };
}

/**
 * The request panel: any method and path with this token, sent by the main
 * process. Before sending, the documented model says whether the token's
 * role allows the call; a denial warns but does not stop ("Send anyway"),
 * since finding where documents and reality differ is the point.
 */
export function RequestDialog({ context, onClose, onSent }: { context: TokenContext; onClose: () => void; onSent?: () => void }) {
  const { credential, workspace, environment } = context;
  const { ensure } = useProvidersStore((s) => s.actions);
  const provider = useProvider(workspace.providerId);
  const presets = useMemo(() => provider?.definition.testPresets ?? [], [provider]);
  const [presetId, setPresetId] = useState('');
  const [method, setMethod] = useState<HttpMethod>('GET');
  const [path, setPath] = useState('/');
  const [rows, setRows] = useState<HeaderRow[]>([{ key: 0, name: '', value: '' }]);
  const [body, setBody] = useState('');
  const [preflight, setPreflight] = useState<CheckResult | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [sendError, setSendError] = useState<{ message: string; until: number | null } | null>(null);
  const [result, setResult] = useState<TestResult | null>(null);
  // What the shown result answered, for "Copy as curl", and so the pre-flight is said once (by the result) until the form changes.
  const [sent, setSent] = useState<CurlRequest | null>(null);
  const [busy, setBusy] = useState(false);
  const [armed, setArmed] = useState(false);

  useEffect(() => {
    void ensure();
  }, [ensure]);

  // Prefill from the provider's first preset once the definitions are in (once).
  const prefilled = useRef(false);
  useEffect(() => {
    const first = presets[0];
    if (first && !prefilled.current) {
      prefilled.current = true;
      setPresetId(first.id);
      setMethod(first.method);
      setPath(first.path);
    }
  }, [presets]);

  // Pre-flight, a moment after the user stops typing.
  useEffect(() => {
    if (!path.startsWith('/')) {
      setPreflight(null);
      return;
    }
    let live = true;
    const t = setTimeout(() => {
      call('checks:check', { credentialId: credential.id, method, path })
        .then((r) => live && setPreflight(r))
        .catch(() => live && setPreflight(null));
    }, 200);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [credential.id, method, path]);

  function choosePreset(id: string) {
    setPresetId(id);
    const p = presets.find((x) => x.id === id);
    if (p) {
      setMethod(p.method);
      setPath(p.path);
    }
  }

  async function send(e: FormEvent | null, force = false) {
    e?.preventDefault();
    setFormError(null);
    const built = buildRequest(method, path.trim(), rows, body);
    if (!built.ok) return setFormError(built.message);
    setBusy(true);
    setSendError(null);
    try {
      const request: CurlRequest = {
        credentialId: credential.id,
        method,
        path: path.trim(),
        ...(built.headers ? { headers: built.headers } : {}),
        ...(built.body !== undefined ? { body: built.body } : {}),
      };
      const r = await call('requests:send', { ...request, method, path: path.trim(), ...(force ? { force: true } : {}) });
      setResult(r);
      setSent(request);
    } catch (err) {
      setResult(null);
      setSendError(describeError(err));
    } finally {
      setBusy(false);
      onSent?.();
    }
  }

  const write = !SAFE_METHODS.includes(method);
  const lockedOut = environment.production && write && !armed;
  const denied = preflight?.decision === 'denied';
  const preset = presets.find((p) => p.id === presetId);

  return (
    <Dialog
      title="Send request"
      subtitle={
        <>
          With <strong>{credential.name}</strong> to <code>{environment.baseUrl}</code>
        </>
      }
      size="lg"
      className="request-dialog"
      onClose={onClose}
      banner={
        environment.production ? (
          <div className="dialog-production">
            <WarningIcon size={14} /> <strong>PRODUCTION</strong> {workspace.name} / {environment.name}
          </div>
        ) : null
      }
    >
      <form onSubmit={send} noValidate autoComplete="off">
        <DialogBody>
          {presets.length > 0 ? (
            <Field label="Preset" hint={preset?.note}>
              {(p) => (
                <select {...p} className="select" value={presetId} onChange={(e) => choosePreset(e.currentTarget.value)}>
                  <option value="">Custom request</option>
                  {presets.map((x) => (
                    <option key={x.id} value={x.id}>
                      {x.label} — {x.method} {x.path}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          ) : null}
          <div className="request-line">
            <Field label="Method" className="request-method">
              {(p) => (
                <select
                  {...p}
                  className="select"
                  value={method}
                  onChange={(e) => {
                    setMethod(e.currentTarget.value as HttpMethod);
                    setPresetId('');
                  }}
                >
                  {HTTP_METHODS.map((m) => (
                    <option key={m} value={m}>
                      {m}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label="Path" className="request-path" hint="Relative to the environment's base URL; a query goes here too (?limit=5).">
              {(p) => (
                <input
                  {...p}
                  className="input input-mono"
                  spellCheck={false}
                  value={path}
                  onChange={(e) => {
                    setPath(e.currentTarget.value);
                    setPresetId('');
                  }}
                />
              )}
            </Field>
          </div>
          {preflight && !(result && sent?.method === method && sent.path === path.trim()) ? <PreflightLine check={preflight} /> : null}

          <fieldset className="fieldset">
            <legend>Headers</legend>
            {rows.map((r, i) => (
              <div key={r.key} className="header-row">
                <input
                  className="input input-mono"
                  aria-label={`Header ${i + 1} name`}
                  placeholder="Name"
                  spellCheck={false}
                  value={r.name}
                  onChange={(e) => {
                    const name = e.currentTarget.value;
                    setRows((rs) => rs.map((x) => (x.key === r.key ? { ...x, name } : x)));
                  }}
                />
                <input
                  className="input input-mono"
                  aria-label={`Header ${i + 1} value`}
                  placeholder="Value"
                  spellCheck={false}
                  value={r.value}
                  onChange={(e) => {
                    const value = e.currentTarget.value;
                    setRows((rs) => rs.map((x) => (x.key === r.key ? { ...x, value } : x)));
                  }}
                />
                <Button
                  variant="ghost"
                  size="sm"
                  aria-label={`Remove header ${i + 1}`}
                  icon={<TrashIcon />}
                  onClick={() => setRows((rs) => (rs.length === 1 ? [{ key: r.key + 1, name: '', value: '' }] : rs.filter((x) => x.key !== r.key)))}
                />
              </div>
            ))}
            <Button
              variant="ghost"
              size="sm"
              icon={<PlusIcon />}
              className="header-add"
              onClick={() => setRows((rs) => [...rs, { key: Math.max(...rs.map((x) => x.key)) + 1, name: '', value: '' }])}
            >
              Add header
            </Button>
          </fieldset>

          {WITH_BODY.includes(method) ? (
            <Field label="JSON body" hint="Sent as application/json unless you set Content-Type.">
              {(p) => <textarea {...p} className="textarea input-mono" rows={5} spellCheck={false} value={body} onChange={(e) => setBody(e.currentTarget.value)} />}
            </Field>
          ) : null}

          {environment.production && write ? <ArmProduction environmentId={environment.id} workspaceName={workspace.name} onChange={(u) => setArmed(u !== null)} /> : null}
          <FormError>{formError}</FormError>
          {sendError ? <TestError error={sendError} onForce={() => void send(null, true)} forceLabel="Send despite the hold" /> : null}
          {result ? <TestResultView result={result} showPreflight {...(sent ? { curl: sent } : {})} /> : null}
        </DialogBody>
        <DialogFooter start={lockedOut ? 'Arm production to send a write.' : denied ? 'The documented model denies this call.' : null}>
          <Button onClick={onClose}>Close</Button>
          <Button type="submit" variant={denied ? 'danger' : 'primary'} busy={busy}>
            {denied ? 'Send anyway' : 'Send'}
          </Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
