import { useMutation } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { Button } from '../../components/button';
import { ErrorMessage } from '../../components/error-message';
import { ProgressBar } from '../../components/progress-bar';
import type { EncoderFiles } from '../../workers/encoder-protocol';
import { encoderWorker } from '../../workers/encoder-client';
import { isCancelled, type JobProgress } from '../../workers/protocol';

interface Picked {
  model?: File;
  tokenizer?: File;
  bertModel?: File;
  bertTokenizer?: File;
}

async function read(model: File, tokenizer: File): Promise<EncoderFiles> {
  return { model: new Uint8Array(await model.arrayBuffer()), modelName: model.name, tokenizerJson: await tokenizer.text(), tokenizerName: tokenizer.name };
}

/** cosine_sim / bertscore / bertscore_length with an encoder the user loads from disk (ONNX + tokenizer.json). */
export function EncoderPanel({ datasetId, sources, onDone }: { datasetId: string; sources: string | null; onDone: () => void }) {
  const [picked, setPicked] = useState<Picked>({});
  const [progress, setProgress] = useState<JobProgress | null>(null);
  const abort = useRef<AbortController | null>(null);
  const run = useMutation({
    mutationFn: async () => {
      const controller = new AbortController();
      abort.current = controller;
      const cosine = await read(picked.model!, picked.tokenizer!);
      const bertscore = picked.bertModel && picked.bertTokenizer ? await read(picked.bertModel, picked.bertTokenizer) : undefined;
      return encoderWorker().request(
        { type: 'semantic', datasetId, cosine, ...(bertscore ? { bertscore } : {}) },
        { signal: controller.signal, onProgress: setProgress, transfer: [cosine.model.buffer, ...(bertscore ? [bertscore.model.buffer] : [])] },
      );
    },
    onSuccess: onDone,
  });
  const file = (label: string, accept: string, key: keyof Picked) => (
    <label className="flex flex-col gap-1">
      <span className="text-xs text-slate-600">{label}</span>
      <input type="file" accept={accept} aria-label={label} onChange={(e) => setPicked((p) => ({ ...p, [key]: e.target.files?.[0] }))} className="text-xs" />
    </label>
  );
  return (
    <details className="rounded-lg border border-slate-200 bg-white p-4 text-sm">
      <summary className="cursor-pointer font-semibold">
        Semantic scores from an encoder <span className="font-normal text-slate-500">({sources ?? 'compute tags to see coverage'})</span>
      </summary>
      <p className="mt-2 text-slate-600">
        cosine_sim, bertscore and bertscore_length need a sentence encoder. Load one from disk: an ONNX export and its
        tokenizer.json (see docs/encoder.md for exporting all-distilroberta-v1 and distilbert-base-uncased). It runs
        in a worker with onnxruntime-web; nothing is downloaded. Columns already in the file take precedence.
      </p>
      <div className="mt-3 grid grid-cols-1 gap-3 md:grid-cols-4">
        {file('Encoder model (.onnx)', '.onnx', 'model')}
        {file('Encoder tokenizer (tokenizer.json)', '.json', 'tokenizer')}
        {file('BERTScore model (.onnx, optional)', '.onnx', 'bertModel')}
        {file('BERTScore tokenizer (optional)', '.json', 'bertTokenizer')}
      </div>
      <Button className="mt-3" variant="primary" disabled={!picked.model || !picked.tokenizer || run.isPending} onClick={() => (setProgress(null), run.mutate())}>
        Compute semantic scores
      </Button>
      {run.isPending && <div className="mt-3"><ProgressBar progress={progress} label="Encoding pairs" onCancel={() => abort.current?.abort()} /></div>}
      {run.error && !isCancelled(run.error) && <div className="mt-3"><ErrorMessage title="The encoder could not score the pairs" error={run.error} /></div>}
      {run.data && (
        <p className="mt-2" role="status" data-testid="encoder-summary">
          Scored {run.data.n.toLocaleString('en-US')} pairs in {run.data.seconds.toFixed(1)} s. The tags are recomputed with these scores.
        </p>
      )}
    </details>
  );
}
