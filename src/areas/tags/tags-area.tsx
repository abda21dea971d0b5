import { useMemo, useState } from 'react';
import { Button } from '../../components/button';
import { ErrorMessage } from '../../components/error-message';
import { ProgressBar } from '../../components/progress-bar';
import { coverageText, tagsOf, type TagSet } from '../../domain/tags/tag-set';
import { RANKED_SCORES, LEXICAL_TAG_SCORES } from '../../domain/tags/tags';
import type { ScoreName } from '../../domain/instance';
import { defaultPoolSize } from '../../workers/tags-pool';
import { AnalyzerPanel } from './analyzer-panel';
import { JudgePanel } from './judge-panel';
import { EncoderPanel } from './encoder-panel';
import { Histogram } from './histogram';
import { useDatasets, useTagSet } from '../../data/queries';
import { useComputeTags } from './queries';
import { readableTag } from './tag-text';

/** The Features area: compute the tags of a dataset (the paper's 90, and the judge features), see their coverage, distributions and one pair's tags. */
export function TagsArea({ projectId }: { projectId: string }) {
  const datasets = useDatasets(projectId);
  const [chosen, setChosen] = useState<string | null>(null);
  const list = datasets.data ?? [];
  const dataset = list.find((d) => d.id === chosen) ?? list[list.length - 1];
  if (datasets.error)
    return (
      <div className="p-6">
        <ErrorMessage title="Could not read datasets" error={datasets.error} />
      </div>
    );
  if (datasets.isPending) return <p className="p-6 text-sm text-slate-600">Loading…</p>;
  if (!dataset) return <p className="p-6 text-sm text-slate-600">This project has no dataset yet: import one on the Data page first.</p>;
  return (
    <div className="mx-auto max-w-6xl space-y-5 p-6">
      <div className="flex flex-wrap items-center gap-3">
        <h2 className="text-lg font-semibold">Tags</h2>
        <label className="flex items-center gap-2 text-sm">
          Dataset
          <select
            aria-label="Dataset"
            value={dataset.id}
            onChange={(e) => setChosen(e.target.value)}
            className="rounded-md border border-slate-300 px-2 py-1"
          >
            {list.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name} ({d.rowCount.toLocaleString('en-US')} pairs)
              </option>
            ))}
          </select>
        </label>
      </div>
      <DatasetTagsPanel key={dataset.id} datasetId={dataset.id} n={dataset.rowCount} />
    </div>
  );
}

function DatasetTagsPanel({ datasetId, n }: { datasetId: string; n: number }) {
  const tagSet = useTagSet(datasetId);
  const compute = useComputeTags(datasetId, n);
  const [workerCount, setWorkerCount] = useState(defaultPoolSize());
  const fs = tagSet.data;
  const start = () => void compute.start(workerCount);

  return (
    <>
      <section
        aria-label="Tag computation"
        className="flex flex-wrap items-center gap-3 rounded-lg border border-slate-200 bg-white p-4 text-sm"
      >
        {fs ? (
          <p data-testid="tag-status" data-compute-ms={fs.computeMs.toFixed(1)} data-created-at={fs.createdAt}>
            Tags computed {new Date(fs.createdAt).toLocaleString()} for {fs.n.toLocaleString('en-US')} pairs in{' '}
            {(fs.computeMs / 1000).toFixed(1)} s ({Math.round(fs.n / Math.max(fs.computeMs / 1000, 0.001)).toLocaleString('en-US')}{' '}
            pairs/s).
          </p>
        ) : (
          <p data-testid="tag-status">Tags not computed yet for this dataset.</p>
        )}
        <label className="ml-auto flex items-center gap-1">
          Workers
          <input
            type="number"
            min={1}
            max={8}
            aria-label="Workers"
            value={workerCount}
            onChange={(e) => setWorkerCount(Math.max(1, Math.min(8, Number(e.target.value) || 1)))}
            className="w-16 rounded-md border border-slate-300 px-2 py-1"
          />
        </label>
        <Button variant="primary" disabled={compute.running} onClick={start}>
          {fs ? 'Recompute tags' : 'Compute tags'}
        </Button>
        {compute.running && (
          <div className="w-full">
            <ProgressBar progress={compute.progress} onCancel={compute.cancel} />
          </div>
        )}
        {compute.error ? (
          <div className="w-full">
            <ErrorMessage title="Tag computation failed" error={compute.error} />
          </div>
        ) : null}
      </section>
      <AnalyzerPanel datasetId={datasetId} n={n} withDescriptive={fs ? fs.withDescriptive : null} onDone={start} />
      <JudgePanel datasetId={datasetId} onDone={start} />
      <EncoderPanel
        datasetId={datasetId}
        sources={fs ? `cosine_sim: ${fs.scoreSources.cosine_sim}, bertscore: ${fs.scoreSources.bertscore}` : null}
        onDone={start}
      />
      {fs && <TagReport fs={fs} />}
    </>
  );
}

