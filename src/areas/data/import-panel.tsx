import { Name } from '../../components/name';
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type DragEvent } from 'react';
import { Button } from '../../components/button';
import { ErrorMessage } from '../../components/error-message';
import { ProgressBar } from '../../components/progress-bar';
import type { MapOptions, LayoutId } from '../../domain/formats/types';
import { navigate, parseRoute } from '../../navigation/router';
import type { InspectResult } from '../../workers/import-protocol';
import { importWorker } from '../../workers/import-client';
import { ImportReview } from './import-review';
import { useWorkerJob } from '../../data/use-worker-job';
import { keys } from '../../data/queries';
import { announce } from '../../data/sync';

const ACCEPT = '.jsonl,.ndjson,.json,.csv,.tsv,.tab,.parquet,.pq,.gz';

interface CommitArgs {
  inspected: InspectResult;
  layout: LayoutId;
  options: MapOptions;
  datasetName: string;
}

/** Import: pick or drop a file, read it in a worker, review the report, then store the good rows. */
export function ImportPanel({ projectId }: { projectId: string }) {
  const qc = useQueryClient();
  // The file read and held in the worker, waiting for the user's review (null: nothing loaded).
  const [inspected, setInspected] = useState<InspectResult | null>(null);
  const [dragging, setDragging] = useState(false);
  const [fileName, setFileName] = useState('');
  const fileInput = useRef<HTMLInputElement>(null);
  const reading = useWorkerJob(
    (file: File, { signal, onProgress }) => importWorker().request({ type: 'inspect', file, fileName: file.name }, { signal, onProgress }),
    {
      onSuccess: (result) => setInspected(result),
    },
  );
  const storing = useWorkerJob(
    ({ inspected: i, layout, options, datasetName }: CommitArgs, { signal, onProgress }) =>
      importWorker().request(
        { type: 'commit', sessionId: i.sessionId, shape: layout, options, projectId, datasetName },
        { signal, onProgress },
      ),
    {
      onSuccess: ({ datasetId }) => {
        setInspected(null);
        void announce(qc, [keys.datasets.list(projectId), keys.projects.all]);
        // Open the new dataset, unless the lead has moved on to another page while it was stored (the job runs on).
        const here = parseRoute(window.location.hash);
        if (here.page === 'project' && here.projectId === projectId && here.area === 'data' && here.datasetId === undefined)
          navigate({ page: 'project', projectId, area: 'data', datasetId });
      },
    },
  );
  // A failed or cancelled commit leaves nothing stored (the worker removes what it wrote); the file stays loaded for another try.
  const error = storing.error ?? reading.error;
  const idle = !inspected && !reading.running;

  const start = (file: File) => {
    setFileName(file.name);
    storing.reset();
    void reading.start(file);
  };

  const discard = (held: InspectResult) => {
    void importWorker().request({ type: 'discard', sessionId: held.sessionId });
    setInspected(null);
    reading.reset();
    storing.reset();
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const file = e.dataTransfer.files[0];
    if (file && idle) start(file);
  };

  return (
    <section aria-labelledby="import-title" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="import-title" className="mb-3 text-lg font-semibold">
        Import a dataset
      </h2>
      {error ? (
        <div className="mb-3">
          <ErrorMessage title="Import failed" error={error} />
        </div>
      ) : null}
      {idle && (
        <div
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
          data-testid="drop-zone"
          className={`flex flex-col items-center gap-2 rounded-md border-2 border-dashed p-8 text-center text-sm ${dragging ? 'border-indigo-500 bg-indigo-50' : 'border-slate-300'}`}
        >
          <p>Drop a file here, or</p>
          <Button variant="primary" onClick={() => fileInput.current?.click()}>
            Choose file…
          </Button>
          <input
            ref={fileInput}
            type="file"
            accept={ACCEPT}
            aria-label="Dataset file"
            className="sr-only"
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) start(file);
            }}
          />
          <p className="text-xs text-slate-500">
            JSONL, JSON array, CSV, TSV or Parquet, optionally gzip-compressed (.gz). Pairs, HyPER/MultiPref, TRL, Chatbot Arena and
            Anthropic HH layouts are recognised; anything else can be mapped column by column.
          </p>
        </div>
      )}
      {reading.running && (
        <div className="space-y-2">
          <p className="text-sm">
            Reading{' '}
            <strong>
              <Name text={fileName} />
            </strong>
            …
          </p>
          <ProgressBar progress={reading.progress} onCancel={reading.cancel} />
        </div>
      )}
      {inspected && !storing.running && (
        <ImportReview
          inspected={inspected}
          onImport={(layout, options, datasetName) => void storing.start({ inspected, layout, options, datasetName })}
          onDiscard={() => discard(inspected)}
        />
      )}
      {inspected && storing.running && (
        <div className="space-y-2">
          <p className="text-sm">
            Storing{' '}
            <strong>
              <Name text={inspected.fileName} />
            </strong>{' '}
            in this browser…
          </p>
          <ProgressBar progress={storing.progress} onCancel={storing.cancel} />
        </div>
      )}
    </section>
  );
}
