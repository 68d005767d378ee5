// Tag settings: create with description and colour, rename, recolour, merge, delete, counts.
import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, atLeast, type Tag } from '../api';
import { useMe } from '../auth';
import { ConfirmDialog, Dialog } from '../components/Dialog';
import { EmptyState, ErrorBanner, FieldRow, Spinner, TagChip, errorText, useToast } from '../components/ui';
import { useTags } from '../hooks';

const palette = ['#1f5eff', '#0f9d58', '#f4b400', '#db4437', '#8e24aa', '#00897b', '#f57c00', '#5f6368'];

export function TagsPage() {
  const me = useMe();
  const qc = useQueryClient();
  const toast = useToast();
  const tags = useTags();
  const [editing, setEditing] = useState<Partial<Tag> | null>(null);
  const [merging, setMerging] = useState<Tag | null>(null);
  const [into, setInto] = useState('');
  const [deleting, setDeleting] = useState<Tag | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const canEdit = atLeast(me.role, 'manager');
  const reload = () => {
    qc.invalidateQueries({ queryKey: ['tags'] });
    qc.invalidateQueries({ queryKey: ['contacts'] });
    qc.invalidateQueries({ queryKey: ['contact'] });
  };
  const act = async (fn: () => Promise<unknown>, ok: string) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      toast(ok);
      reload();
      return true;
    } catch (e) {
      setError(errorText(e));
      return false;
    } finally {
      setBusy(false);
    }
  };
  const save = async () => {
    if (!editing) return;
    const body = { label: editing.label ?? '', description: editing.description ?? '', color: editing.color ?? '' };
    const done = await act(() => (editing.id ? api.patch(`/api/v1/tags/${editing.id}`, body) : api.post('/api/v1/tags', body)),
      editing.id ? 'Tag saved' : 'Tag created');
    if (done) setEditing(null);
  };
  return (
    <div className="page">
      <div className="page-head">
        <div><h1>Tags</h1><p className="muted">Label contacts to find and call them together.</p></div>
        {canEdit && <button type="button" className="button primary" onClick={() => { setError(null); setEditing({ color: palette[0] }); }}>+ New tag</button>}
      </div>
      {tags.isPending && <Spinner />}
      <ErrorBanner error={tags.error} />
      {tags.data && tags.data.length === 0 && <EmptyState title="No tags yet">Create one here, or type a new tag on any contact.</EmptyState>}
      {tags.data && tags.data.length > 0 && (
        <table className="simple-table">
          <thead><tr><th scope="col">Tag</th><th scope="col">Description</th><th scope="col" className="num">Contacts</th>{canEdit && <th scope="col"><span className="sr-only">Actions</span></th>}</tr></thead>
          <tbody>
            {tags.data.map((t) => (
              <tr key={t.id}>
                <td><TagChip label={t.label} color={t.color || undefined} /></td>
                <td>{t.description || <span className="muted">—</span>}</td>
                <td className="num">{t.count.toLocaleString()}</td>
                {canEdit && (
                  <td className="row-actions">
                    <button type="button" className="button small" aria-label={`Edit ${t.label}`} onClick={() => { setError(null); setEditing(t); }}>Edit</button>
                    <button type="button" className="button small" aria-label={`Merge ${t.label}`} onClick={() => { setError(null); setInto(''); setMerging(t); }}>Merge…</button>
                    <button type="button" className="button small danger ghost" aria-label={`Delete ${t.label}`} onClick={() => { setError(null); setDeleting(t); }}>Delete</button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Dialog title={editing?.id ? 'Edit tag' : 'New tag'} open={editing !== null} onClose={() => setEditing(null)} footer={
        <>
          <button type="button" className="button" onClick={() => setEditing(null)}>Cancel</button>
          <button type="submit" form="tag-form" className="button primary" disabled={busy}>Save</button>
        </>
      }>
        {editing && (
          <form id="tag-form" onSubmit={(e) => { e.preventDefault(); save(); }}>
            <FieldRow label="Label" htmlFor="tag-label">
              <input id="tag-label" value={editing.label ?? ''} onChange={(e) => setEditing({ ...editing, label: e.target.value })} autoFocus />
            </FieldRow>
            <FieldRow label="Description" htmlFor="tag-description">
              <input id="tag-description" value={editing.description ?? ''} onChange={(e) => setEditing({ ...editing, description: e.target.value })} />
            </FieldRow>
            <fieldset className="fieldset">
              <legend>Colour</legend>
              <div className="swatches">
                {palette.map((c) => (
                  <button key={c} type="button" className={editing.color === c ? 'swatch on' : 'swatch'} style={{ background: c }}
                    aria-label={`Colour ${c}`} aria-pressed={editing.color === c} onClick={() => setEditing({ ...editing, color: c })} />
                ))}
                <label htmlFor="tag-color" className="sr-only">Custom colour</label>
                <input id="tag-color" type="color" value={editing.color || '#1f5eff'} onChange={(e) => setEditing({ ...editing, color: e.target.value })} />
              </div>
            </fieldset>
            {error && <p className="form-error" role="alert">{error}</p>}
          </form>
        )}
      </Dialog>
      <Dialog title={merging ? `Merge “${merging.label}” into…` : ''} open={merging !== null} onClose={() => setMerging(null)} footer={
        <>
          <button type="button" className="button" onClick={() => setMerging(null)}>Cancel</button>
          <button type="button" className="button primary" disabled={!into || busy}
            onClick={async () => { if (merging && await act(() => api.post(`/api/v1/tags/${merging.id}/merge`, { into: Number(into) }), 'Tags merged')) setMerging(null); }}>Merge</button>
        </>
      }>
        {merging && (
          <>
            <p>Every contact tagged “{merging.label}” ({merging.count.toLocaleString()}) gets the chosen tag, and “{merging.label}” is removed.</p>
            <div className="field">
              <label htmlFor="merge-into">Merge into</label>
              <select id="merge-into" value={into} onChange={(e) => setInto(e.target.value)}>
                <option value="">Choose a tag…</option>
                {(tags.data ?? []).filter((t) => t.id !== merging.id).map((t) => <option key={t.id} value={t.id}>{t.label}</option>)}
              </select>
            </div>
            {error && <p className="form-error" role="alert">{error}</p>}
          </>
        )}
      </Dialog>
      <ConfirmDialog open={deleting !== null} title={`Delete the tag “${deleting?.label}”?`} confirmLabel="Delete tag" danger busy={busy} error={error}
        message={<p>It is removed from {deleting?.count.toLocaleString()} {deleting?.count === 1 ? 'contact' : 'contacts'}. The contacts themselves stay.</p>}
        onClose={() => setDeleting(null)}
        onConfirm={async () => { if (deleting && await act(() => api.del(`/api/v1/tags/${deleting.id}`), 'Tag deleted')) setDeleting(null); }} />
    </div>
  );
}