function TagReport({ fs }: { fs: TagSet }) {
  const [lookup, setLookup] = useState('1');
  const position = Number(lookup) - 1;
  const instanceTags = useMemo(
    () => (Number.isInteger(position) && position >= 0 && position < fs.n ? tagsOf(fs.tagBits, position) : null),
    [fs, position],
  );
  return (
    <>
      <section aria-labelledby="scores-title">
        <h3 id="scores-title" className="mb-2 font-semibold">
          Raw scores
        </h3>
        <div className="grid grid-cols-2 gap-3 md:grid-cols-3">
          {LEXICAL_TAG_SCORES.map((s) => (
            <div key={s}>
              <Histogram title={s} values={fs.columns[s]} ranked={RANKED_SCORES.has(s)} />
              <p className="mt-0.5 text-xs text-slate-500">source: {fs.scoreSources[s as ScoreName]}</p>
            </div>
          ))}
        </div>
      </section>
      <section aria-labelledby="instance-title" className="rounded-lg border border-slate-200 bg-white p-4">
        <h3 id="instance-title" className="mb-2 font-semibold">
          Tags of one pair
        </h3>
        <label className="flex items-center gap-2 text-sm">
          Pair number (1–{fs.n.toLocaleString('en-US')})
          <input
            aria-label="Pair number"
            value={lookup}
            onChange={(e) => setLookup(e.target.value)}
            className="w-28 rounded-md border border-slate-300 px-2 py-1"
          />
        </label>
        {instanceTags ? (
          <ul className="mt-2 flex flex-wrap gap-1" aria-label="Tags of the pair">
            {instanceTags.map((t) => (
              <li key={t} title={t} className="rounded bg-indigo-50 px-1.5 py-0.5 text-xs text-indigo-900">
                {readableTag(t)}
              </li>
            ))}
            {instanceTags.length === 0 && <li className="text-sm text-slate-500">no tags</li>}
          </ul>
        ) : (
          <p className="mt-2 text-sm text-slate-500">No pair with that number.</p>
        )}
      </section>
      <section aria-labelledby="coverage-title">
        <h3 id="coverage-title" className="mb-2 font-semibold">
          Tag coverage <span className="font-normal text-slate-500">({coverageText(fs.coverage, 'words')})</span>
        </h3>
        <table className="w-full rounded-md border border-slate-200 bg-white text-sm" aria-label="Tag coverage">
          <thead className="bg-slate-100 text-left text-xs uppercase text-slate-600">
            <tr>
              <th className="px-3 py-1.5">Tag</th>
              <th className="px-3 py-1.5">Available</th>
              <th className="px-3 py-1.5 text-right">Pairs</th>
              <th className="px-3 py-1.5">Share</th>
            </tr>
          </thead>
          <tbody>
            {fs.coverage.map((c) => (
              <tr key={c.tag} className="border-t border-slate-100">
                <td className="px-3 py-1" title={c.tag}>
                  {readableTag(c.tag)}
                </td>
                <td className="px-3 py-1">{c.available ? 'yes' : <span className="text-slate-500">no: {c.reason}</span>}</td>
                <td className="px-3 py-1 text-right tabular-nums">{c.count.toLocaleString('en-US')}</td>
                <td className="px-3 py-1">
                  <div className="h-2 w-32 rounded bg-slate-100">
                    <div className="h-2 rounded bg-indigo-400" style={{ width: `${(c.count / Math.max(1, fs.n)) * 100}%` }} />
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
