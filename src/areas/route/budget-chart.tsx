import type { CurvePoint } from '../../workers/routing-protocol';

const W = 640;
const H = 200;
const PAD = 36;

/** Predicted score against human budget: the strategy's curve, the all-LM and all-human points, the current choice. */
export function BudgetChart(props: {
  n: number;
  points: CurvePoint[];
  allLm: number;
  allHuman: number;
  current: CurvePoint;
  loading: boolean;
  ms?: number | undefined;
}) {
  const ys = [props.allLm, props.allHuman, props.current.predicted, ...props.points.map((p) => p.predicted)];
  const lo = Math.min(...ys);
  const hi = Math.max(...ys);
  const span = hi - lo || 1;
  const x = (b: number) => PAD + (b / Math.max(1, props.n)) * (W - 2 * PAD);
  const y = (v: number) => H - PAD + 8 - ((v - lo) / span) * (H - 2 * PAD);
  const path = props.points.map((p, i) => `${i ? 'L' : 'M'}${x(p.budget).toFixed(1)},${y(p.predicted).toFixed(1)}`).join(' ');
  return (
    <figure
      aria-label="Predicted score against budget"
      className="rounded-md border border-slate-200 p-2"
      data-curve-ms={props.loading ? undefined : props.ms}
    >
      <svg
        viewBox={`0 0 ${W} ${H}`}
        className="h-52 w-full"
        role="img"
        aria-label={props.loading ? 'Computing the curve' : `Curve with ${props.points.length} points`}
      >
        <line x1={PAD} y1={H - PAD + 8} x2={W - PAD} y2={H - PAD + 8} className="stroke-slate-300" />
        <line x1={PAD} y1={12} x2={PAD} y2={H - PAD + 8} className="stroke-slate-300" />
        <text x={PAD} y={H - 4} className="fill-slate-500 text-[10px]">
          0
        </text>
        <text x={W - PAD} y={H - 4} textAnchor="end" className="fill-slate-500 text-[10px]">
          {props.n.toLocaleString('en-US')} pairs to humans
        </text>
        <text x={4} y={y(hi) + 3} className="fill-slate-500 text-[10px]">
          {hi.toPrecision(4)}
        </text>
        <text x={4} y={y(lo) + 3} className="fill-slate-500 text-[10px]">
          {lo.toPrecision(4)}
        </text>
        {path && <path d={path} fill="none" className="stroke-indigo-500" strokeWidth={2} />}
        <circle cx={x(0)} cy={y(props.allLm)} r={5} className="fill-amber-500">
          <title>All LM: {props.allLm}</title>
        </circle>
        <circle cx={x(props.n)} cy={y(props.allHuman)} r={5} className="fill-sky-600">
          <title>All human: {props.allHuman}</title>
        </circle>
        <line
          x1={x(props.current.budget)}
          x2={x(props.current.budget)}
          y1={12}
          y2={H - PAD + 8}
          className="stroke-emerald-500"
          strokeDasharray="3 3"
        />
        <circle cx={x(props.current.budget)} cy={y(props.current.predicted)} r={6} className="fill-emerald-500">
          <title>Current: {props.current.predicted}</title>
        </circle>
      </svg>
      <figcaption className="flex gap-4 text-xs text-slate-600">
        <span>
          <span className="inline-block h-2 w-2 rounded-full bg-amber-500" /> all LM
        </span>
        <span>
          <span className="inline-block h-2 w-2 rounded-full bg-sky-600" /> all human
        </span>
        <span>
          <span className="inline-block h-2 w-2 rounded-full bg-emerald-500" /> current choice
        </span>
        {props.loading && <span>computing the curve…</span>}
      </figcaption>
    </figure>
  );
}
