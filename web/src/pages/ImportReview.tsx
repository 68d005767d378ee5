// The import wizard's review step (SPEC S6.5–S6.6): what the import would do, row by row,
// computed without writing anything; rows filtered by status and paged.
import { ErrorBanner } from '../components/ui';
import { reasonLabel, rowStatusLabels, type ImportJob, type ImportRow, type Review, type RowStatus } from '../imports';
import { fieldTypes } from './Fields';

// Rows of the review shown at once.
export const PAGE = 50;

// A column's name as the wizard shows it: its header, or its position when the header is blank.
export function colLabel(header: string, index: number): string {
  return header.trim() || `Column ${index + 1}`;
}

export function ReviewBody({ review, imp, phoneIndex, choices, rows, rowsLoading, rowsError, status, offset, strict, strictError, onStatus, onOffset, onStrict, onUseColumn, busy }: {
  review: Review; imp: ImportJob; phoneIndex: number; choices: string[]; rows?: { items: ImportRow[]; total: number }; rowsLoading: boolean; rowsError: unknown;
  status: RowStatus | ''; offset: number; strict: boolean; strictError?: string;
  onStatus: (s: RowStatus | '') => void; onOffset: (o: number) => void; onStrict: (v: boolean) => void;
  onUseColumn: (index: number) => void; busy: boolean;
}) {
  const skipped = Object.entries(review.skipped ?? {}).filter(([, n]) => n > 0);
  const attention = (review.by_status.needs_attention ?? 0) + (review.by_status.incomplete ?? 0);
  // A row the server could not turn into a contact still shows what the file says.
  const raw = (r: ImportRow, field: string) => {
    const i = choices.indexOf(field);
    return i >= 0 ? (r.values[imp.columns[i]?.index ?? i] ?? '').trim() : '';
  };
  const colName = (index: number | string | null | undefined) => {
    if (index === null || index === undefined) return '';
    if (typeof index === 'string' && !/^\d+$/.test(index)) return index;
    const c = imp.columns.find((x) => x.index === Number(index));
    return c ? colLabel(c.header, imp.columns.indexOf(c)) : `column ${Number(index) + 1}`;
  };
  const filters: (RowStatus | '')[] = ['', 'ready', 'will_update', 'needs_attention', 'incomplete', 'skip'];
  const total = rows?.total ?? 0;
  return (
    <>
      <dl className="stat-cards">
        <div className="stat"><dt>Rows</dt><dd>{review.rows_total.toLocaleString()}</dd></div>
        <div className="stat ok"><dt>Will import</dt><dd>{review.will_create.toLocaleString()}</dd></div>
        <div className="stat"><dt>Will update</dt><dd>{review.will_update.toLocaleString()}</dd></div>
        <div className="stat warn"><dt>Will skip</dt><dd>{review.will_skip.toLocaleString()}</dd></div>
      </dl>
      {review.warnings.map((w, i) => (
        <div key={i} className="banner banner-warn" role="alert">
          {w.column !== null && w.column !== undefined && Number(w.column) >= 0 && <strong>{colName(w.column)}: </strong>}{w.message}
          {typeof w.suggest_index === 'number' && w.suggest_index >= 0 && w.suggest_index !== imp.columns[phoneIndex]?.index && (
            <div className="banner-actions">
              <button type="button" className="button small" disabled={busy} onClick={() => onUseColumn(w.suggest_index!)}>
                Use column “{colName(w.suggest_index)}” for the phone
              </button>
            </div>
          )}
        </div>
      ))}
      <div className="review-grid">
        <div>
          <h3>Skipped rows by reason</h3>
          {skipped.length === 0 ? <p className="muted">No row will be skipped.</p> : (
            <ul className="reason-list" aria-label="Skipped rows by reason">
              {skipped.map(([r, n]) => <li key={r}><span>{reasonLabel(r)}</span><strong>{n.toLocaleString()}</strong></li>)}
            </ul>
          )}
        </div>
        <div>
          <h3>New custom fields</h3>
          {review.new_fields.length === 0 ? <p className="muted">None.</p> : (
            <ul className="plain-list">
              {review.new_fields.map((f) => <li key={f.key}><strong>{f.label}</strong> <span className="mono muted">{f.key}</span> · {fieldTypes.find((t) => t.value === f.type)?.label ?? f.type}</li>)}
            </ul>
          )}
          <div className="checkbox-line">
            <input id="strict-mode" type="checkbox" checked={strict} disabled={busy} onChange={(e) => onStrict(e.target.checked)} aria-describedby="strict-hint" />
            <label htmlFor="strict-mode">Strict mode</label>
          </div>
          <p className="hint" id="strict-hint">Strict: refuse the whole file if any row needs attention. Lenient (default): skip the bad rows and import the rest.</p>
          {strictError && <p className="field-error" role="alert">{strictError}</p>}
          {strict && !review.strict_ok && !strictError && (
            <p className="form-error" role="alert">
              In strict mode this file would be refused:{' '}
              {attention > 0 ? `${attention.toLocaleString()} ${attention === 1 ? 'row needs' : 'rows need'} attention` : `${review.will_skip.toLocaleString()} ${review.will_skip === 1 ? 'row has' : 'rows have'} a problem`}
              {review.first_problem ? ` (first: ${review.first_problem})` : ''}. Fix the file, or stay lenient to skip them.
            </p>
          )}
        </div>
      </div>
      <div className="segmented" role="group" aria-label="Show rows">
        {filters.map((s) => {
          const n = s === '' ? review.rows_total : review.by_status[s] ?? 0;
          return (
            <button key={s || 'all'} type="button" className={status === s ? 'seg on' : 'seg'} aria-pressed={status === s} onClick={() => onStatus(s)}>
              {s === '' ? 'All' : rowStatusLabels[s]} <span className="seg-count">{n.toLocaleString()}</span>
            </button>
          );
        })}
      </div>
      <ErrorBanner error={rowsError} />
      <div className="table-scroll">
        <table className="simple-table rows-table" aria-label="Rows of the file" aria-busy={rowsLoading}>
          <thead><tr><th scope="col" className="num">Row</th><th scope="col">Status</th><th scope="col">Name</th><th scope="col">Phone</th><th scope="col">Email</th><th scope="col">Reason</th></tr></thead>
          <tbody>
            {rows?.items.map((r) => {
              const c = r.contact;
              const name = (c ? `${c.first_name ?? ''} ${c.last_name ?? ''}`.trim() : '')
                || raw(r, 'name') || `${raw(r, 'first_name')} ${raw(r, 'last_name')}`.trim();
              const rawPhone = raw(r, 'phone');
              const email = c?.email || raw(r, 'email');
              return (
                <tr key={r.row_number}>
                  <td className="num">{r.row_number}</td>
                  <td><span className={`badge row-${r.status}`}>{rowStatusLabels[r.status] ?? r.status}</span></td>
                  <td>{name || <span className="muted">—</span>}</td>
                  <td className="mono">{c?.phone || rawPhone || <span className="muted">—</span>}</td>
                  <td>{email || <span className="muted">—</span>}</td>
                  <td>
                    {r.reason ? <strong>{reasonLabel(r.reason)}</strong> : r.status === 'will_update' && r.existing_id ? 'Matches an existing contact' : <span className="muted">—</span>}
                    {r.message && <span className="muted"> — {r.message}</span>}
                  </td>
                </tr>
              );
            })}
            {rows && rows.items.length === 0 && <tr><td colSpan={6} className="muted">No rows with this status.</td></tr>}
          </tbody>
        </table>
      </div>
      {total > 0 && (
        <div className="pager">
          <span className="muted">Rows {(offset + 1).toLocaleString()}–{Math.min(offset + PAGE, total).toLocaleString()} of {total.toLocaleString()}</span>
          <button type="button" className="button small" disabled={offset === 0} onClick={() => onOffset(Math.max(0, offset - PAGE))}>Previous</button>
          <button type="button" className="button small" disabled={offset + PAGE >= total} onClick={() => onOffset(offset + PAGE)}>Next</button>
        </div>
      )}
    </>
  );
}
