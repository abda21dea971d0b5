// The differences between two untrusted texts, as React text (escaped): removed struck through in red,
// added in green. The texts are shown as written, not as Markdown, so every changed character is visible.
import { useMemo } from 'react';
import { diffText, type DiffResult } from '../domain/diff';

export interface TextDiffProps {
  a: string;
  b: string;
  /** Names of the two sides in the legend (default "A" and "B"). */
  aLabel?: string;
  bLabel?: string;
  className?: string;
}

/** Computes and shows the diff from `a` to `b`. */
export function TextDiff({ a, b, aLabel = 'A', bLabel = 'B', className = '' }: TextDiffProps) {
  const result = useMemo(() => diffText(a, b), [a, b]);
  return <DiffView result={result} aLabel={aLabel} bLabel={bLabel} className={className} />;
}

/** Shows a diff computed elsewhere (e.g. in a worker). */
export function DiffView({
  result,
  aLabel = 'A',
  bLabel = 'B',
  className = '',
}: {
  result: DiffResult;
  aLabel?: string;
  bLabel?: string;
  className?: string;
}) {
  return (
    <div className={`min-w-0 ${className}`} data-diff={result.granularity}>
      <p className="mb-1 text-xs text-slate-500">
        <del className="bg-red-100 text-red-800 line-through decoration-red-500">only in {aLabel}</del>{' '}
        <ins className="bg-green-100 text-green-800 no-underline">only in {bLabel}</ins>
      </p>
      {result.note && <p className="mb-1 text-xs text-amber-700">{result.note}</p>}
      <div className="whitespace-pre-wrap break-words text-sm [overflow-wrap:anywhere]">
        {result.segments.map((s, i) =>
          s.kind === 'same' ? (
            <span key={i}>{s.text}</span>
          ) : s.kind === 'removed' ? (
            <del key={i} className="bg-red-100 text-red-800 line-through decoration-red-500">
              {s.text}
            </del>
          ) : (
            <ins key={i} className="bg-green-100 text-green-800 no-underline">
              {s.text}
            </ins>
          ),
        )}
      </div>
    </div>
  );
}
