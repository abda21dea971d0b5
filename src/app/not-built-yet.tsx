import type { Area } from '../navigation/router';

const PLANNED: Record<Exclude<Area, 'data' | 'features' | 'route' | 'annotate' | 'export'>, string> = {
  review: 'Agreement between annotators and with the LM judge; disagreements to resolve.',
};

/** An honest placeholder for workflow areas that are not built yet. */
export function NotBuiltYet({ area }: { area: Exclude<Area, 'data' | 'features' | 'route' | 'annotate' | 'export'> }) {
  return (
    <section className="mx-auto max-w-2xl p-8" aria-labelledby="not-built-title">
      <h2 id="not-built-title" className="mb-2 text-xl font-semibold">Not built yet</h2>
      <p className="text-slate-700">This area does not exist in this version of the workbench. When it does, it will:</p>
      <p className="mt-2 text-slate-700">{PLANNED[area]}</p>
    </section>
  );
}
