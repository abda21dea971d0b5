// The export formats: what each file holds, its extension, and how the Hugging Face `datasets` library loads it.

export const EXPORT_FORMATS = ['trl', 'trl-conversational', 'full', 'csv', 'parquet'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface FormatInfo {
  title: string;
  extension: 'jsonl' | 'csv' | 'parquet';
  mime: string;
  /** False for TRL: chosen/rejected cannot say "tie", so kept ties are skipped and counted. */
  expressesTies: boolean;
  /** The `datasets` builder that reads the file ("json", "csv", "parquet"). */
  datasetsBuilder: 'json' | 'csv' | 'parquet';
}

export const FORMAT_INFO: Record<ExportFormat, FormatInfo> = {
  trl: {
    title: 'TRL preference (prompt, chosen, rejected as text), JSONL',
    extension: 'jsonl',
    mime: 'application/x-ndjson',
    expressesTies: false,
    datasetsBuilder: 'json',
  },
  'trl-conversational': {
    title: 'TRL conversational preference (message lists), JSONL',
    extension: 'jsonl',
    mime: 'application/x-ndjson',
    expressesTies: false,
    datasetsBuilder: 'json',
  },
  full: {
    title: 'Full records (both labels, annotations, tags, gain, source), JSONL',
    extension: 'jsonl',
    mime: 'application/x-ndjson',
    expressesTies: true,
    datasetsBuilder: 'json',
  },
  csv: {
    title: 'Full records as CSV (nested fields as JSON text)',
    extension: 'csv',
    mime: 'text/csv',
    expressesTies: true,
    datasetsBuilder: 'csv',
  },
  parquet: {
    title: 'Full records as Parquet (nested fields as JSON text)',
    extension: 'parquet',
    mime: 'application/vnd.apache.parquet',
    expressesTies: true,
    datasetsBuilder: 'parquet',
  },
};

export function isExportFormat(s: string): s is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(s);
}

/** The Python line that loads an exported file with `datasets` (file name relative to the working directory). */
export function datasetsLoadCall(format: ExportFormat, fileName: string): string {
  return `load_dataset("${FORMAT_INFO[format].datasetsBuilder}", data_files=${JSON.stringify(fileName)}, split="train")`;
}

/** The data file's name in an export: `<base>.<format>.<extension>`, without repeating a format that is its extension. */
export function dataFileName(base: string, format: ExportFormat): string {
  const ext = FORMAT_INFO[format].extension;
  return format === ext ? `${base}.${ext}` : `${base}.${format}.${ext}`;
}
