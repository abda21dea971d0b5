import { describe, expect, it } from 'vitest';
import { SEMANTIC_SCORES } from '../tags/tag-set';
import { TAG_DEFS, TAG_IDS } from '../tags/tags';
import { encodeModel, GraphBuilder, readMetadataProps } from '../onnx';
import { buildLinearPpm } from './builders';
import { matchFeatures, PPM_META, PpmError, readPpmInfo, toPpmInput, type PpmErrorCode } from './contract';

const FEATURES = [TAG_IDS[0]!, TAG_IDS[10]!, TAG_IDS[30]!];

/** A hand-built model: input [N, inWidth], output [N, outWidth], with the given metadata. */
function model(
  metadata: Record<string, string>,
  opts: { inWidth?: number | string; outWidth?: number; inType?: 'float32' | 'int64' } = {},
): Uint8Array {
  const inWidth = opts.inWidth ?? FEATURES.length;
  const outWidth = opts.outWidth ?? 1;
  const F = typeof inWidth === 'number' ? inWidth : FEATURES.length;
  const g = new GraphBuilder('m');
  if (opts.inType === 'int64') {
    const x = g.input('x', 'int64', ['N', inWidth]);
    const c = g.op('Cast', [x], { attributes: { to: { kind: 'int', value: 1 } } });
    g.op('MatMul', [c, g.float32('w', [F, outWidth], new Float32Array(F * outWidth))], { output: 'y' });
  } else {
    const x = g.input('x', 'float32', ['N', inWidth]);
    g.op('MatMul', [x, g.float32('w', [F, outWidth], new Float32Array(F * outWidth))], { output: 'y' });
  }
  g.output('y', 'float32', ['N', outWidth]);
  return encodeModel({ graph: g.build(), metadata });
}

const GOOD_META: Record<string, string> = {
  [PPM_META.version]: '1',
  [PPM_META.kind]: 'other',
  [PPM_META.features]: JSON.stringify(FEATURES),
  [PPM_META.output]: 'RewardBench Overall 0..1',
  [PPM_META.source]: 'test',
};

function errorOf(f: () => unknown): PpmError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(PpmError);
    return e as PpmError;
  }
  throw new Error('expected a PpmError');
}

function expectCode(bytes: Uint8Array, code: PpmErrorCode, message: RegExp, key?: string): void {
  const e = errorOf(() => readPpmInfo(bytes));
  expect(e.code).toBe(code);
  expect(e.message).toMatch(message);
  if (key !== undefined) expect(e.key).toBe(key);
}

describe('metadata round trip', () => {
  it('builder metadata reads back unchanged, including unicode and extra keys', () => {
    const bytes = buildLinearPpm({
      weights: [1, 2, 3],
      bias: 0.5,
      features: FEATURES,
      output: 'RewardBench Overall 0..1 – Größe ✓',
      source: 'fit on «MultiPref» mixes',
      trainedOn: '250 candidate mixes',
      cvSpearman: 0.61,
      cvRmse: 0.27,
    });
    const meta = readMetadataProps(bytes);
    expect(meta).toEqual({
      'hyper.ppm.version': '1',
      'hyper.ppm.kind': 'linear',
      'hyper.ppm.features': JSON.stringify(FEATURES),
      'hyper.ppm.output': 'RewardBench Overall 0..1 – Größe ✓',
      'hyper.ppm.source': 'fit on «MultiPref» mixes',
      'hyper.ppm.trained_on': '250 candidate mixes',
      'hyper.ppm.cv_spearman': '0.61',
      'hyper.ppm.cv_rmse': '0.27',
    });
    const info = readPpmInfo(bytes);
    expect(info.output).toBe('RewardBench Overall 0..1 – Größe ✓');
    expect(info.trainedOn).toBe('250 candidate mixes');
    expect(info.cvSpearman).toBe(0.61);
    expect(info.cvRmse).toBe(0.27);
  });

  it('accepts a hand-built model with a symbolic feature dim and keeps extra metadata', () => {
    const info = readPpmInfo(model({ ...GOOD_META, 'other.key': 'x' }, { inWidth: 'F' }));
    expect(info.kind).toBe('other');
    expect(info.features).toEqual(FEATURES);
    expect(info.inputName).toBe('x');
    expect(info.outputName).toBe('y');
    expect(info.metadata['other.key']).toBe('x');
    expect(info.trainedOn).toBeUndefined();
    expect(info.cvSpearman).toBeUndefined();
  });
});

