// The annotator's place in the queue: position, progress, moving, order.
import { Name } from '../../components/name';
import { useState } from 'react';
import { Button } from '../../components/button';
import type { AnnotatorStateRow } from '../../storage/db';
import { useAnnotatorUi } from './annotator-store';

export function QueueBar(props: {
  annotator: string;
  total: number;
  position: number;
  done: number;
  /** The queue's order is the server's (team mode): no order choice. */
  fixedOrder?: boolean;
  state: AnnotatorStateRow | undefined;
  isPack: boolean;
  onGo: (p: number) => void;
  onOrder: (order: 'gain' | 'shuffled', seed: number) => void;
}) {
  const setName = useAnnotatorUi((s) => s.setName);
  const [jump, setJump] = useState('');
  const pct = props.total ? Math.round((props.done / props.total) * 100) : 0;
  return (
    <div className="flex flex-wrap items-center gap-3 rounded-lg border border-slate-200 bg-white p-2">
      <span>
        Annotator{' '}
        <strong data-testid="annotator-name">
          <Name text={props.annotator} />
        </strong>
      </span>
      {!props.isPack && (
        <Button variant="ghost" onClick={() => setName('')}>
          Switch
        </Button>
      )}
      <span data-testid="queue-position">
        Item {props.total ? props.position + 1 : 0} of {props.total}
      </span>
      <span data-testid="queue-progress" className="text-slate-600">
        {props.done} submitted ({pct}%)
      </span>
      <progress max={props.total || 1} value={props.done} className="h-2 w-32" aria-label="Progress" />
      <Button onClick={() => props.onGo(props.position - 1)} disabled={props.position === 0}>
        Previous <kbd className="font-mono text-xs opacity-70">p</kbd>
      </Button>
      <Button onClick={() => props.onGo(props.position + 1)} disabled={props.position >= props.total - 1}>
        Next <kbd className="font-mono text-xs opacity-70">n</kbd>
      </Button>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const n = Number(jump);
          if (Number.isInteger(n) && n >= 1) props.onGo(n - 1);
          setJump('');
        }}
        className="flex items-center gap-1"
      >
        <input
          aria-label="Jump to item"
          value={jump}
          onChange={(e) => setJump(e.target.value)}
          placeholder="#"
          className="w-14 rounded-md border border-slate-300 px-1"
        />
        <Button type="submit">Go</Button>
      </form>
      {props.state && !props.fixedOrder && (
        <label className="flex items-center gap-1">
          Order
          <select
            aria-label="Queue order"
            value={props.state.order}
            onChange={(e) => props.onOrder(e.target.value as 'gain' | 'shuffled', props.state!.seed)}
            className="rounded-md border border-slate-300 px-1"
          >
            <option value="gain">by gain (routing order)</option>
            <option value="shuffled">shuffled with a seed</option>
          </select>
        </label>
      )}
      {props.state?.order === 'shuffled' && (
        <label className="flex items-center gap-1">
          Seed
          <input
            aria-label="Queue seed"
            type="number"
            value={props.state.seed}
            onChange={(e) => {
              const seed = Math.trunc(Number(e.target.value));
              if (Number.isFinite(seed)) props.onOrder('shuffled', seed);
            }}
            className="w-20 rounded-md border border-slate-300 px-1"
          />
        </label>
      )}
    </div>
  );
}
