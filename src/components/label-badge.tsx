import { PREFERENCE_TEXT, winnerOf, type Label } from '../domain/labels';

const COLOR = { A: 'bg-sky-100 text-sky-800', B: 'bg-amber-100 text-amber-800', tie: 'bg-slate-200 text-slate-700' } as const;

/** A preference label; the original value is in the tooltip. */
export function LabelBadge({ label }: { label: Label | undefined }) {
  if (!label) return <span className="text-xs text-slate-400">none</span>;
  return (
    <span
      title={`original: ${String(label.original)}`}
      className={`rounded px-1.5 py-0.5 text-xs font-medium ${COLOR[winnerOf(label.value)]}`}
    >
      {PREFERENCE_TEXT[label.value]}
    </span>
  );
}