describe('readPpmInfo errors', () => {
  it('garbage bytes are not an ONNX model', () => {
    const next = (() => {
      let s = 1;
      return () => (s = (s * 1103515245 + 12345) & 0x7fffffff) & 0xff;
    })();
    expectCode(Uint8Array.from({ length: 256 }, next), 'not-onnx', /not an ONNX model/);
    expectCode(new TextEncoder().encode('{"not": "onnx"}'), 'not-onnx', /not an ONNX model/);
    expectCode(new Uint8Array([0x0a, 0xff]), 'not-onnx', /not an ONNX model/);
    expectCode(new Uint8Array(0), 'not-onnx', /empty/);
  });

  it('a model with a [N, 3] output', () => {
    expectCode(model(GOOD_META, { outWidth: 3 }), 'bad-output', /"y" is \[N, 3\].*\[N, 1\]/);
  });

  it('an input whose width differs from the feature count, or of the wrong type', () => {
    expectCode(model(GOOD_META, { inWidth: 4 }), 'bad-input', /\[N, 4\].*lists 3 features/);
    expectCode(model(GOOD_META, { inType: 'int64' }), 'bad-input', /int64.*float32/);
  });

  it('missing features key', () => {
    const { [PPM_META.features]: _, ...meta } = GOOD_META;
    expectCode(model(meta), 'missing-metadata', /hyper\.ppm\.features is missing/, PPM_META.features);
  });

  it('no metadata at all', () => {
    expectCode(model({}), 'missing-metadata', /carries no PPM metadata/, PPM_META.version);
  });

  it('bad JSON in features', () => {
    expectCode(
      model({ ...GOOD_META, [PPM_META.features]: '["a", ' }),
      'bad-metadata',
      /hyper\.ppm\.features is not valid JSON/,
      PPM_META.features,
    );
    expectCode(model({ ...GOOD_META, [PPM_META.features]: '{"a": 1}' }), 'bad-metadata', /expected a JSON array/, PPM_META.features);
    expectCode(model({ ...GOOD_META, [PPM_META.features]: '[1, 2, 3]' }), 'bad-metadata', /\[0\] is 1/, PPM_META.features);
  });

  it('duplicate and unknown feature names', () => {
    expectCode(
      model({ ...GOOD_META, [PPM_META.features]: JSON.stringify([FEATURES[0], FEATURES[1], FEATURES[0]]) }),
      'duplicate-feature',
      /appears twice \(columns 0 and 2\)/,
    );
    expectCode(
      model({ ...GOOD_META, [PPM_META.features]: JSON.stringify([FEATURES[0], 'prompt_len_bin_9', FEATURES[2]]) }),
      'unknown-feature',
      /\[1\] "prompt_len_bin_9" is not a known tag id/,
    );
  });

  it('bad kind, version and numbers', () => {
    expectCode(
      model({ ...GOOD_META, [PPM_META.kind]: 'cubic' }),
      'bad-metadata',
      /"cubic": expected one of linear, quadratic, other/,
      PPM_META.kind,
    );
    expectCode(model({ ...GOOD_META, [PPM_META.version]: '2' }), 'unsupported-version', /"2"/, PPM_META.version);
    expectCode(model({ ...GOOD_META, [PPM_META.output]: '  ' }), 'bad-metadata', /hyper\.ppm\.output is empty/, PPM_META.output);
    expectCode(
      model({ ...GOOD_META, [PPM_META.cvSpearman]: '0.41 +/- 0.06' }),
      'bad-metadata',
      /cv_spearman.*expected a number/,
      PPM_META.cvSpearman,
    );
  });
});

describe('matchFeatures', () => {
  const ppm = { features: [...TAG_IDS] };
  const semantic = new Set<string>(SEMANTIC_SCORES);
  const lacksSemantic = TAG_IDS.map((tag, i) => {
    const def = TAG_DEFS[i]!;
    return { tag, available: !(def.kind === 'bin' && semantic.has(def.score)) };
  });

  it('a dataset without the semantic tags: those columns are fed zeros', () => {
    const m = matchFeatures(ppm, lacksSemantic);
    expect(m.missingInData).toHaveLength(9);
    expect(m.missingInData.every((t) => /^(cosine_sim|bertscore|bertscore_length)::/.test(t))).toBe(true);
    expect(m.unusedDataTags).toEqual([]);
    expect(m.order).toHaveLength(TAG_IDS.length);
    TAG_IDS.forEach((t, i) => expect(m.order[i]).toBe(m.missingInData.includes(t) ? -1 : i));
  });

  it('maps a PPM over a subset of tags in its own order and reports unused data tags', () => {
    const sub = { features: [TAG_IDS[89]!, TAG_IDS[0]!, TAG_IDS[12]!] }; // TAG_IDS[0] is bertscore (unavailable), 12 len_longer
    const m = matchFeatures(sub, lacksSemantic);
    expect(Array.from(m.order)).toEqual([89, -1, 12]);
    expect(m.missingInData).toEqual([TAG_IDS[0]]);
    // Every available tag but the two used: the 81 paper tags with a score or dimension and the 6 judge features.
    expect(m.unusedDataTags).toHaveLength(81 + 6 - 2);
    expect(m.unusedDataTags).not.toContain(TAG_IDS[89]);
    expect(m.unusedDataTags).not.toContain(TAG_IDS[6]); // unavailable tags are not "unused data tags"
  });

  it('toPpmInput gathers the mapped columns and zero-fills the rest', () => {
    const order = new Int32Array([2, -1, 0]);
    const counts = [1, 2, 3, 4, 5, 6]; // 2 rows x 3 data tags
    expect(Array.from(toPpmInput(order, counts, 2, 3))).toEqual([3, 0, 1, 6, 0, 4]);
    expect(() => toPpmInput(order, counts, 3, 3)).toThrow(/6 counts for 3 rows/);
  });
});
