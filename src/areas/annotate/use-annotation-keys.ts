// The annotation keys: a keydown on the page becomes a session command or a view toggle, through the keymap
// (physical keys, KeyboardEvent.code). Text fields keep their keys, except Ctrl+Enter (submit) and Esc.
import { useEffect } from 'react';
import { actionOf, type KeyAction, type Keymap } from '../../domain/annotate/keymap';
import type { AnnotatorSession } from '../../domain/annotate/session';
import { CONFIDENCE_OF_ACTION, SCALE_OF_ACTION } from './annotation-form';
import { useAnnotatorUi } from './annotator-store';

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return (
    el.tagName === 'TEXTAREA' ||
    el.tagName === 'SELECT' ||
    (el.tagName === 'INPUT' && !['checkbox', 'radio', 'range', 'button'].includes((el as HTMLInputElement).type)) ||
    el.isContentEditable
  );
}

/** What the keys do that needs the page's own state (the typed skip and flag reasons). */
export interface KeyHandlers {
  submit(): void;
  skip(): void;
  toggleFlag(): void;
  undo(): void;
}

export function useAnnotationKeys(session: AnnotatorSession, keymap: Keymap, { submit, skip, toggleFlag, undo }: KeyHandlers): void {
  const toggle = useAnnotatorUi((u) => u.toggle);
  const reveal = useAnnotatorUi((u) => u.reveal);
  useEffect(() => {
    const run = (action: KeyAction) => {
      const scale = SCALE_OF_ACTION[action];
      if (scale) return session.dispatch({ type: 'overall', shown: scale });
      const confidence = CONFIDENCE_OF_ACTION[action];
      if (confidence) return session.dispatch({ type: 'confidence', value: confidence });
      switch (action) {
        case 'submit':
          return submit();
        case 'skip':
          return skip();
        case 'flag':
          return toggleFlag();
        case 'undo':
          return undo();
        case 'next':
          return session.dispatch({ type: 'move', delta: 1 });
        case 'previous':
          return session.dispatch({ type: 'move', delta: -1 });
        case 'diff':
          return toggle('showDiff');
        case 'guidelines':
          return toggle('showGuidelines');
        case 'help':
          return toggle('showHelp');
        case 'reveal':
          // In order with the moves typed before it: on the item those lead to, once it is open.
          return session.dispatch({
            type: 'with-item',
            run: (d) => {
              if (d?.status === 'submitted') reveal(d.id);
            },
          });
      }
    };
    const onKey = (e: KeyboardEvent) => {
      const ui = useAnnotatorUi.getState();
      if (e.key === 'Escape') {
        if (ui.showHelp) toggle('showHelp', false);
        else if (isTyping(e.target)) (e.target as HTMLElement).blur();
        else if (ui.showGuidelines) toggle('showGuidelines', false);
        return;
      }
      if (isTyping(e.target)) {
        if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          submit();
        }
        return;
      }
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.code === 'KeyZ') {
        e.preventDefault();
        undo();
        return;
      }
      const action = actionOf(keymap, e.code, e);
      if (!action) return;
      // Enter on a focused button presses that button.
      if (action === 'submit' && (e.target as HTMLElement | null)?.tagName === 'BUTTON') return;
      e.preventDefault();
      run(action);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [session, keymap, submit, skip, toggleFlag, undo, toggle, reveal]);
}
