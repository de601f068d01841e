import type { MatrixGrid, MatrixRow } from '../lib/matrix-grid';

/**
 * The grid itself: endpoints down, grants across, methods in the cells.
 * Sticky header and first column, so Regate's 11 roles stay readable while
 * scrolling either way; the token's own columns are highlighted.
 */
export function MatrixTable({ grid, rows, current = [], caption }: { grid: MatrixGrid; rows: MatrixRow[]; current?: string[]; caption: string }) {
  const isCurrent = (c: string) => current.includes(c);
  return (
    <div className="matrix-scroll" tabIndex={0} role="region" aria-label={caption}>
      <table className="matrix">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col" className="matrix-corner">
              Endpoint
            </th>
            {grid.columns.map((c) => (
              <th key={c} scope="col" className={isCurrent(c) ? 'is-current' : undefined} aria-current={isCurrent(c) ? 'true' : undefined} data-column={c}>
                <span className="matrix-col-name">{c}</span>
                {isCurrent(c) ? <span className="matrix-this">this token</span> : null}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={grid.columns.length + 1} className="matrix-empty">
                No endpoint matches the filters.
              </td>
            </tr>
          ) : (
            rows.map((r) => (
              <tr key={r.path}>
                <th scope="row" className="matrix-path" title={r.aliases.length ? `Also written ${r.aliases.join(', ')}` : undefined}>
                  <code>{r.path === '*' ? 'every endpoint' : r.path}</code>
                  {r.includesSubpaths ? <span className="muted"> and below</span> : null}
                </th>
                {grid.columns.map((c) => {
                  const methods = r.cells[c] ?? [];
                  return (
                    <td key={c} className={[isCurrent(c) ? 'is-current' : '', methods.length ? '' : 'is-none'].filter(Boolean).join(' ')}>
                      {methods.length ? (
                        <span className="methods">
                          {methods.map((m) => (
                            <span key={m} className={`method method-${m.toLowerCase()}`}>
                              {m}
                            </span>
                          ))}
                        </span>
                      ) : (
                        <span className="matrix-none" aria-label="none">
                          ·
                        </span>
                      )}
                    </td>
                  );
                })}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
