import { EXPORT_FORMATS, FORMAT_INFO, type ExportFormat } from '../domain/export';

/** The export formats as a select, by their titles. */
export function FormatSelect({ label, value, onChange }: { label: string; value: ExportFormat; onChange: (f: ExportFormat) => void }) {
  return (
    <select
      aria-label={label}
      value={value}
      onChange={(e) => onChange(e.target.value as ExportFormat)}
      className="rounded-md border border-slate-300 px-2 py-1"
    >
      {EXPORT_FORMATS.map((f) => (
        <option key={f} value={f}>
          {FORMAT_INFO[f].title}
        </option>
      ))}
    </select>
  );
}
