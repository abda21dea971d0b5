import type { ReactNode } from 'react';

export const INPUT = 'w-full rounded-md border border-slate-300 px-2 py-1';

/** A form field: a small caption above its control; clicking the caption focuses the control. */
export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label className="flex flex-col gap-1">
      <span className="text-xs text-slate-600">{label}</span>
      {children}
    </label>
  );
}
