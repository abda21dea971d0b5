export { cellText, csvField, csvHeader, csvLine, csvRow } from './csv';
export { dataFileName, datasetsLoadCall, EXPORT_FORMATS, FORMAT_INFO, isExportFormat, type ExportFormat, type FormatInfo } from './formats';
export { buildManifest, MANIFEST_FORMAT, MANIFEST_VERSION, renderDatasetCard, type ExportContext, type ExportManifest } from './manifest';
export { FullParquetEncoder, fullParquetSchema, type ParquetOptions } from './parquet';
export { CARD_FILE, exportZip, MANIFEST_FILE, runExport, type ExportRun, type ZipExport } from './pipeline';
export {
  chosenRejected,
  FULL_COLUMNS,
  fullRow,
  trlConversationalRow,
  trlRow,
  type FullColumnKind,
  type FullRow,
  type TrlConversationalRow,
  type TrlRow,
} from './rows';
export { createFormatWriter, type FormatWriter, type WriterOptions, type WriterStats } from './writers';
export { hasLoneSurrogate, noTextFixes, type TextFixes } from './text-fixes';
export {
  crc32,
  dosDateTime,
  webDeflateRaw,
  fastDeflateRaw,
  ZipError,
  ZipWriter,
  type Compressor,
  type CompressorFactory,
  type ZipEntryOptions,
  type ZipEntryStream,
  type ZipSink,
} from './zip';
