import { useId, useState } from 'react';
import type { PermissionModel } from '../../../../src-shared/roles';
import { Button } from '../../../components/ui/button';
import { call } from '../../../lib/api';
import { errorMessage } from '../../../lib/errors';
import { downloadText, fileSlug } from '../lib/download';

/** Export as Markdown / CSV: the text to read or copy, and a download. */
export function ExportPanel({ providerId, providerName, kind }: { providerId: string; providerName: string; kind: PermissionModel['kind'] }) {
  const [out, setOut] = useState<{ format: 'markdown' | 'csv'; text: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const textId = useId();

  async function run(format: 'markdown' | 'csv') {
    setError(null);
    setCopied(false);
    try {
      const { text } = await call('roles:export', { providerId, format });
      setOut({ format, text });
    } catch (e) {
      setOut(null);
      setError(errorMessage(e));
    }
  }

  if (kind !== 'role_matrix') return null;
  return (
    <section className="export-panel" aria-label="Export">
      <div className="export-buttons">
        <Button size="sm" onClick={() => void run('markdown')}>
          Export as Markdown
        </Button>
        <Button size="sm" onClick={() => void run('csv')}>
          Export as CSV
        </Button>
      </div>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      {out ? (
        <div className="export-out">
          <label htmlFor={textId} className="field-label">
            Exported table ({out.format === 'csv' ? 'CSV' : 'Markdown'})
          </label>
          <textarea id={textId} className="textarea input-mono export-text" readOnly rows={6} value={out.text} />
          <div className="export-buttons">
            <Button
              size="sm"
              onClick={() =>
                void navigator.clipboard
                  ?.writeText(out.text)
                  .then(() => setCopied(true))
                  .catch(() => setError('The clipboard refused the text: select it and copy it by hand.'))
              }
            >
              Copy
            </Button>
            <Button
              size="sm"
              onClick={() => downloadText(`${fileSlug(providerName)}-permissions.${out.format === 'csv' ? 'csv' : 'md'}`, out.text, out.format === 'csv' ? 'text/csv' : 'text/markdown')}
            >
              Download
            </Button>
            {copied ? (
              <span className="detail-message" role="status">
                Copied.
              </span>
            ) : null}
          </div>
        </div>
      ) : null}
    </section>
  );
}
