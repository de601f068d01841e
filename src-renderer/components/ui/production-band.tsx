import { WarningIcon } from './icons';
import './production-band.css';

/**
 * The red band across the top whenever the active environment is production:
 * unmistakable at a glance, and announced once to screen readers as it appears.
 */
export function ProductionBand({ workspace, environment }: { workspace: string; environment: string }) {
  return (
    <div className="production-band" role="status" data-testid="production-band">
      <WarningIcon size={14} />
      <strong className="production-band-label">PRODUCTION</strong>
      <span className="production-band-where" title={`${workspace} / ${environment}`}>
        {workspace} / {environment}
      </span>
      <span className="production-band-note">Tokens here reach live systems and real data.</span>
    </div>
  );
}
