import {
  ASPECT_REASONS,
  ASPECTS,
  CONFIDENCE_TEXT,
  CONFIDENCES,
  type Annotation,
  type Aspect,
  type AspectJudgement,
  type Confidence,
} from '../../domain/annotation';
import { orientPreference } from '../../domain/annotate/queue';
import { type Preference } from '../../domain/labels';
import { keyLabel, type KeyAction } from '../../domain/annotate/keymap';
import { useAnnotatorUi } from './annotator-store';

/** The scale as the annotator sees it (left/right), with its number key. */
export const SCALE: { action: KeyAction; shown: Preference; text: string }[] = [
  { action: 'overall-1', shown: 'A>>B', text: 'Left is clearly better' },
  { action: 'overall-2', shown: 'A>B', text: 'Left is slightly better' },
  { action: 'overall-3', shown: 'A=B', text: 'Tie' },
  { action: 'overall-4', shown: 'B>A', text: 'Right is slightly better' },
  { action: 'overall-5', shown: 'B>>A', text: 'Right is clearly better' },
];

/** The preference (as shown) a key action sets. */
export const SCALE_OF_ACTION: Partial<Record<KeyAction, Preference>> = Object.fromEntries(SCALE.map((s) => [s.action, s.shown]));

const CONFIDENCE_ACTIONS: Record<Confidence, KeyAction> = {
  'absolutely-confident': 'confidence-absolutely',
  'fairly-confident': 'confidence-fairly',
  'not-confident': 'confidence-not',
};
/** The confidence a key action sets. */
export const CONFIDENCE_OF_ACTION: Partial<Record<KeyAction, Confidence>> = Object.fromEntries(
  CONFIDENCES.map((c) => [CONFIDENCE_ACTIONS[c], c]),
);

function Keycap({ action, className = 'mr-1 font-mono opacity-70' }: { action: KeyAction; className?: string }) {
  const code = useAnnotatorUi((u) => u.keymap[action][0]);
  return code ? <kbd className={className}>{keyLabel(code)}</kbd> : null;
}

function PreferencePicker({
  name,
  value,
  swapped,
  onChange,
  withKeys,
}: {
  name: string;
  value: Preference | undefined;
  swapped: boolean;
  onChange: (p: Preference) => void;
  withKeys: boolean;
}) {
  const shown = value ? orientPreference(value, swapped) : undefined;
  return (
    <div role="radiogroup" aria-label={name} className="flex flex-wrap gap-1">
      {SCALE.map((s) => (
        <button
          key={s.shown}
          type="button"
          role="radio"
          aria-checked={shown === s.shown}
          onClick={() => onChange(orientPreference(s.shown, swapped))}
          className={`rounded-md border px-2 py-1 text-xs ${shown === s.shown ? 'border-indigo-600 bg-indigo-600 text-white' : 'border-slate-300 bg-white hover:bg-slate-100'}`}
        >
          {withKeys && <Keycap action={s.action} />}
          {s.text}
        </button>
      ))}
    </div>
  );
}

function ConfidencePicker({
  name,
  value,
  onChange,
  withKeys,
}: {
  name: string;
  value: Confidence | undefined;
  onChange: (c: Confidence) => void;
  withKeys: boolean;
}) {
  return (
    <div role="radiogroup" aria-label={name} className="flex flex-wrap gap-1">
      {CONFIDENCES.map((c) => (
        <button
          key={c}
          type="button"
          role="radio"
          aria-checked={value === c}
          onClick={() => onChange(c)}
          className={`rounded-md border px-2 py-1 text-xs ${value === c ? 'border-emerald-600 bg-emerald-600 text-white' : 'border-slate-300 bg-white hover:bg-slate-100'}`}
        >
          {withKeys && <Keycap action={CONFIDENCE_ACTIONS[c]} />}
          {CONFIDENCE_TEXT[c]}
        </button>
      ))}
    </div>
  );
}

const EMPTY: AspectJudgement = { reasons: [], text: '' };

/** Overall preference + confidence (required), per-aspect judgements and a rationale (optional). */
export function AnnotationForm({
  draft,
  update,
  readOnly,
}: {
  draft: Annotation;
  update: (patch: Partial<Annotation>) => void;
  readOnly: boolean;
}) {
  const setAspect = (aspect: Aspect, patch: Partial<AspectJudgement>) =>
    update({ aspects: { ...draft.aspects, [aspect]: { ...EMPTY, ...draft.aspects[aspect], ...patch } } });
  return (
    <fieldset disabled={readOnly} className="space-y-3">
      <div>
        <p className="mb-1 text-xs font-semibold text-slate-600">Overall, which response is better? (required)</p>
        <PreferencePicker
          name="Overall preference"
          value={draft.overall}
          swapped={draft.swapped}
          onChange={(overall) => update({ overall })}
          withKeys
        />
      </div>
      <div>
        <p className="mb-1 text-xs font-semibold text-slate-600">How confident are you? (required)</p>
        <ConfidencePicker name="Confidence" value={draft.confidence} onChange={(confidence) => update({ confidence })} withKeys />
      </div>
      {ASPECTS.map((aspect) => {
        const j = draft.aspects[aspect] ?? EMPTY;
        return (
          <details key={aspect} className="rounded-md border border-slate-200 p-2" open={!!draft.aspects[aspect]}>
            <summary className="cursor-pointer text-xs font-semibold text-slate-700">
              {aspect[0]!.toUpperCase() + aspect.slice(1)} (optional)
            </summary>
            <div className="mt-2 space-y-2">
              <PreferencePicker
                name={`${aspect} preference`}
                value={j.preference}
                swapped={draft.swapped}
                onChange={(preference) => setAspect(aspect, { preference })}
                withKeys={false}
              />
              <ConfidencePicker
                name={`${aspect} confidence`}
                value={j.confidence}
                onChange={(confidence) => setAspect(aspect, { confidence })}
                withKeys={false}
              />
              <fieldset className="flex flex-wrap gap-x-3 gap-y-1 text-xs">
                <legend className="sr-only">{aspect} reasons</legend>
                {ASPECT_REASONS[aspect].map((r) => (
                  <label key={r} className="flex items-center gap-1">
                    <input
                      type="checkbox"
                      checked={j.reasons.includes(r)}
                      onChange={(e) =>
                        setAspect(aspect, { reasons: e.target.checked ? [...j.reasons, r] : j.reasons.filter((x) => x !== r) })
                      }
                    />
                    {r.replace(/-/g, ' ')}
                  </label>
                ))}
              </fieldset>
              <textarea
                aria-label={`${aspect} reason`}
                value={j.text}
                onChange={(e) => setAspect(aspect, { text: e.target.value })}
                rows={2}
                className="w-full rounded-md border border-slate-300 p-1 text-xs"
                placeholder="Why (optional)"
              />
            </div>
          </details>
        );
      })}
      <label className="block">
        <span className="text-xs font-semibold text-slate-600">Rationale (optional)</span>
        <textarea
          aria-label="Rationale"
          value={draft.rationale}
          onChange={(e) => update({ rationale: e.target.value })}
          rows={3}
          className="w-full rounded-md border border-slate-300 p-1 text-sm"
        />
      </label>
    </fieldset>
  );
}

export function preferenceText(p: Preference, swapped: boolean): string {
  return SCALE.find((s) => s.shown === orientPreference(p, swapped))?.text ?? p;
}
