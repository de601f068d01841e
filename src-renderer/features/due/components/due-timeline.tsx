import { useEffect, useId, useMemo, useRef, useState, type ReactElement } from 'react';
import { ReferenceArea, ReferenceLine, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { DueItem } from '../../../../src-shared/expiry/due-types';
import { formatDate } from '../../../lib/format';
import { daysLeftLabel, KIND_LABEL, STATUS_LABEL } from '../lib/due-labels';
import { buildTimeline, monthTicks, timelineSummary, type TimelineMark } from '../lib/timeline-model';

const WINDOW_DAYS = 90;
const ROW_HEIGHT = 44;
const LEFT = 170;

/** The container's width, following resizes; jsdom (no layout) gets a fixed one. */
function useWidth(fallback = 820) {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => {
      if (el.clientWidth > 0) setWidth(el.clientWidth);
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return { ref, width };
}

interface ShapeProps {
  cx?: number;
  cy?: number;
  payload?: TimelineMark;
}

/** A circle for an expiry, a diamond for a rotation; production marks are red and ringed. */
function MarkShape({ cx = 0, cy = 0, payload }: ShapeProps): ReactElement {
  if (!payload) return <g />;
  const cls = ['due-mark', `due-mark-${payload.kind}`, payload.production ? 'is-production' : '', payload.past ? 'is-past' : ''].filter(Boolean).join(' ');
  const r = payload.production ? 7 : 6;
  return (
    <g className={cls} data-kind={payload.kind} data-production={payload.production ? 'true' : 'false'}>
      {payload.kind === 'expiry' ? (
        <circle cx={cx} cy={cy} r={r} />
      ) : (
        <path d={`M ${cx} ${cy - r - 1.5} L ${cx + r + 1.5} ${cy} L ${cx} ${cy + r + 1.5} L ${cx - r - 1.5} ${cy} Z`} />
      )}
    </g>
  );
}

function MarkTooltip({ active, payload }: { active?: boolean; payload?: readonly { payload?: TimelineMark }[] }) {
  const m = active ? payload?.[0]?.payload : undefined;
  if (!m) return null;
  return (
    <div className="due-tooltip">
      <strong>{m.name}</strong>
      <span>
        {m.workspace} / {m.environment}
        {m.production ? <span className="due-tooltip-prod"> · production</span> : null}
      </span>
      <span>
        {KIND_LABEL[m.kind]} {formatDate(m.at)} ({daysLeftLabel(m.daysLeft)})
      </span>
      <span className="due-tooltip-status">{STATUS_LABEL[m.status]}</span>
    </div>
  );
}

/**
 * The next 90 days at a glance: a row per workspace, a mark per date. The
 * picture is for the eye; its caption sums it up, and the list under it is
 * the accessible way to every date.
 */
export function DueTimeline({ items, now, onOpen }: { items: readonly DueItem[]; now: number; onOpen?: (id: string) => void }) {
  const model = useMemo(() => buildTimeline(items, now, { days: WINDOW_DAYS }), [items, now]);
  const ticks = useMemo(() => monthTicks(model.start, model.end), [model.start, model.end]);
  const { ref, width } = useWidth();
  const captionId = useId();
  const rows = Math.max(model.rows.length, 1);
  const height = rows * ROW_HEIGHT + 48;
  const labelWidth = Math.min(LEFT, Math.max(90, width * 0.22));

  return (
    <figure className="due-timeline" aria-labelledby={captionId} data-testid="due-timeline">
      <figcaption id={captionId} className="due-timeline-caption">
        <span className="due-timeline-title">Next {WINDOW_DAYS} days</span> <span className="muted">{timelineSummary(model, WINDOW_DAYS)}</span>
      </figcaption>
      <Legend />
      <div className="due-timeline-chart" ref={ref} aria-hidden="true">
        {model.rows.length === 0 ? null : (
          <ScatterChart width={width} height={height} margin={{ top: 18, right: 16, bottom: 8, left: 8 }} accessibilityLayer={false}>
            <ReferenceArea x1={model.start} x2={model.now} className="due-past-band" ifOverflow="hidden" />
            <XAxis
              type="number"
              dataKey="x"
              domain={[model.start, model.end + 3 * 86_400_000]}
              ticks={ticks}
              tickFormatter={(t: number) => new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' }).format(t)}
              allowDataOverflow
              stroke="currentColor"
              className="due-axis"
            />
            <YAxis
              type="number"
              dataKey="y"
              domain={[-0.6, rows - 0.4]}
              ticks={model.rows.map((_, i) => i)}
              tickFormatter={(i: number) => {
                const r = model.rows[i];
                return r ? truncate(r.name, Math.floor(labelWidth / 7.2)) : '';
              }}
              reversed
              width={labelWidth}
              interval={0}
              stroke="currentColor"
              className="due-axis"
            />
            {model.rows.map((r, i) => (
              <ReferenceLine key={r.workspaceId} y={i} className="due-row-line" />
            ))}
            <ReferenceLine x={model.now} className="due-today-line" label={{ value: 'Today', position: 'top', className: 'due-today-label' }} />
            <Tooltip content={<MarkTooltip />} cursor={false} isAnimationActive={false} />
            <Scatter
              data={model.marks}
              isAnimationActive={false}
              shape={(p: unknown) => <MarkShape {...(p as ShapeProps)} />}
              onClick={(p: unknown) => {
                const id = (p as { payload?: TimelineMark }).payload?.id;
                if (id && onOpen) onOpen(id);
              }}
            />
          </ScatterChart>
        )}
      </div>
    </figure>
  );
}

function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, Math.max(1, max - 1))}…`;
}

function Legend() {
  const items: { kind: 'expiry' | 'rotation'; production: boolean; label: string }[] = [
    { kind: 'expiry', production: false, label: 'Expires' },
    { kind: 'rotation', production: false, label: 'Rotation due' },
    { kind: 'expiry', production: true, label: 'Production' },
  ];
  return (
    <ul className="due-legend" aria-hidden="true">
      {items.map((it) => (
        <li key={it.label}>
          <svg width="16" height="16" viewBox="0 0 16 16">
            <MarkShape cx={8} cy={8} payload={{ kind: it.kind, production: it.production, past: false } as TimelineMark} />
          </svg>
          {it.label}
        </li>
      ))}
      <li>
        <span className="due-legend-today" />
        Today
      </li>
      <li>
        <span className="due-legend-past" />
        Past due
      </li>
    </ul>
  );
}
