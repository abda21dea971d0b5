// Adapts a PPM runtime (an ONNX session in a worker or in Node) to routing's evaluator: routing feeds the
// tag counts in TAG_IDS order (the paper's 90, then the judge features); the model takes its own feature list, in its own order, possibly with a
// fixed batch size.
import { TAG_COUNT } from '../tags/tags';
import type { FeatureMatch, PpmInfo } from './contract';
import { toPpmInput } from './contract';

/** Runs the model on `rows` rows of its own input layout [rows, F]; returns one score per row. */
export type PpmRun = (input: Float32Array, rows: number) => Promise<Float32Array>;

/**
 * A performance prediction model as routing uses it. `counts` is row-major [rows, featureCount] raw integer tag
 * counts (TAG_IDS order); the answer holds one predicted score per row. The evaluator may keep or
 * transfer the buffer it is given: routing never reads a buffer again after passing it to `predict`.
 */
export interface PpmEvaluator {
  readonly featureCount: number;
  predict(counts: Float32Array, rows: number): Promise<Float32Array>;
}

/**
 * A routing evaluator over a model run: maps the tag counts to the PPM's columns (features the data lacks
 * are fed zero, see matchFeatures) and, for a model with a fixed batch size, calls it batch by batch with
 * the last batch padded with zero rows.
 */
export function tagCountEvaluator(info: Pick<PpmInfo, 'fixedBatch'>, match: Pick<FeatureMatch, 'order'>, run: PpmRun): PpmEvaluator {
  const F = match.order.length;
  const batch = info.fixedBatch;
  // One input buffer reused from call to call (a fresh 36 MB array for 100k rows costs more in page faults
  // than the mapping itself); a call made while another holds it gets its own. The run must not keep its
  // input past its answer (onnxruntime copies it into its own memory).
  let scratch: Float32Array | null = null;
  let busy = false;
  return {
    featureCount: TAG_COUNT,
    async predict(counts, rows) {
      const tags = counts.length === rows * TAG_COUNT ? counts : counts.subarray(0, rows * TAG_COUNT);
      const mine = !busy;
      if (mine) {
        busy = true;
        if (!scratch || scratch.length < rows * F) scratch = new Float32Array(rows * F);
      }
      try {
        return await predictMapped(toPpmInput(match.order, tags, rows, TAG_COUNT, mine ? scratch! : undefined), rows);
      } finally {
        if (mine) busy = false;
      }
    },
  };
  async function predictMapped(input: Float32Array, rows: number): Promise<Float32Array> {
    if (batch === null || batch === rows) return run(input, rows);
    const out = new Float32Array(rows);
    for (let from = 0; from < rows; from += batch) {
      const m = Math.min(batch, rows - from);
      const chunk = new Float32Array(batch * F);
      chunk.set(input.subarray(from * F, (from + m) * F));
      const y = await run(chunk, batch);
      out.set(y.subarray(0, m), from);
    }
    return out;
  }
}
