// Pieces shared by the import wizard and the import history: live progress, the summary
// with its error file and Undo.
import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, formatDateTime } from '../api';
import { ConfirmDialog } from '../components/Dialog';
import { errorText, useToast } from '../components/ui';
import {
  formatEta, importPath, personLabel, reasonLabel, skippedTotal, statusLabels, type ImportJob, type ImportStatus,
} from '../imports';

export function StatusBadge({ status }: { status: ImportStatus }) {
  return <span className={`badge status-${status}`}>{statusLabels[status] ?? status}</span>;
}

export function ImportProgress({ imp, mode, error }: { imp: ImportJob; mode: 'live' | 'polling'; error?: string | null }) {
  const p = imp.progress;
  const total = p?.rows_total || imp.rows_total || 0;
  const done = Math.min(p?.rows_done ?? 0, total || Infinity);
  const pct = total ? Math.floor((done / total) * 100) : 0;
  return (
    <section className="import-progress" aria-label="Import progress">
      <div className="progress-head">
        <strong>{imp.status === 'running' ? 'Importing…' : statusLabels[imp.status]}</strong>
        <span className="muted">{pct}%</span>
      </div>
      <div className="progress-track" role="progressbar" aria-label="Rows imported" aria-valuemin={0}
        aria-valuemax={total || 100} aria-valuenow={total ? done : 0} aria-valuetext={`${done.toLocaleString()} of ${total.toLocaleString()} rows`}>
        <div className="progress-fill" style={{ width: `${pct}%` }} />
      </div>
      <dl className="stat-row">
        <div><dt>Rows done</dt><dd>{done.toLocaleString()} / {total.toLocaleString()}</dd></div>
        <div><dt>Rate</dt><dd>{p && p.rate ? `${(p.rate < 10 ? Math.round(p.rate * 10) / 10 : Math.round(p.rate)).toLocaleString()} rows/s` : '—'}</dd></div>
        <div><dt>Time left</dt><dd>{imp.status === 'running' ? formatEta(p?.eta_seconds) : '—'}</dd></div>
      </dl>
      <p className="hint">
        {mode === 'live' ? 'Live updates.' : 'Checking every second.'} You can leave this page: the import keeps running on the
        server and stays in the import history.
      </p>
      {error && <p className="form-error" role="alert">{error}</p>}
    </section>
  );
}

// The outcome of a finished import: numbers, skipped by reason, the dial list, the error
// file, and Undo (completed or failed imports) with what it did.
export function ImportSummaryPanel({ imp, onChange }: { imp: ImportJob; onChange: (imp: ImportJob) => void }) {
  const qc = useQueryClient();
  const toast = useToast();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const s = imp.summary;
  const skipped = skippedTotal(s?.skipped);
  const canUndo = imp.status === 'completed' || imp.status === 'failed';
  const undo = async () => {
    setBusy(true);
    setError(null);
    try {
      const j = await api.post<ImportJob>(importPath(imp.id, '/undo'));
      onChange(j);
      setAsking(false);
      toast('Import undone');
      for (const k of ['contacts', 'contact', 'tags', 'imports', 'import']) qc.invalidateQueries({ queryKey: [k] });
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="import-summary" aria-label="Import summary">
      {imp.status === 'failed' && (
        <div className="banner banner-error" role="alert">
          <strong>The import stopped:</strong> {imp.error || 'unknown error'}. The rows imported before it stopped are kept;
          undo them below if you want a clean slate.
        </div>
      )}
      {s ? (
        <dl className="stat-cards">
          <div className="stat ok"><dt>Imported</dt><dd>{s.imported.toLocaleString()}</dd></div>
          <div className="stat"><dt>Updated</dt><dd>{s.updated.toLocaleString()}</dd></div>
          <div className="stat warn"><dt>Skipped</dt><dd>{skipped.toLocaleString()}</dd></div>
          {s.unchanged > 0 && <div className="stat"><dt>Unchanged</dt><dd>{s.unchanged.toLocaleString()}</dd></div>}
          <div className="stat"><dt>Rows in the file</dt><dd>{s.rows.toLocaleString()}</dd></div>
        </dl>
      ) : <p className="muted">No summary yet.</p>}
      {s && skipped > 0 && (
        <div className="summary-block">
          <h3>Skipped rows by reason</h3>
          <ul className="reason-list" aria-label="Skipped rows by reason">
            {Object.entries(s.skipped).filter(([, n]) => n > 0).map(([r, n]) => (
              <li key={r}><span>{reasonLabel(r)}</span><strong>{n.toLocaleString()}</strong></li>
            ))}
          </ul>
        </div>
      )}
      <div className="summary-block">
        <h3>Destination</h3>
        {s?.list ? (
          <p>Contacts, and the new dial list <strong>{s.list.name}</strong> with {s.list.added.toLocaleString()} {s.list.added === 1 ? 'number' : 'numbers'}.</p>
        ) : <p>Contacts only.</p>}
      </div>
      {imp.consent && (
        <p className="muted small">Consent attested by {personLabel(imp.consent.attested_by)} on {formatDateTime(imp.consent.at)}.</p>
      )}
      <div className="summary-actions">
        {imp.errors_file && (
          <a className="button" href={imp.errors_file} download>Download error file (CSV)</a>
        )}
        {canUndo && <button type="button" className="button danger ghost" onClick={() => { setError(null); setAsking(true); }}>Undo import…</button>}
      </div>
      {imp.errors_file && (
        <p className="hint">The error file holds the skipped rows as they were, plus a Reason column. Fix them and import that file on its own.</p>
      )}
      {imp.undo && (
        <div className="card undo-result" role="region" aria-label="Undo result">
          <h3>Undone {formatDateTime(imp.undo.at)}</h3>
          <p>
            {imp.undo.removed.toLocaleString()} created {imp.undo.removed === 1 ? 'contact' : 'contacts'} removed,{' '}
            {imp.undo.restored.toLocaleString()} updated {imp.undo.restored === 1 ? 'contact' : 'contacts'} restored to their previous values.
          </p>
          {imp.undo.conflicts.length > 0 ? (
            <>
              <p>{imp.undo.conflicts.length.toLocaleString()} {imp.undo.conflicts.length === 1 ? 'contact was' : 'contacts were'} edited after the import and kept as they are:</p>
              <ul className="conflicts">
                {imp.undo.conflicts.map((c) => <li key={c.contact_id}>Contact #{c.contact_id}: {c.reason}</li>)}
              </ul>
            </>
          ) : <p className="muted">No conflicts.</p>}
        </div>
      )}
      <ConfirmDialog open={asking} title="Undo this import?" confirmLabel="Undo import" danger busy={busy} error={error}
        onClose={() => setAsking(false)} onConfirm={undo}
        message={
          <>
            <p>
              The {(s?.imported ?? 0).toLocaleString()} {s?.imported === 1 ? 'contact it created is' : 'contacts it created are'} erased
              {s && s.updated > 0 ? `, and the ${s.updated.toLocaleString()} it updated get their previous values back` : ''}.
            </p>
            <p className="muted">Contacts edited since the import are kept as they are and listed afterwards.</p>
          </>
        } />
    </section>
  );
}
