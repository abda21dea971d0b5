// The only place that constructs the encoder worker.
import { WorkerClient } from './worker-client';
import type { EncoderRequest, EncoderResults } from './encoder-protocol';

let client: WorkerClient<EncoderRequest, EncoderResults> | null = null;

export function encoderWorker(): WorkerClient<EncoderRequest, EncoderResults> {
  client ??= new WorkerClient<EncoderRequest, EncoderResults>(
    new Worker(new URL('./encoder-worker.ts', import.meta.url), { type: 'module', name: 'encoder' }),
  );
  return client;
}
