// Small synchronous UI state of the annotation view (zustand): who is annotating, and the view toggles.
import { create } from 'zustand';

const NAME_KEY = 'hyper.annotator';

interface AnnotatorUi {
  /** The annotator's name, remembered in this browser (no accounts). */
  name: string;
  showDiff: boolean;
  showHelp: boolean;
  showGuidelines: boolean;
  /** Items whose LM label was revealed after submitting (per session). */
  revealed: Record<string, true>;
  setName(name: string): void;
  toggle(key: 'showDiff' | 'showHelp' | 'showGuidelines', value?: boolean): void;
  reveal(id: string): void;
}

function storedName(): string {
  try {
    return localStorage.getItem(NAME_KEY) ?? '';
  } catch {
    return '';
  }
}

export const useAnnotatorUi = create<AnnotatorUi>((set) => ({
  name: storedName(),
  showDiff: false,
  showHelp: false,
  showGuidelines: false,
  revealed: {},
  setName(name) {
    try {
      localStorage.setItem(NAME_KEY, name);
    } catch {
      /* private mode: the name lasts for this tab */
    }
    set({ name });
  },
  toggle: (key, value) => set((s) => ({ [key]: value ?? !s[key] }) as Partial<AnnotatorUi>),
  reveal: (id) => set((s) => ({ revealed: { ...s.revealed, [id]: true } })),
}));
