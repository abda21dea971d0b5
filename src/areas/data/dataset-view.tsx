import { Name } from '../../components/name';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { LabelBadge } from '../../components/label-badge';
import { ProgressBar } from '../../components/progress-bar';
import { EMPTY_QUERY, type AgreementFilter, type DatasetQuery, type WinnerFilter } from '../../domain/dataset-query';
import { LAYOUT_TEXT } from '../../domain/formats/types';
import { navigate } from '../../navigation/router';
import type { JobProgress } from '../../workers/protocol';
import { datasetHref, datasetsHref } from './links';
import { PairDetail } from './pair-detail';
import { useDataset } from '../../data/queries';
import { useDatasetQuery, useRowPages, useWarmSearchIndex, type QueryMatches } from './queries';

const ROW_HEIGHT = 36;

/** One dataset: search, label filters, a virtualised table (only visible rows are read), and a pair's detail. */
export function DatasetView({ projectId, datasetId, item }: { projectId: string; datasetId: string; item: number | undefined }) {
  const dataset = useDataset(datasetId);
  const [query, setQuery] = useState<DatasetQuery>(EMPTY_QUERY);
  const [searchText, setSearchText] = useState('');
  const [indexing, setIndexing] = useState<JobProgress | null>(null);

  useEffect(() => {
    // Debounced: one worker query per pause in typing, not per keystroke.
    const t = setTimeout(() => setQuery((q) => (q.search === searchText ? q : { ...q, search: searchText })), 200);
    return () => clearTimeout(t);
  }, [searchText]);

  // The search index is read while the table is on screen, so the first search does not wait for it.
  useWarmSearchIndex(datasetId);
  const matches = useDatasetQuery(datasetId, query, setIndexing);
  const shown: QueryMatches = matches.data ?? { query: EMPTY_QUERY, indices: null };
  const total = shown.indices ? shown.indices.length : (dataset.data?.rowCount ?? 0);

  if (dataset.isPending) return <p className="p-6 text-sm text-slate-600">Loading dataset…</p>;
  if (dataset.error)
    return (
      <div className="p-6">
        <ErrorMessage title="Could not read the dataset" error={dataset.error} />
      </div>
    );
  if (!dataset.data)
    return (
      <div className="p-6">
        <ErrorMessage title="Dataset not found" error="It may have been deleted." />
      </div>
    );
  const d = dataset.data;

  return (
    <div className="flex h-[calc(100vh-49px)] flex-col">
      <div className="flex flex-wrap items-center gap-3 border-b border-slate-200 bg-white px-4 py-2 text-sm">
        <a className="text-indigo-700 hover:underline" href={datasetsHref(projectId)}>
          ← Datasets
        </a>
        <h2 className="font-semibold">
          <Name text={d.name} />
        </h2>
        <span className="text-slate-500">
          {d.rowCount.toLocaleString('en-US')} pairs · {LAYOUT_TEXT[d.shape].split(' (')[0]} · <Name text={d.fileName} />
        </span>
        <details className="relative text-xs text-slate-600">
          <summary className="cursor-pointer">Import report</summary>
          <div className="absolute z-10 mt-1 w-96 space-y-1 rounded-md border border-slate-200 bg-white p-3 shadow-lg">
            <p>
              Imported {new Date(d.createdAt).toLocaleString()} from <Name text={d.fileName} /> ({d.format.toUpperCase()}
              {d.compressed ? ', gzip' : ''})
            </p>
            <p className="break-all">SHA-256 {d.contentHash}</p>
            <p>
              {d.report.rowsRead.toLocaleString('en-US')} rows read · {d.report.importable.toLocaleString('en-US')} imported ·{' '}
              {d.report.rejected.length.toLocaleString('en-US')} rejected · {d.report.warnings.length.toLocaleString('en-US')} warnings
            </p>
            {d.report.rejected.slice(0, 20).map((r, i) => (
              <p key={i} className="pair-text">
                line/row {r.row}: {r.reason}
              </p>
            ))}
          </div>
        </details>
      </div>
      <div className="flex flex-wrap items-center gap-3 border-b border-slate-200 bg-slate-50 px-4 py-2 text-sm">
        <input
          type="search"
          aria-label="Search pairs"
          placeholder="Search prompt, responses, id, models"
          value={searchText}
          onChange={(e) => setSearchText(e.target.value)}
          className="w-72 rounded-md border border-slate-300 px-2 py-1"
        />
        <WinnerSelect label="LM label" value={query.lm} onChange={(lm) => setQuery({ ...query, lm })} />
        <WinnerSelect label="Human label" value={query.human} onChange={(human) => setQuery({ ...query, human })} />
        <label className="flex items-center gap-1">
          Agreement
          <select
            aria-label="Agreement"
            value={query.agreement}
            onChange={(e) => setQuery({ ...query, agreement: e.target.value as AgreementFilter })}
            className="rounded-md border border-slate-300 px-1 py-0.5"
          >
            <option value="any">any</option>
            <option value="agree">LM agrees with humans</option>
            <option value="disagree">LM disagrees with humans</option>
          </select>
        </label>
        <span role="status" data-testid="match-count" className="ml-auto tabular-nums text-slate-600">
          {matches.isFetching ? 'Searching… ' : ''}
          {total.toLocaleString('en-US')} {shown.indices ? 'matching' : ''} pairs
        </span>
      </div>
      {matches.isFetching && indexing && indexing.done < indexing.total && (
        <div className="px-4 py-1">
          <ProgressBar progress={indexing} />
        </div>
      )}
      {matches.error && (
        <div className="p-3">
          <ErrorMessage title="Search failed" error={matches.error} />
        </div>
      )}
      <div className="flex min-h-0 flex-1">
        <PairTable projectId={projectId} datasetId={datasetId} matches={shown} total={total} selected={item} />
        {item !== undefined && (
          <PairDetail
            datasetId={datasetId}
            idx={item}
            onClose={() => navigate({ page: 'project', projectId, area: 'data', datasetId })}
            onStep={(delta) => {
              const next = neighbour(shown.indices, d.rowCount, item, delta);
              if (next !== null) navigate({ page: 'project', projectId, area: 'data', datasetId, item: next });
            }}
          />
        )}
      </div>
    </div>
  );
}

