// Small synchronous UI state of the annotation view (zustand): who is annotating, and the view toggles.
import { create } from 'zustand';
import { DEFAULT_KEYMAP, parseKeymap, rebind, type KeyAction, type Keymap } from '../../domain/annotate/keymap';

const NAME_KEY = 'hyper.annotator';
const KEYMAP_KEY = 'hyper.keymap';

interface AnnotatorUi {
  /** The annotator's name, remembered in this browser (no accounts). */
  name: string;
  showDiff: boolean;
  showHelp: boolean;
  showGuidelines: boolean;
  /** Items whose LM label was revealed after submitting (per session). */
  revealed: Record<string, true>;
  /** Which physical keys do what (changed in the keyboard help, remembered in this browser). */
  keymap: Keymap;
  setName(name: string): void;
  /** Binds a key (KeyboardEvent.code) to an action; throws KeymapError for keys that cannot be bound. */
  bindKey(action: KeyAction, code: string): void;
  resetKeys(): void;
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

function storedKeymap(): Keymap {
  try {
    const text = localStorage.getItem(KEYMAP_KEY);
    return text ? parseKeymap(text) : DEFAULT_KEYMAP;
  } catch {
    // Unreadable or from an older version: the default keys.
    return DEFAULT_KEYMAP;
  }
}

function storeKeymap(keymap: Keymap | null): void {
  try {
    if (keymap) localStorage.setItem(KEYMAP_KEY, JSON.stringify(keymap));
    else localStorage.removeItem(KEYMAP_KEY);
  } catch {
    /* private mode: the keymap lasts for this tab */
  }
}

export const useAnnotatorUi = create<AnnotatorUi>((set) => ({
  name: storedName(),
  showDiff: false,
  showHelp: false,
  showGuidelines: false,
  revealed: {},
  keymap: storedKeymap(),
  bindKey(action, code) {
    set((s) => {
      const keymap = rebind(s.keymap, action, code);
      storeKeymap(keymap);
      return { keymap };
    });
  },
  resetKeys() {
    storeKeymap(null);
    set({ keymap: DEFAULT_KEYMAP });
  },
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
