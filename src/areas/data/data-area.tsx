import { Name } from '../../components/name';
import { useState } from 'react';
import { Button } from '../../components/button';
import { ConfirmFor } from '../../components/confirm-dialog';
import { ErrorMessage } from '../../components/error-message';
import type { DatasetRow } from '../../storage/db';
import { LAYOUT_TEXT } from '../../domain/formats/types';
import { DatasetView } from './dataset-view';
import { ImportPanel } from './import-panel';
import { useDatasets } from '../../data/queries';
import { useDeleteDataset } from './queries';
import { datasetHref } from './links';

/** The Data area: the project's datasets, the importer, and one dataset's table. */
export function DataArea({ projectId, datasetId, item }: { projectId: string; datasetId?: string | undefined; item?: number | undefined }) {
  if (datasetId) return <DatasetView projectId={projectId} datasetId={datasetId} item={item} />;
  return <DatasetList projectId={projectId} />;
}

function DatasetList({ projectId }: { projectId: string }) {
  const datasets = useDatasets(projectId);
  const remove = useDeleteDataset(projectId);
  const [deleting, setDeleting] = useState<DatasetRow | null>(null);
  return (
    <div className="mx-auto max-w-5xl space-y-6 p-6">
      <section aria-labelledby="datasets-title">
        <h2 id="datasets-title" className="mb-3 text-lg font-semibold">
          Datasets
        </h2>
        {datasets.error && <ErrorMessage title="Could not read datasets" error={datasets.error} />}
        {datasets.data?.length === 0 && <p className="text-sm text-slate-600">No datasets yet: import a file below.</p>}
        {datasets.data && datasets.data.length > 0 && (
          <table className="w-full overflow-hidden rounded-md border border-slate-200 bg-white text-sm" aria-label="Datasets">
            <thead className="bg-slate-100 text-left text-xs uppercase text-slate-600">
              <tr>
                <th className="px-3 py-2">Name</th>
                <th className="px-3 py-2">File</th>
                <th className="px-3 py-2">Layout</th>
                <th className="px-3 py-2 text-right">Pairs</th>
                <th className="px-3 py-2">Imported</th>
                <th className="px-3 py-2">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {datasets.data.map((d) => (
                <tr key={d.id} className="border-t border-slate-200">
                  <td className="px-3 py-2">
                    <a className="font-medium text-indigo-700 hover:underline" href={datasetHref(projectId, d.id)}>
                      <Name text={d.name} />
                    </a>
                  </td>
                  <td className="px-3 py-2 text-slate-600" title={`SHA-256 ${d.contentHash}`}>
                    <Name text={d.fileName} />
                  </td>
                  <td className="px-3 py-2 text-slate-600">{LAYOUT_TEXT[d.shape].split(' (')[0]}</td>
                  <td className="px-3 py-2 text-right tabular-nums" data-testid="dataset-row-count">
                    {d.rowCount.toLocaleString('en-US')}
                  </td>
                  <td className="px-3 py-2 text-slate-600">{new Date(d.createdAt).toLocaleString()}</td>
                  <td className="px-3 py-2 text-right">
                    <Button variant="ghost" aria-label={`Delete dataset ${d.name}`} onClick={() => setDeleting(d)}>
                      Delete
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {remove.error && <ErrorMessage title="Could not delete the dataset" error={remove.error} />}
      </section>
      <ImportPanel projectId={projectId} />
      <ConfirmFor
        target={deleting}
        title="Delete dataset?"
        confirmText="Delete dataset"
        danger
        onClose={() => setDeleting(null)}
        onConfirm={(d) => remove.mutate(d.id)}
      >
        “<Name text={deleting?.name ?? ''} />” ({deleting?.rowCount.toLocaleString('en-US')} pairs) will be removed from this browser.
      </ConfirmFor>
    </div>
  );
}
