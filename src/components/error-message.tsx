import { isQuotaError, QUOTA_MESSAGE } from '../workers/protocol';

/** A visible, specific error for people: what went wrong and, where known, what to do. */
export function ErrorMessage({ title, error }: { title: string; error: unknown }) {
  // A full disk reaches the page wrapped ("The transaction was aborted"); say what it is.
  const message = isQuotaError(error) ? QUOTA_MESSAGE : error instanceof Error ? error.message : String(error);
  return (
    <div role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800">
      <p className="font-semibold">{title}</p>
      <p className="mt-1 pair-text">{message}</p>
    </div>
  );
}
