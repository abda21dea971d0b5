import { useMemo } from 'react';

const BINS = 20;

/** A small histogram of a score column (NaN values are counted as missing). */
export function Histogram({ title, values, ranked }: { title: string; values: Float64Array; ranked: boolean }) {
  const h = useMemo(() => {
    let min = Infinity;
    let max = -Infinity;
    let missing = 0;
    for (const v of values) {
      if (Number.isNaN(v)) missing++;
      else {
        if (v < min) min = v;
        if (v > max) max = v;
      }
    }
    const counts = Array.from({ length: BINS }, () => 0);
    if (max > min) {
      for (const v of values) if (!Number.isNaN(v)) counts[Math.min(BINS - 1, Math.floor(((v - min) / (max - min)) * BINS))]!++;
    } else if (min <= max) counts[0] = values.length - missing;
    return { min, max, missing, counts, peak: Math.max(1, ...counts) };
  }, [values]);
  const present = values.length - h.missing;
  return (
    <figure className="rounded-md border border-slate-200 bg-white p-2" aria-label={`Histogram of ${title}`}>
      <figcaption className="mb-1 flex justify-between text-xs">
        <span className="font-medium">{title}</span>
        <span className="text-slate-500">
          {present === 0 ? 'not available' : `${fmt(h.min)} – ${fmt(h.max)}${ranked ? ' tokens' : ''}`}
        </span>
      </figcaption>
      <svg viewBox={`0 0 ${BINS * 10} 40`} className="h-12 w-full" role="img" aria-label={`${present} values`}>
        {h.counts.map((c, i) => (
          <rect key={i} x={i * 10 + 1} width={8} y={40 - (c / h.peak) * 40} height={(c / h.peak) * 40} className="fill-indigo-400">
            <title>{c}</title>
          </rect>
        ))}
      </svg>
      {h.missing > 0 && present > 0 && <p className="text-xs text-slate-500">{h.missing.toLocaleString('en-US')} missing</p>}
    </figure>
  );
}

function fmt(v: number): string {
  return Number.isInteger(v) ? v.toLocaleString('en-US') : v.toFixed(3);
}
