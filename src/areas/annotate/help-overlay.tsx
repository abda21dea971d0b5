import { useEffect, useRef, useState } from 'react';
import { Button } from '../../components/button';
import { bindable, KEY_ACTION_TEXT, KEY_ACTIONS, keyLabel, type KeyAction } from '../../domain/annotate/keymap';
import { useAnnotatorUi } from './annotator-store';

/**
 * Keyboard help: a modal dialog that takes focus and gives it back when closed. Each action's key can be changed
 * here ("Change", then press the new key); keys are physical keys, so they stay put on any keyboard layout.
 */
export function HelpOverlay({ onClose }: { onClose: () => void }) {
  const closeRef = useRef<HTMLButtonElement>(null);
  const keymap = useAnnotatorUi((u) => u.keymap);
  const bindKey = useAnnotatorUi((u) => u.bindKey);
  const resetKeys = useAnnotatorUi((u) => u.resetKeys);
  const [changing, setChanging] = useState<KeyAction | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    closeRef.current?.focus();
    return () => before?.focus?.();
  }, []);
  useEffect(() => {
    if (!changing) return;
    // Capture the next key before the annotation keys see it.
    const onKey = (e: KeyboardEvent) => {
      e.preventDefault();
      e.stopImmediatePropagation();
      if (e.key === 'Escape') {
        setChanging(null);
        return;
      }
      if (!bindable(e.code)) {
        setProblem(`${keyLabel(e.code)} cannot be an annotation key.`);
        return;
      }
      bindKey(changing, e.code);
      setProblem(null);
      setChanging(null);
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, [changing, bindKey]);
  return (
    <div className="fixed inset-0 z-20 flex items-center justify-center bg-slate-900/40" onClick={onClose}>
      <div
        role="dialog"
        aria-modal="true"
        aria-labelledby="help-title"
        className="max-h-[90vh] w-[32rem] overflow-auto rounded-lg bg-white p-4 shadow-xl"
        onClick={(e) => e.stopPropagation()}
      >
        <h2 id="help-title" className="mb-2 text-lg font-semibold">
          Keyboard
        </h2>
        <table className="w-full text-sm">
          <tbody>
            {KEY_ACTIONS.map((action) => (
              <tr key={action} className="border-t border-slate-100">
                <td className="py-0.5 pr-3 font-mono" data-testid={`key-${action}`}>
                  {changing === action ? 'press a key…' : keymap[action].map(keyLabel).join(', ') || '—'}
                </td>
                <td>{KEY_ACTION_TEXT[action]}</td>
                <td className="text-right">
                  <Button
                    variant="ghost"
                    onClick={() => setChanging(changing === action ? null : action)}
                    aria-label={`Change the key for ${KEY_ACTION_TEXT[action]}`}
                  >
                    {changing === action ? 'Cancel' : 'Change'}
                  </Button>
                </td>
              </tr>
            ))}
            <tr className="border-t border-slate-100">
              <td className="py-0.5 pr-3 font-mono">Esc</td>
              <td>close this help, or leave a text field</td>
              <td />
            </tr>
          </tbody>
        </table>
        {problem && (
          <p role="alert" className="mt-2 text-red-700">
            {problem}
          </p>
        )}
        <div className="mt-3 flex gap-2">
          <Button ref={closeRef} onClick={onClose}>
            Close
          </Button>
          <Button variant="ghost" onClick={resetKeys}>
            Reset to the default keys
          </Button>
        </div>
      </div>
    </div>
  );
}
