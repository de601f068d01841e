import type { CheckResult } from '../../../../src-shared/roles';
import { WarningIcon } from '../../../components/ui/icons';

/** The documented model's verdict before a request is sent: allowed, denied (with who would be allowed), or not documented. */
export function PreflightLine({ check }: { check: CheckResult }) {
  if (check.decision === 'allowed') {
    return (
      <p className="preflight preflight-allowed" data-testid="preflight">
        Allowed by the documented role ({check.rule})
      </p>
    );
  }
  if (check.decision === 'denied') {
    return (
      <p className="preflight preflight-denied" role="alert" data-testid="preflight">
        <WarningIcon size={13} />
        <span>
          Denied by the documented model — {check.allowedBy.length > 0 ? `allowed for: ${check.allowedBy.join(', ')}` : 'no documented grant allows it'}. <span className="muted">({check.rule})</span> You
          may still send it to see what the API really says.
        </span>
      </p>
    );
  }
  return (
    <p className="preflight preflight-unknown" data-testid="preflight">
      Not in the documented model: {check.rule}
    </p>
  );
}
