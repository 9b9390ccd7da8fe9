import type { ProgressPoint } from './live';

const W = 320;
const H = 90;

/** States explored over time, as the SSE stream reports them; a small SVG, no chart library needed. */
export function ProgressChart({ points, label }: { points: readonly ProgressPoint[]; label: string }) {
  const maxT = Math.max(1, ...points.map((p) => p.elapsedMs));
  const maxS = Math.max(1, ...points.map((p) => p.states));
  const xy = (p: ProgressPoint) => `${((p.elapsedMs / maxT) * (W - 56) + 52).toFixed(1)},${(H - 14 - (p.states / maxS) * (H - 24)).toFixed(1)}`;
  return (
    <svg className="chart" viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-label={label}>
      <line x1={52} y1={H - 14} x2={W - 4} y2={H - 14} className="axis" />
      <line x1={52} y1={6} x2={52} y2={H - 14} className="axis" />
      <text x={48} y={12} textAnchor="end">
        {maxS.toLocaleString()}
      </text>
      <text x={48} y={H - 14} textAnchor="end">
        0
      </text>
      <text x={W - 4} y={H - 2} textAnchor="end">
        {(maxT / 1000).toFixed(1)} s
      </text>
      {points.length > 0 && <polyline points={['52,' + (H - 14), ...points.map(xy)].join(' ')} className="series" />}
      {points.map((p) => (
        <circle key={p.elapsedMs} r={2} cx={xy(p).split(',')[0]} cy={xy(p).split(',')[1]} className="dot" />
      ))}
    </svg>
  );
}
