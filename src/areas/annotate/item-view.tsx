import { breakLongRuns, ClippedText, shownChars } from '../../components/clipped-text';
import { TextDiff } from '../../components/text-diff';
import type { InstanceRow } from '../../storage/db';

/** The prompt and the two responses (side by side, stacked on narrow screens); each response scrolls on its own. */
export function ItemView({ item, swapped, showDiff }: { item: InstanceRow; swapped: boolean; showDiff: boolean }) {
  const left = swapped ? item.responseB : item.responseA;
  const right = swapped ? item.responseA : item.responseB;
  const limit = Math.min(shownChars(left), shownChars(right));
  const clipped = left.length > limit || right.length > limit;
  return (
    <div className="space-y-3">
      <section aria-label="Prompt" className="max-h-64 overflow-auto rounded-lg border border-slate-200 bg-white p-3">
        <h3 className="mb-1 text-xs font-semibold uppercase text-slate-500">Prompt</h3>
        {item.messages && item.messages.length > 1 ? (
          <ol className="space-y-2">
            {item.messages.map((m, i) => (
              <li key={i}>
                <span className="text-xs font-semibold text-slate-500">{m.role}</span>
                <ClippedText markdown text={m.content} what="This turn" />
              </li>
            ))}
          </ol>
        ) : (
          <ClippedText markdown text={item.prompt} what="The prompt" />
        )}
      </section>
      {showDiff ? (
        <section
          aria-label="Differences between the responses"
          className="max-h-[60vh] overflow-auto rounded-lg border border-slate-200 bg-white p-3"
        >
          <h3 className="mb-1 text-xs font-semibold uppercase text-slate-500">Left → Right</h3>
          {clipped && (
            <p className="mb-1 text-xs text-amber-800">
              Compared on the first {limit.toLocaleString('en-US')} characters of each response.
            </p>
          )}
          <TextDiff a={breakLongRuns(left.slice(0, limit))} b={breakLongRuns(right.slice(0, limit))} aLabel="Left" bLabel="Right" />
        </section>
      ) : (
        <div className="grid gap-3 md:grid-cols-2">
          <section
            aria-label="Left response"
            className="max-h-[60vh] min-w-0 overflow-auto rounded-lg border border-slate-200 bg-white p-3"
          >
            <h3 className="mb-1 text-xs font-semibold uppercase text-slate-500">Left response</h3>
            <ClippedText markdown text={left} what="This response" />
          </section>
          <section
            aria-label="Right response"
            className="max-h-[60vh] min-w-0 overflow-auto rounded-lg border border-slate-200 bg-white p-3"
          >
            <h3 className="mb-1 text-xs font-semibold uppercase text-slate-500">Right response</h3>
            <ClippedText markdown text={right} what="This response" />
          </section>
        </div>
      )}
    </div>
  );
}
