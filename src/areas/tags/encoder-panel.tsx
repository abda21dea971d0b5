import { useState } from 'react';
import { useWorkerJob } from '../../data/use-worker-job';
import { Button } from '../../components/button';
import { ErrorMessage } from '../../components/error-message';
import { ProgressBar } from '../../components/progress-bar';
import type { EncoderFiles } from '../../workers/encoder-protocol';
import { encoderWorker } from '../../workers/encoder-client';

interface Picked {
  model?: File;
  tokenizer?: File;
  bertModel?: File;
  bertTokenizer?: File;
}

async function read(model: File, tokenizer: File): Promise<EncoderFiles> {
  return {
    model: new Uint8Array(await model.arrayBuffer()),
    modelName: model.name,
    tokenizerJson: await tokenizer.text(),
    tokenizerName: tokenizer.name,
  };
}

/** cosine_sim / bertscore / bertscore_length with an encoder the user loads from disk (ONNX + tokenizer.json). */
export function EncoderPanel({ datasetId, sources, onDone }: { datasetId: string; sources: string | null; onDone: () => void }) {
  const [picked, setPicked] = useState<Picked>({});
  const run = useWorkerJob(
    async (files: Picked, { signal, onProgress }) => {
      const cosine = await read(files.model!, files.tokenizer!);
      const bertscore = files.bertModel && files.bertTokenizer ? await read(files.bertModel, files.bertTokenizer) : undefined;
      return encoderWorker().request(
        { type: 'semantic', datasetId, cosine, ...(bertscore ? { bertscore } : {}) },
        { signal, onProgress, transfer: [cosine.model.buffer, ...(bertscore ? [bertscore.model.buffer] : [])] },
      );
    },
    { onSuccess: onDone },
  );
  const file = (label: string, accept: string, key: keyof Picked) => (
    <label className="flex flex-col gap-1">
      <span className="text-xs text-slate-600">{label}</span>
      <input
        type="file"
        accept={accept}
        aria-label={label}
        onChange={(e) => setPicked((p) => ({ ...p, [key]: e.target.files?.[0] }))}
        className="text-xs"
      />
    </label>
  );
  return (
    <details className="rounded-lg border border-slate-200 bg-white p-4 text-sm">
      <summary className="cursor-pointer font-semibold">
        Semantic scores from an encoder <span className="font-normal text-slate-500">({sources ?? 'compute tags to see coverage'})</span>
      </summary>
      <p className="mt-2 text-slate-600">
        cosine_sim, bertscore and bertscore_length need a sentence encoder. Load one from disk: an ONNX export and its tokenizer.json (see
        docs/encoder.md for exporting all-distilroberta-v1 and distilbert-base-uncased). It runs in a worker with onnxruntime-web; nothing
        is downloaded. Columns already in the file take precedence.
      </p>
      <div className="mt-3 grid grid-cols-1 gap-3 md:grid-cols-4">
        {file('Encoder model (.onnx)', '.onnx', 'model')}
        {file('Encoder tokenizer (tokenizer.json)', '.json', 'tokenizer')}
        {file('BERTScore model (.onnx, optional)', '.onnx', 'bertModel')}
        {file('BERTScore tokenizer (optional)', '.json', 'bertTokenizer')}
      </div>
      <Button
        className="mt-3"
        variant="primary"
        disabled={!picked.model || !picked.tokenizer || run.running}
        onClick={() => void run.start(picked)}
      >
        Compute semantic scores
      </Button>
      {run.running && (
        <div className="mt-3">
          <ProgressBar progress={run.progress} label="Encoding pairs" onCancel={run.cancel} />
        </div>
      )}
      {run.error ? (
        <div className="mt-3">
          <ErrorMessage title="The encoder could not score the pairs" error={run.error} />
        </div>
      ) : null}
      {run.result && (
        <p className="mt-2" role="status" data-testid="encoder-summary">
          Scored {run.result.n.toLocaleString('en-US')} pairs in {run.result.seconds.toFixed(1)} s. The tags are recomputed with these
          scores.
        </p>
      )}
    </details>
  );
}
