import type { OutOfFold } from '../../domain/ppm-lab';

const W = 420;
const H = 320;
const PAD = 44;
const FOLD_CLASS = [
  'fill-indigo-500',
  'fill-amber-500',
  'fill-emerald-500',
  'fill-sky-600',
  'fill-rose-500',
  'fill-violet-500',
  'fill-lime-600',
  'fill-slate-500',
];

/** Out-of-fold predicted score against the actual score of each candidate, the diagonal being a perfect PPM. */
export function FitChart({ points, score }: { points: readonly OutOfFold[]; score: string }) {
  const values = points.flatMap((p) => [p.actual, p.predicted]).filter(Number.isFinite);
  const lo = values.length ? Math.min(...values) : 0;
  const hi = values.length ? Math.max(...values) : 1;
  const span = hi - lo || 1;
  const x = (v: number) => PAD + ((v - lo) / span) * (W - 2 * PAD);
  const y = (v: number) => H - PAD - ((v - lo) / span) * (H - 2 * PAD);
  const digits = span < 0.01 ? 4 : 3;
  return (
    <figure className="rounded-md border border-slate-200 p-2">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        className="h-80 w-full max-w-xl"
        role="img"
        aria-label={`Predicted against actual: ${points.length} candidates`}
        data-testid="fit-scatter"
      >
        <line x1={PAD} y1={H - PAD} x2={W - PAD} y2={H - PAD} className="stroke-slate-300" />
        <line x1={PAD} y1={PAD} x2={PAD} y2={H - PAD} className="stroke-slate-300" />
        <line x1={x(lo)} y1={y(lo)} x2={x(hi)} y2={y(hi)} className="stroke-slate-400" strokeDasharray="4 4" />
        <text x={PAD} y={H - PAD + 14} className="fill-slate-500 text-[10px]">
          {lo.toFixed(digits)}
        </text>
        <text x={W - PAD} y={H - PAD + 14} textAnchor="end" className="fill-slate-500 text-[10px]">
          {hi.toFixed(digits)}
        </text>
        <text x={W / 2} y={H - 8} textAnchor="middle" className="fill-slate-600 text-[11px]">
          actual {score}
        </text>
        <text x={PAD - 4} y={H - PAD} textAnchor="end" className="fill-slate-500 text-[10px]">
          {lo.toFixed(digits)}
        </text>
        <text x={PAD - 4} y={PAD + 4} textAnchor="end" className="fill-slate-500 text-[10px]">
          {hi.toFixed(digits)}
        </text>
        <text x={12} y={H / 2} textAnchor="middle" transform={`rotate(-90 12 ${H / 2})`} className="fill-slate-600 text-[11px]">
          predicted (out of fold)
        </text>
        {points.map((p, i) =>
          Number.isFinite(p.predicted) ? (
            <circle key={i} cx={x(p.actual)} cy={y(p.predicted)} r={3.5} className={`${FOLD_CLASS[p.fold % FOLD_CLASS.length]} opacity-80`}>
              <title>{`${p.id ?? `row ${i + 1}`} (fold ${p.fold + 1}): actual ${p.actual}, predicted ${p.predicted}`}</title>
            </circle>
          ) : null,
        )}
      </svg>
      <figcaption className="text-xs text-slate-600">
        Each point is a candidate, predicted by the model fitted without its fold; colour = fold. The dashed line is a perfect prediction.
      </figcaption>
    </figure>
  );
}
