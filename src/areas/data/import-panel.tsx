import { Name } from '../../components/name';
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type DragEvent } from 'react';
import { Button } from '../../components/button';
import { ErrorMessage } from '../../components/error-message';
import { ProgressBar } from '../../components/progress-bar';
import type { MapOptions, LayoutId } from '../../domain/formats/types';
import { navigate } from '../../navigation/router';
import type { InspectResult } from '../../workers/import-protocol';
import { importWorker } from '../../workers/import-client';
import { isCancelled, type JobProgress } from '../../workers/protocol';
import { ImportReview } from './import-review';
import { datasetKeys } from './queries';

type Step =
  | { kind: 'idle' }
  | { kind: 'reading'; fileName: string; progress: JobProgress | null }
  | { kind: 'review'; inspected: InspectResult }
  | { kind: 'storing'; inspected: InspectResult; progress: JobProgress | null };

const ACCEPT = '.jsonl,.ndjson,.json,.csv,.tsv,.tab,.parquet,.pq,.gz';

/** Import: pick or drop a file, read it in a worker, review the report, then store the good rows. */
export function ImportPanel({ projectId }: { projectId: string }) {
  const qc = useQueryClient();
  const [step, setStep] = useState<Step>({ kind: 'idle' });
  const [error, setError] = useState<unknown>(null);
  const [dragging, setDragging] = useState(false);
  const abort = useRef<AbortController | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const start = async (file: File) => {
    setError(null);
    const controller = new AbortController();
    abort.current = controller;
    setStep({ kind: 'reading', fileName: file.name, progress: null });
    try {
      const inspected = await importWorker().request(
        { type: 'inspect', file, fileName: file.name },
        { signal: controller.signal, onProgress: (progress) => setStep({ kind: 'reading', fileName: file.name, progress }) },
      );
      setStep({ kind: 'review', inspected });
    } catch (e) {
      setStep({ kind: 'idle' });
      if (!isCancelled(e)) setError(e);
    }
  };

  const commit = async (inspected: InspectResult, shape: LayoutId, options: MapOptions, datasetName: string) => {
    setError(null);
    const controller = new AbortController();
    abort.current = controller;
    setStep({ kind: 'storing', inspected, progress: null });
    try {
      const { datasetId } = await importWorker().request(
        { type: 'commit', sessionId: inspected.sessionId, shape, options, projectId, datasetName },
        { signal: controller.signal, onProgress: (progress) => setStep({ kind: 'storing', inspected, progress }) },
      );
      await qc.invalidateQueries({ queryKey: datasetKeys.list(projectId) });
      await qc.invalidateQueries({ queryKey: ['projects'] });
      setStep({ kind: 'idle' });
      navigate({ page: 'project', projectId, area: 'data', datasetId });
    } catch (e) {
      // The worker has already removed any rows it wrote; the file stays loaded for another try.
      setStep({ kind: 'review', inspected });
      if (!isCancelled(e)) setError(e);
    }
  };

  const discard = (inspected: InspectResult) => {
    void importWorker().request({ type: 'discard', sessionId: inspected.sessionId });
    setStep({ kind: 'idle' });
    setError(null);
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const file = e.dataTransfer.files[0];
    if (file && step.kind === 'idle') void start(file);
  };

  return (
    <section aria-labelledby="import-title" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="import-title" className="mb-3 text-lg font-semibold">Import a dataset</h2>
      {error !== null && <div className="mb-3"><ErrorMessage title="Import failed" error={error} /></div>}
      {step.kind === 'idle' && (
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
          <Button variant="primary" onClick={() => fileInput.current?.click()}>Choose file…</Button>
          <input
            ref={fileInput}
            type="file"
            accept={ACCEPT}
            aria-label="Dataset file"
            className="sr-only"
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) void start(file);
            }}
          />
          <p className="text-xs text-slate-500">
            JSONL, JSON array, CSV, TSV or Parquet, optionally gzip-compressed (.gz). Pairs, HyPER/MultiPref, TRL,
            Chatbot Arena and Anthropic HH layouts are recognised; anything else can be mapped column by column.
          </p>
        </div>
      )}
      {step.kind === 'reading' && (
        <div className="space-y-2">
          <p className="text-sm">Reading <strong><Name text={step.fileName} /></strong>…</p>
          <ProgressBar progress={step.progress} onCancel={() => abort.current?.abort()} />
        </div>
      )}
      {step.kind === 'review' && (
        <ImportReview
          inspected={step.inspected}
          onImport={(shape, options, name) => void commit(step.inspected, shape, options, name)}
          onDiscard={() => discard(step.inspected)}
        />
      )}
      {step.kind === 'storing' && (
        <div className="space-y-2">
          <p className="text-sm">Storing <strong><Name text={step.inspected.fileName} /></strong> in this browser…</p>
          <ProgressBar progress={step.progress} onCancel={() => abort.current?.abort()} />
        </div>
      )}
    </section>
  );
}
