import { useState, type FormEvent } from 'react';
import { Button } from '../../components/button';
import { routeHref } from '../../navigation/router';
import { useAnnotatorUi } from './annotator-store';
import { useCurrentPlan, useProject } from '../../data/queries';
import { Workbench } from './workbench';

/** The Annotate area: who is labelling, their queue from the locked plan, and the item being labelled. */
export function AnnotateArea({ projectId }: { projectId: string }) {
  const project = useProject(projectId);
  const plan = useCurrentPlan(projectId);
  const storedName = useAnnotatorUi((s) => s.name);
  if (project.isPending || plan.isPending) return <p className="p-6 text-sm text-slate-600">Loading…</p>;
  if (!project.data) return null;
  if (!plan.data) {
    return (
      <p className="p-6 text-sm text-slate-700">
        No routing plan is locked yet.{' '}
        <a className="text-indigo-700 underline" href={routeHref({ page: 'project', projectId, area: 'route' })}>
          Route the dataset
        </a>{' '}
        and lock a plan: its human queue is what annotators label here.
      </p>
    );
  }
  const annotator = project.data.pack?.annotator ?? storedName;
  if (!annotator) return <WhoAreYou />;
  return <Workbench project={project.data} plan={plan.data} annotator={annotator} />;
}

function WhoAreYou() {
  const setName = useAnnotatorUi((s) => s.setName);
  const [name, setLocal] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (name.trim()) setName(name.trim());
  };
  return (
    <form onSubmit={submit} className="mx-auto mt-10 max-w-sm space-y-3 rounded-lg border border-slate-200 bg-white p-6">
      <h2 className="text-lg font-semibold">Who is annotating?</h2>
      <p className="text-sm text-slate-600">Your name is stored with every label you make (no account needed).</p>
      <label className="block text-sm">
        Your name
        <input
          autoFocus
          aria-label="Your name"
          value={name}
          onChange={(e) => setLocal(e.target.value)}
          className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1"
        />
      </label>
      <Button type="submit" variant="primary" disabled={!name.trim()}>
        Start annotating
      </Button>
    </form>
  );
}
