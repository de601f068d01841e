import { WarningIcon } from '../../../components/ui/icons';
import { WORKSPACE_COLORS } from './workspace-colors';

/** The workspace colour as a group of radio swatches, each named for screen readers. */
export function ColorSwatches({ value, onChange, error, legend = 'Colour' }: { value: string; onChange: (v: string) => void; error?: string | undefined; legend?: string }) {
  return (
    <fieldset className="fieldset" aria-describedby={error ? 'workspace-color-error' : undefined}>
      <legend>{legend}</legend>
      <div className="color-swatches">
        {WORKSPACE_COLORS.map((c) => (
          <label key={c.value} className="color-swatch" title={c.name}>
            <input type="radio" name="workspace-color" value={c.value} checked={value === c.value} onChange={() => onChange(c.value)} />
            <span className="color-swatch-dot" style={{ backgroundColor: c.value }} aria-hidden="true" />
            <span className="visually-hidden">{c.name}</span>
          </label>
        ))}
      </div>
      {error ? (
        <p className="field-error" id="workspace-color-error">
          <WarningIcon size={12} className="field-error-icon" />
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
