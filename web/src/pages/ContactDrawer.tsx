// One contact: every field, formatted phone with type and location, tags, custom fields,
// consent and do-not-call, change history; edit (stale edits explained, never lost),
// star, delete, restore.
import { useEffect, useRef, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, atLeast, formatDateTime, fullName, type Contact, type HistoryEntry } from '../api';
import { useMe } from '../auth';
import { ConfirmDialog } from '../components/Dialog';
import { ErrorBanner, Spinner, TagChip, errorText, useToast } from '../components/ui';
import { useFields, useTags } from '../hooks';
import { bodyFrom, ContactEditor, draftFrom, showError, type Draft } from './ContactForm';

const typeLabel: Record<string, string> = {
  mobile: 'Mobile', fixed_line: 'Landline', fixed_line_or_mobile: 'Landline or mobile', toll_free: 'Toll-free',
  voip: 'VoIP', premium_rate: 'Premium rate', shared_cost: 'Shared cost', personal_number: 'Personal number',
  pager: 'Pager', uan: 'UAN', voicemail: 'Voicemail', unknown: 'Unknown type',
};

export function ContactDrawer({ id, onClose, onChanged }: { id: number; onClose: () => void; onChanged: () => void }) {
  const me = useMe();
  const qc = useQueryClient();
  const toast = useToast();
  const fields = useFields(true);
  const tags = useTags();
  const [tab, setTab] = useState<'details' | 'history'>('details');
  const [editing, setEditing] = useState<{ base: Draft; draft: Draft; version: number } | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [stale, setStale] = useState<Contact | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<'delete' | 'purge' | null>(null);
  const [busy, setBusy] = useState(false);
  const closeRef = useRef<HTMLButtonElement>(null);

  const contact = useQuery({ queryKey: ['contact', id], queryFn: () => api.get<Contact>(`/api/v1/contacts/${id}`) });
  const history = useQuery({
    queryKey: ['history', id], enabled: tab === 'history',
    queryFn: () => api.get<{ items: HistoryEntry[] }>(`/api/v1/contacts/${id}/history`).then((r) => r.items),
  });
  useEffect(() => {
    closeRef.current?.focus();
    const onKey = (e: KeyboardEvent) => { if (e.key === 'Escape' && !editing) onClose(); };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [editing, onClose]);

  const c = contact.data;
  const canEdit = atLeast(me.role, 'manager');
  const afterChange = (next?: Contact) => {
    if (next) qc.setQueryData(['contact', id], next);
    else qc.invalidateQueries({ queryKey: ['contact', id] });
    qc.invalidateQueries({ queryKey: ['history', id] });
    qc.invalidateQueries({ queryKey: ['tags'] });
    onChanged();
  };
  const patch = async (body: Record<string, unknown>, version: number) =>
    api.patch<Contact>(`/api/v1/contacts/${id}`, body, { 'If-Match': `"${version}"` });

  const save = async (overVersion?: number) => {
    if (!editing) return;
    setBusy(true);
    setErrors({});
    setError(null);
    try {
      const body = bodyFrom(editing.draft, fields.data ?? [], editing.base);
      const next = Object.keys(body).length ? await patch(body, overVersion ?? editing.version) : c!;
      setEditing(null);
      setStale(null);
      afterChange(next);
      toast('Saved');
    } catch (err) {
      if (err instanceof ApiError && err.status === 412 && err.details.current) {
        setStale(err.details.current as Contact);
      } else {
        showError(err, setErrors, setError);
      }
    } finally {
      setBusy(false);
    }
  };
  const quick = async (body: Record<string, unknown>, message: string) => {
    if (!c) return;
    try {
      afterChange(await patch(body, c.version));
      toast(message);
    } catch (err) {
      if (err instanceof ApiError && err.status === 412) {
        afterChange();
        toast('This contact changed meanwhile; it is reloaded, try again.', 'error');
      } else toast(errorText(err), 'error');
    }
  };
  const remove = async (permanent: boolean) => {
    setBusy(true);
    try {
      await api.del(`/api/v1/contacts/${id}${permanent ? '?permanent=true' : ''}`);
      qc.removeQueries({ queryKey: ['contact', id] });
      qc.removeQueries({ queryKey: ['history', id] });
      toast(permanent ? 'Erased for good' : 'Moved to the trash');
      onChanged();
      onClose();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
      setConfirm(null);
    }
  };
  const restore = async () => {
    try {
      afterChange(await api.post<Contact>(`/api/v1/contacts/${id}/restore`));
      toast('Restored');
    } catch (err) {
      setError(errorText(err));
    }
  };

  const tagColors = Object.fromEntries((tags.data ?? []).map((t) => [t.label.toLowerCase(), t.color]));
  const title = c ? fullName(c) || c.phone_formatted : 'Contact';
  return (
    <>
      <div className="drawer-backdrop" onClick={() => !editing && onClose()} />
      <aside className="drawer" role="dialog" aria-modal="true" aria-label={title}>
        <header className="drawer-head">
          <div className="drawer-title">
            <span className="avatar large" aria-hidden="true">{(c?.first_name[0] ?? c?.last_name[0] ?? '#').toUpperCase()}</span>
            <div>
              <h2>{title}</h2>
              {c && <div className="muted">{c.company || c.email || c.phone_location}</div>}
            </div>
          </div>
          <div className="drawer-actions">
            {c && !c.deleted_at && canEdit && !editing && (
              <button type="button" className={c.starred ? 'icon-button star on' : 'icon-button star'} aria-pressed={c.starred}
                aria-label={c.starred ? 'Unstar' : 'Star'} onClick={() => quick({ starred: !c.starred }, c.starred ? 'Unstarred' : 'Starred')}>★</button>
            )}
            <button ref={closeRef} type="button" className="icon-button" aria-label="Close" onClick={onClose}>×</button>
          </div>
        </header>
        {contact.isPending && <Spinner />}
        <ErrorBanner error={contact.error} />
        {c && (
          <>
            {c.deleted_at && (
              <div className="banner banner-warn">
                In the trash since {formatDateTime(c.deleted_at)}.
                {canEdit && (
                  <div className="banner-actions">
                    <button type="button" className="button small primary" onClick={restore}>Restore</button>
                    <button type="button" className="button small danger" onClick={() => setConfirm('purge')}>Delete permanently</button>
                  </div>
                )}
              </div>
            )}
            <div className="tabs" role="tablist" aria-label="Contact">
              <button role="tab" type="button" aria-selected={tab === 'details'} className="tab" onClick={() => setTab('details')}>Details</button>
              <button role="tab" type="button" aria-selected={tab === 'history'} className="tab" onClick={() => setTab('history')}>History</button>
            </div>
            {error && <p className="form-error" role="alert">{error}</p>}
            {tab === 'details' && !editing && (
              <div className="drawer-body" role="tabpanel" aria-label="Details">
                <section className="phone-card">
                  <div className="phone-big mono">{c.phone_formatted}</div>
                  <div className="muted">{typeLabel[c.phone_type] ?? c.phone_type}{c.phone_location ? ` · ${c.phone_location}` : ''}</div>
                  <div className="badges">
                    {c.do_not_call && <span className="badge badge-dnc">Do not call</span>}
                    <span className={`badge consent-${c.consent.status}`}>Consent: {c.consent.status}{c.consent.source ? ` (${c.consent.source})` : ''}</span>
                  </div>
                </section>
                <dl className="details">
                  {c.phones.map((p, i) => (
                    <div key={i}><dt>{p.label || 'Other phone'}</dt><dd className="mono">{p.formatted} <span className="muted">{typeLabel[p.type] ?? p.type}</span></dd></div>
                  ))}
                  <Detail label="Email" value={c.email} />
                  <Detail label="Company" value={c.company} />
                  <Detail label="Address" value={[c.street, [c.zip, c.city].filter(Boolean).join(' '), c.state, c.country].filter(Boolean).join(', ')} />
                  <Detail label="Department" value={c.department ?? ''} />
                  <div><dt>Tags</dt><dd className="chips">{c.tags.length ? c.tags.map((t) => <TagChip key={t} label={t} color={tagColors[t.toLowerCase()]} />) : <span className="muted">—</span>}</dd></div>
                  <Detail label="Groups" value={c.groups.join(', ')} />
                  {(fields.data ?? []).filter((f) => c.custom_fields[f.key] !== undefined).map((f) => (
                    <Detail key={f.key} label={f.label} value={f.type === 'checkbox' ? (c.custom_fields[f.key] ? 'Yes' : 'No') : String(c.custom_fields[f.key])} />
                  ))}
                  <Detail label="Notes" value={c.notes} pre />
                  <Detail label="Source" value={c.source.replace('_', ' ')} />
                  <Detail label="Calls" value={c.total_calls ? `${c.total_calls} · last ${formatDateTime(c.last_called_at)}${c.last_call_outcome ? ` (${c.last_call_outcome})` : ''}` : 'Never called'} />
                  <Detail label="Created" value={formatDateTime(c.created_at)} />
                  <Detail label="Updated" value={formatDateTime(c.updated_at)} />
                </dl>
                {!c.deleted_at && canEdit && (
                  <div className="drawer-foot">
                    <button type="button" className="button primary" onClick={() => { const d = draftFrom(c); setEditing({ base: d, draft: d, version: c.version }); }}>Edit</button>
                    <button type="button" className="button" onClick={() => quick({ do_not_call: !c.do_not_call }, c.do_not_call ? 'Removed from do-not-call' : 'Marked do-not-call')}>
                      {c.do_not_call ? 'Allow calls' : 'Mark do-not-call'}
                    </button>
                    <button type="button" className="button danger ghost" onClick={() => setConfirm('delete')}>Delete</button>
                  </div>
                )}
              </div>
            )}
            {tab === 'details' && editing && (
              <form className="drawer-body" onSubmit={(e) => { e.preventDefault(); save(); }} noValidate>
                {stale && (
                  <div className="banner banner-warn" role="alert">
                    <p><strong>Someone else changed this contact</strong> while you were editing (by now it is at version {stale.version}). Your edits are kept below.</p>
                    <div className="banner-actions">
                      <button type="button" className="button small primary" disabled={busy} onClick={() => save(stale.version)}>Apply my changes on top</button>
                      <button type="button" className="button small" onClick={() => { setEditing(null); setStale(null); afterChange(stale); }}>Discard mine, show theirs</button>
                    </div>
                  </div>
                )}
                <ContactEditor draft={editing.draft} onChange={(d) => setEditing({ ...editing, draft: d })} errors={errors} idPrefix="edit" />
                <div className="drawer-foot">
                  <button type="submit" className="button primary" disabled={busy}>{busy ? 'Saving…' : 'Save changes'}</button>
                  <button type="button" className="button" onClick={() => { setEditing(null); setErrors({}); setStale(null); }}>Cancel</button>
                </div>
              </form>
            )}
            {tab === 'history' && (
              <div className="drawer-body" role="tabpanel" aria-label="History">
                {history.isPending && <Spinner />}
                <ErrorBanner error={history.error} />
                <ol className="history">
                  {(history.data ?? []).map((h) => (
                    <li key={h.id}>
                      <div className="history-head"><strong>{h.action}</strong> <span className="muted">{formatDateTime(h.at)} · {h.user?.email ?? 'system'}</span></div>
                      {Object.keys(h.changes).length > 0 && (
                        <ul className="changes">
                          {Object.entries(h.changes).map(([k, v]) => (
                            <li key={k}><span className="change-field">{k.replace('custom_fields.', '').replace('_', ' ')}</span>{' '}
                              {'from' in v && <><span className="change-from">{show(v.from)}</span> → </>}<span className="change-to">{show(v.to)}</span></li>
                          ))}
                        </ul>
                      )}
                    </li>
                  ))}
                </ol>
              </div>
            )}
          </>
        )}
      </aside>
      <ConfirmDialog open={confirm === 'delete'} title="Delete this contact?" confirmLabel="Move to trash" danger busy={busy}
        message={<p>{title} goes to the trash. You can restore it for 30 days.</p>} onConfirm={() => remove(false)} onClose={() => setConfirm(null)} />
      <ConfirmDialog open={confirm === 'purge'} title="Delete permanently?" confirmLabel="Delete permanently" danger busy={busy}
        message={<p>{title} and its change history are erased. This cannot be undone.</p>} onConfirm={() => remove(true)} onClose={() => setConfirm(null)} />
    </>
  );
}

function show(v: unknown): string {
  if (v === null || v === undefined || v === '') return '∅';
  if (Array.isArray(v)) return v.length ? v.join(', ') : '∅';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function Detail({ label, value, pre }: { label: string; value: string; pre?: boolean }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd className={pre ? 'pre' : undefined}>{value || <span className="muted">—</span>}</dd>
    </div>
  );
}
