export interface EncoderFiles {
  model: Uint8Array;
  modelName: string;
  tokenizerJson: string;
  tokenizerName: string;
}

export type EncoderRequest = {
  type: 'semantic';
  id: number;
  datasetId: string;
  /** For cosine_sim (and BERTScore unless `bertscore` is given). */
  cosine: EncoderFiles;
  bertscore?: EncoderFiles;
};

export interface EncoderResults {
  semantic: { n: number; seconds: number };
}
