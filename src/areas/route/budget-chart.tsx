import { interpolateCurve } from '../../domain/routing';
import type { CurvePoint } from '../../workers/routing-protocol';

const W = 640;
const H = 200;
const PAD = 36;

/** The budget axis (0 to n pairs) and the value axis with its two end labels. */
function Axes(props: { n: number; hi: string; lo: string; yHi: number; yLo: number }) {
  return (
    <>
      <line x1={PAD} y1={H - PAD + 8} x2={W - PAD} y2={H - PAD + 8} className="stroke-slate-300" />
      <line x1={PAD} y1={12} x2={PAD} y2={H - PAD + 8} className="stroke-slate-300" />
      <text x={PAD} y={H - 4} className="fill-slate-500 text-[10px]">
        0
      </text>
      <text x={W - PAD} y={H - 4} textAnchor="end" className="fill-slate-500 text-[10px]">
        {props.n.toLocaleString('en-US')} pairs to humans
      </text>
      <text x={4} y={props.yHi + 3} className="fill-slate-500 text-[10px]">
        {props.hi}
      </text>
      <text x={4} y={props.yLo + 3} className="fill-slate-500 text-[10px]">
        {props.lo}
      </text>
    </>
  );
}

/** The current budget: a dashed line and a dot on the curve. */
function Current(props: { x: number; y: number; title: string }) {
  return (
    <>
      <line x1={props.x} x2={props.x} y1={12} y2={H - PAD + 8} className="stroke-emerald-500" strokeDasharray="3 3" />
      <circle cx={props.x} cy={props.y} r={6} className="fill-emerald-500">
        <title>{props.title}</title>
      </circle>
    </>
  );
}

const pathOf = (points: readonly { x: number; y: number }[]) =>
  points.map((p, i) => `${i ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');

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
  const path = pathOf(props.points.map((p) => ({ x: x(p.budget), y: y(p.predicted) })));
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
        <Axes n={props.n} hi={hi.toPrecision(4)} lo={lo.toPrecision(4)} yHi={y(hi)} yLo={y(lo)} />
        {path && <path d={path} fill="none" className="stroke-indigo-500" strokeWidth={2} />}
        <circle cx={x(0)} cy={y(props.allLm)} r={5} className="fill-amber-500">
          <title>All LM: {props.allLm}</title>
        </circle>
        <circle cx={x(props.n)} cy={y(props.allHuman)} r={5} className="fill-sky-600">
          <title>All human: {props.allHuman}</title>
        </circle>
        <Current x={x(props.current.budget)} y={y(props.current.predicted)} title={`Current: ${props.current.predicted}`} />
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

/**
 * Judge risk routing's own curve: the expected judge errors that reach people against the budget (the strategy's
 * order), beside a random choice of the same size.
 */
export function ErrorsCaughtChart(props: {
  n: number;
  points: { budget: number; caught: number; random: number }[];
  total: number;
  current: number;
  loading: boolean;
}) {
  const hi = Math.max(props.total, 1e-9);
  const x = (b: number) => PAD + (b / Math.max(1, props.n)) * (W - 2 * PAD);
  const y = (v: number) => H - PAD + 8 - (v / hi) * (H - 2 * PAD);
  const at =
    interpolateCurve(
      props.points.map((p) => ({ budget: p.budget, predicted: p.caught })),
      props.current,
    ) ?? 0;
  const random = props.n === 0 ? 0 : (props.total * props.current) / props.n;
  return (
    <figure
      aria-label="Expected judge errors caught against budget"
      className="rounded-md border border-slate-200 p-2"
      data-testid="risk-curve"
    >
      <svg
        viewBox={`0 0 ${W} ${H}`}
        className="h-52 w-full"
        role="img"
        aria-label={props.loading ? 'Computing the curve' : `Errors caught, ${props.points.length} points`}
      >
        <Axes n={props.n} hi={props.total.toFixed(1)} lo="0" yHi={y(hi)} yLo={y(0)} />
        <path
          d={pathOf(props.points.map((p) => ({ x: x(p.budget), y: y(p.random) })))}
          fill="none"
          className="stroke-slate-400"
          strokeDasharray="4 3"
        />
        <path
          d={pathOf(props.points.map((p) => ({ x: x(p.budget), y: y(p.caught) })))}
          fill="none"
          className="stroke-rose-500"
          strokeWidth={2}
        />
        <Current x={x(props.current)} y={y(at)} title={`Caught: ${at.toFixed(1)}`} />
      </svg>
      <figcaption className="space-y-1 text-xs text-slate-600">
        <p data-testid="risk-caught">
          At {props.current.toLocaleString('en-US')} pairs, about <strong>{at.toFixed(1)}</strong> of the {props.total.toFixed(1)} judge
          errors expected on the routable pairs reach people
          {random > 0 ? ` (${(at / random).toFixed(2)}x a random choice of that size, ${random.toFixed(1)})` : ''}.
        </p>
        <p>
          <span className="inline-block h-0.5 w-4 bg-rose-500 align-middle" /> this strategy's order{' '}
          <span className="ml-3 inline-block h-0.5 w-4 border-t border-dashed border-slate-400 align-middle" /> random · the expectation is
          the sum of each pair's estimated error probability (fitted on the human labels with "Learn from the human labels"; a pair already
          labelled counts 1 if the judge got it wrong).
          {props.loading ? ' Computing…' : ''}
        </p>
      </figcaption>
    </figure>
  );
}
