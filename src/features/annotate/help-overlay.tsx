import { useEffect, useRef } from 'react';
import { Button } from '../../components/button';

const KEYS: [string, string][] = [
  ['1 – 5', 'overall: left clearly better … right clearly better'],
  ['q / w / e', 'confidence: absolutely / fairly / not confident'],
  ['Enter', 'submit (Ctrl+Enter inside a text field)'],
  ['s', 'skip (with the reason typed in "Skip reason")'],
  ['f', 'flag / unflag'],
  ['u, Ctrl+Z', 'undo the last change'],
  ['n, →', 'next item'],
  ['p, ←', 'previous item'],
  ['d', 'show the differences between the responses'],
  ['r', 'reveal the LM label (after submitting)'],
  ['g', 'guidelines'],
  ['?', 'this help'],
  ['Esc', 'close this help, or leave a text field'],
];

/** Keyboard help: a modal dialog that takes focus and gives it back when closed. */
export function HelpOverlay({ onClose }: { onClose: () => void }) {
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    closeRef.current?.focus();
    return () => before?.focus?.();
  }, []);
  return (
    <div className="fixed inset-0 z-20 flex items-center justify-center bg-slate-900/40" onClick={onClose}>
      <div role="dialog" aria-modal="true" aria-labelledby="help-title" className="w-[28rem] rounded-lg bg-white p-4 shadow-xl" onClick={(e) => e.stopPropagation()}>
        <h2 id="help-title" className="mb-2 text-lg font-semibold">Keyboard</h2>
        <table className="w-full text-sm">
          <tbody>
            {KEYS.map(([k, v]) => (
              <tr key={k} className="border-t border-slate-100"><td className="py-0.5 pr-3 font-mono">{k}</td><td>{v}</td></tr>
            ))}
          </tbody>
        </table>
        <Button ref={closeRef} className="mt-3" onClick={onClose}>Close</Button>
      </div>
    </div>
  );
}
