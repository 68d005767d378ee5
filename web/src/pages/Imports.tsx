// Import history (SPEC S6.13): every import of the workspace, newest first, and one import's
// detail — summary, error file and Undo, live progress while it runs, a draft to continue or
// delete.
import { useEffect, useState } from 'react';
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, formatDateTime } from '../api';
import { ConfirmDialog } from '../components/Dialog';
import { EmptyState, ErrorBanner, Spinner, errorText, useToast } from '../components/ui';
import { Link, useRouter } from '../router';
import { importPath, personLabel, skippedTotal, useLiveImport, type ImportJob } from '../imports';
import { ImportProgress, ImportSummaryPanel, StatusBadge } from './ImportParts';

export function ImportsPage() {
  const { navigate } = useRouter();
  const list = useInfiniteQuery({
    queryKey: ['imports'],
    initialPageParam: '',
    queryFn: ({ pageParam }) =>
      api.get<{ items: ImportJob[]; next_cursor: string | null }>(`/api/v1/imports?limit=50${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    staleTime: 0,
    // A running import's numbers move: refresh the list while one is running.
    refetchInterval: (q) => (q.state.data?.pages.some((p) => p.items.some((i) => i.status === 'running')) ? 2000 : false),
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div className="page">
      <div className="page-head">
        <div><h1>Imports</h1><p className="muted">Every import of this workspace, newest first. Open one to see its summary or undo it.</p></div>
        <Link to="/imports/new" className="button primary">+ New import</Link>
      </div>
      {list.isPending && <Spinner />}
      <ErrorBanner error={list.error} />
      {list.data && items.length === 0 && (
        <EmptyState title="No imports yet">Bring in a CSV, Excel or vCard file, or a Google Sheet. <Link to="/imports/new">Start an import</Link>.</EmptyState>
      )}
      {items.length > 0 && (
        <div className="table-scroll">
          <table className="simple-table imports-table" aria-label="Import history">
            <thead>
              <tr>
                <th scope="col">File</th><th scope="col">Date</th><th scope="col">By</th><th scope="col">Status</th>
                <th scope="col" className="num">Rows</th><th scope="col" className="num">Imported</th>
                <th scope="col" className="num">Updated</th><th scope="col" className="num">Skipped</th>
              </tr>
            </thead>
            <tbody>
              {items.map((i) => {
                const s = i.summary;
                const running = i.status === 'running';
                return (
                  <tr key={i.id} className="clickable" onClick={(e) => { if (!(e.target as HTMLElement).closest('a')) navigate(`/imports/${i.id}`); }}>
                    <td><Link to={`/imports/${i.id}`}>{i.file_name || `Import #${i.id}`}</Link></td>
                    <td>{formatDateTime(i.created_at)}</td>
                    <td>{personLabel(i.created_by)}</td>
                    <td>
                      <StatusBadge status={i.status} />
                      {running && i.progress && i.progress.rows_total > 0 && (
                        <span className="muted"> {Math.floor((i.progress.rows_done / i.progress.rows_total) * 100)}%</span>
                      )}
                    </td>
                    <td className="num">{i.rows_total.toLocaleString()}</td>
                    <td className="num">{s ? s.imported.toLocaleString() : '—'}</td>
                    <td className="num">{s ? s.updated.toLocaleString() : '—'}</td>
                    <td className="num">{s ? skippedTotal(s.skipped).toLocaleString() : '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {list.hasNextPage && (
        <p><button type="button" className="button" disabled={list.isFetchingNextPage} onClick={() => list.fetchNextPage()}>
          {list.isFetchingNextPage ? 'Loading…' : 'Load more'}</button></p>
      )}
    </div>
  );
}

export function ImportDetailPage({ id }: { id: number }) {
  const qc = useQueryClient();
  const toast = useToast();
  const { navigate } = useRouter();
  const q = useQuery({ queryKey: ['import', id], queryFn: () => api.get<ImportJob>(importPath(id)), staleTime: 0 });
  const [deleting, setDeleting] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const imp = q.data;
  const live = useLiveImport(id, null, imp?.status === 'running');
  const current = live.imp && live.imp.id === id && imp && imp.status === 'running' ? live.imp : imp;
  // Once the live import finishes, the page shows its summary.
  useEffect(() => {
    if (live.imp && live.imp.id === id && live.imp.status !== 'running' && live.imp.status !== 'draft') {
      qc.setQueryData(['import', id], live.imp);
      qc.invalidateQueries({ queryKey: ['imports'] });
      qc.invalidateQueries({ queryKey: ['contacts'] });
    }
  }, [live.imp]);
  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.del(importPath(id));
      toast('Draft deleted');
      qc.invalidateQueries({ queryKey: ['imports'] });
      navigate('/imports');
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="page narrow-wide">
      <p className="crumbs"><Link to="/imports">← Imports</Link></p>
      {q.isPending && <Spinner label="Loading the import…" />}
      <ErrorBanner error={q.error} />
      {current && (
        <>
          <div className="page-head">
            <div>
              <h1>{current.file_name || `Import #${current.id}`}</h1>
              <p className="muted">
                Import #{current.id} · <StatusBadge status={current.status} /> · {current.rows_total.toLocaleString()} rows · by {personLabel(current.created_by)},{' '}
                {formatDateTime(current.created_at)}
                {current.finished_at && <> · finished {formatDateTime(current.finished_at)}</>}
              </p>
            </div>
          </div>
          {current.status === 'draft' && (
            <div className="card">
              <h2>Not started yet</h2>
              <p>This import is a draft: nothing has been written. Continue where you left off, or delete it (the uploaded file is removed).</p>
              <div className="banner-actions">
                <Link to={`/imports/${current.id}/continue`} className="button primary">Continue in the wizard</Link>
                <button type="button" className="button danger ghost" onClick={() => { setError(null); setDeleting(true); }}>Delete draft</button>
              </div>
            </div>
          )}
          {current.status === 'running' && (
            <div className="card"><ImportProgress imp={current} mode={live.mode} error={live.error} /></div>
          )}
          {(current.status === 'completed' || current.status === 'failed' || current.status === 'undone') && (
            <div className="card">
              <ImportSummaryPanel imp={current} onChange={(j) => { qc.setQueryData(['import', id], j); qc.invalidateQueries({ queryKey: ['imports'] }); }} />
            </div>
          )}
        </>
      )}
      <ConfirmDialog open={deleting} title="Delete this draft?" confirmLabel="Delete draft" danger busy={busy} error={error}
        message={<p>The uploaded file and its mapping are removed. No contact is affected.</p>}
        onClose={() => setDeleting(false)} onConfirm={remove} />
    </div>
  );
}