/** The position before/after `idx` among the matches (all rows when unfiltered), or null at the ends. */
function neighbour(indices: Uint32Array | null, rowCount: number, idx: number, delta: 1 | -1): number | null {
  if (!indices) {
    const next = idx + delta;
    return next >= 0 && next < rowCount ? next : null;
  }
  // indices is sorted ascending: find the first position >= idx.
  let lo = 0;
  let hi = indices.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (indices[mid]! < idx) lo = mid + 1;
    else hi = mid;
  }
  const pos = delta === 1 ? (indices[lo] === idx ? lo + 1 : lo) : lo - 1;
  return pos >= 0 && pos < indices.length ? indices[pos]! : null;
}

function WinnerSelect({ label, value, onChange }: { label: string; value: WinnerFilter; onChange: (v: WinnerFilter) => void }) {
  return (
    <label className="flex items-center gap-1">
      {label}
      <select
        aria-label={label}
        value={value}
        onChange={(e) => onChange(e.target.value as WinnerFilter)}
        className="rounded-md border border-slate-300 px-1 py-0.5"
      >
        <option value="any">any</option>
        <option value="A">A wins</option>
        <option value="B">B wins</option>
        <option value="tie">tie</option>
        <option value="missing">missing</option>
      </select>
    </label>
  );
}

function PairTable(props: { projectId: string; datasetId: string; matches: QueryMatches; total: number; selected: number | undefined }) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: props.total,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  const rows = useRowPages(props.datasetId, props.matches, first, last);
  const indices = props.matches.indices;

  return (
    <div className="flex min-w-0 flex-1 flex-col">
      <div
        className="grid grid-cols-[5rem_9rem_1fr_8rem_8rem] gap-2 border-b border-slate-200 bg-slate-100 px-3 py-1 text-xs font-medium uppercase text-slate-600"
        role="row"
      >
        <span role="columnheader">Row</span>
        <span role="columnheader">Id</span>
        <span role="columnheader">Prompt</span>
        <span role="columnheader">LM label</span>
        <span role="columnheader">Human label</span>
      </div>
      <div ref={scroller} className="min-h-0 flex-1 overflow-auto" role="grid" aria-label="Pairs" aria-rowcount={props.total}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((v) => {
            const row = rows.get(v.index);
            const idx = indices ? indices[v.index] : v.index;
            return (
              <a
                key={v.key}
                role="row"
                aria-rowindex={v.index + 1}
                href={idx !== undefined ? datasetHref(props.projectId, props.datasetId, idx) : undefined}
                aria-selected={idx === props.selected}
                className={`absolute left-0 grid w-full grid-cols-[5rem_9rem_1fr_8rem_8rem] items-center gap-2 border-b border-slate-100 px-3 text-sm hover:bg-indigo-50 ${idx === props.selected ? 'bg-indigo-100' : ''}`}
                style={{ top: v.start, height: ROW_HEIGHT }}
              >
                <span role="gridcell" className="tabular-nums text-slate-500">
                  {row?.sourceRow ?? ''}
                </span>
                <span role="gridcell" data-testid="cell-id" className="truncate font-mono text-xs">
                  {row?.id ?? '…'}
                </span>
                <span role="gridcell" className="truncate">
                  {row ? row.prompt.slice(0, 300) : ''}
                </span>
                <span role="gridcell">{row && <LabelBadge label={row.lm} />}</span>
                <span role="gridcell">{row && <LabelBadge label={row.human} />}</span>
              </a>
            );
          })}
        </div>
      </div>
    </div>
  );
}
