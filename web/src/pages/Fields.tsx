// Custom fields admin: every type, options, required, visibility, order, archive, delete.
import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, ApiError, type FieldDef, type FieldType } from '../api';
import { ConfirmDialog, Dialog } from '../components/Dialog';
import { EmptyState, ErrorBanner, FieldRow, Spinner, errorText, useToast } from '../components/ui';
import { useFields } from '../hooks';

export const fieldTypes: { value: FieldType; label: string }[] = [
  { value: 'text', label: 'Short text' }, { value: 'long_text', label: 'Long text' }, { value: 'integer', label: 'Whole number' },
  { value: 'decimal', label: 'Decimal number' }, { value: 'date', label: 'Date' }, { value: 'dropdown', label: 'Dropdown' },
  { value: 'checkbox', label: 'Checkbox' },
];
const visibilities = [{ value: 'all', label: 'Everyone' }, { value: 'manager', label: 'Managers and admins' }, { value: 'admin', label: 'Admins only' }];

export function keyFrom(label: string): string {
  const k = label.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  return /^[a-z]/.test(k) ? k.slice(0, 64) : `f_${k}`.slice(0, 64);
}

export function FieldsPage() {
  const qc = useQueryClient();
  const toast = useToast();
  const fields = useFields(true);
  const [editing, setEditing] = useState<(Partial<FieldDef> & { optionsText?: string }) | null>(null);
  const [deleting, setDeleting] = useState<{ def: FieldDef; values: number | null } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const reload = () => qc.invalidateQueries({ queryKey: ['fields'] });
  const list = fields.data ?? [];

  const save = async () => {
    if (!editing) return;
    setBusy(true);
    setError(null);
    const options = editing.type === 'dropdown' ? (editing.optionsText ?? '').split('\n').map((s) => s.trim()).filter(Boolean) : [];
    try {
      if (editing.id) {
        await api.patch(`/api/v1/fields/${editing.key}`, { label: editing.label, options, required: editing.required, visibility: editing.visibility });
        toast('Field saved');
      } else {
        await api.post('/api/v1/fields', { key: editing.key || keyFrom(editing.label ?? ''), label: editing.label, type: editing.type, options, required: !!editing.required, visibility: editing.visibility ?? 'all' });
        toast('Field created');
      }
      setEditing(null);
      reload();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const patch = async (f: FieldDef, body: Partial<FieldDef>, ok: string) => {
    try {
      await api.patch(`/api/v1/fields/${f.key}`, body);
      toast(ok);
      reload();
    } catch (e) {
      toast(errorText(e), 'error');
    }
  };
  const move = (i: number, dir: -1 | 1) => {
    const a = list[i], b = list[i + dir];
    if (!a || !b) return;
    Promise.all([api.patch(`/api/v1/fields/${a.key}`, { order: b.order }), api.patch(`/api/v1/fields/${b.key}`, { order: a.order })])
      .then(reload).catch((e) => toast(errorText(e), 'error'));
  };
  const askDelete = async (def: FieldDef) => {
    setError(null);
    try {
      await api.del(`/api/v1/fields/${def.key}`);  // answers 412 with the count unless confirmed
      reload();
    } catch (e) {
      setDeleting({ def, values: e instanceof ApiError && typeof e.details.values === 'number' ? e.details.values : null });
    }
  };
  return (
    <div className="page">
      <div className="page-head">
        <div><h1>Custom fields</h1><p className="muted">Extra, typed information on every contact, validated everywhere.</p></div>
        <button type="button" className="button primary" onClick={() => { setError(null); setEditing({ type: 'text', visibility: 'all', required: false }); }}>+ New field</button>
      </div>
      {fields.isPending && <Spinner />}
      <ErrorBanner error={fields.error} />
      {fields.data && list.length === 0 && <EmptyState title="No custom fields yet">Add fields such as “Insurance plan” or “Lead score”.</EmptyState>}
      {list.length > 0 && (
        <table className="simple-table">
          <thead><tr><th scope="col">Order</th><th scope="col">Label</th><th scope="col">Key</th><th scope="col">Type</th><th scope="col">Required</th><th scope="col">Visible to</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {list.map((f, i) => (
              <tr key={f.id} className={f.archived ? 'archived' : undefined}>
                <td className="row-actions">
                  <button type="button" className="icon-button" aria-label={`Move ${f.label} up`} disabled={i === 0} onClick={() => move(i, -1)}>↑</button>
                  <button type="button" className="icon-button" aria-label={`Move ${f.label} down`} disabled={i === list.length - 1} onClick={() => move(i, 1)}>↓</button>
                </td>
                <td>{f.label}{f.archived && <span className="badge">archived</span>}</td>
                <td className="mono">{f.key}</td>
                <td>{fieldTypes.find((t) => t.value === f.type)?.label}{f.type === 'dropdown' && <span className="muted"> ({f.options.join(', ')})</span>}</td>
                <td>{f.required ? 'Yes' : 'No'}</td>
                <td>{visibilities.find((v) => v.value === f.visibility)?.label}</td>
                <td className="row-actions">
                  <button type="button" className="button small" aria-label={`Edit ${f.label}`} onClick={() => { setError(null); setEditing({ ...f, optionsText: f.options.join('\n') }); }}>Edit</button>
                  <button type="button" className="button small" aria-label={`${f.archived ? 'Unarchive' : 'Archive'} ${f.label}`}
                    onClick={() => patch(f, { archived: !f.archived }, f.archived ? 'Field restored' : 'Field archived (data kept)')}>{f.archived ? 'Unarchive' : 'Archive'}</button>
                  <button type="button" className="button small danger ghost" aria-label={`Delete ${f.label}`} onClick={() => askDelete(f)}>Delete</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Dialog title={editing?.id ? `Edit “${editing.label}”` : 'New custom field'} open={editing !== null} onClose={() => setEditing(null)} footer={
        <>
          <button type="button" className="button" onClick={() => setEditing(null)}>Cancel</button>
          <button type="submit" form="field-form" className="button primary" disabled={busy}>Save</button>
        </>
      }>
        {editing && (
          <form id="field-form" onSubmit={(e) => { e.preventDefault(); save(); }}>
            <FieldRow label="Label" htmlFor="field-label">
              <input id="field-label" value={editing.label ?? ''} autoFocus onChange={(e) => setEditing({ ...editing, label: e.target.value })} />
            </FieldRow>
            {!editing.id && (
              <FieldRow label="Key (used by the API and imports)" htmlFor="field-key" hint="Lower-case letters, digits and _">
                <input id="field-key" className="mono" value={editing.key ?? keyFrom(editing.label ?? '')} onChange={(e) => setEditing({ ...editing, key: e.target.value })} />
              </FieldRow>
            )}
            <FieldRow label="Type" htmlFor="field-type" hint={editing.id ? 'The type of an existing field cannot change' : undefined}>
              <select id="field-type" value={editing.type} disabled={!!editing.id} onChange={(e) => setEditing({ ...editing, type: e.target.value as FieldType })}>
                {fieldTypes.map((t) => <option key={t.value} value={t.value}>{t.label}</option>)}
              </select>
            </FieldRow>
            {editing.type === 'dropdown' && (
              <FieldRow label="Options (one per line)" htmlFor="field-options">
                <textarea id="field-options" rows={4} value={editing.optionsText ?? ''} onChange={(e) => setEditing({ ...editing, optionsText: e.target.value })} />
              </FieldRow>
            )}
            <FieldRow label="Visible to" htmlFor="field-visibility">
              <select id="field-visibility" value={editing.visibility} onChange={(e) => setEditing({ ...editing, visibility: e.target.value as FieldDef['visibility'] })}>
                {visibilities.map((v) => <option key={v.value} value={v.value}>{v.label}</option>)}
              </select>
            </FieldRow>
            <div className="field checkbox-field">
              <input id="field-required" type="checkbox" checked={!!editing.required} onChange={(e) => setEditing({ ...editing, required: e.target.checked })} />
              <label htmlFor="field-required">Required on every new contact</label>
            </div>
            {error && <p className="form-error" role="alert">{error}</p>}
          </form>
        )}
      </Dialog>
      <ConfirmDialog open={deleting !== null} title={`Delete the field “${deleting?.def.label}”?`} confirmLabel="Delete field and its data" danger busy={busy} error={error}
        message={<p>{deleting?.values != null ? `Its value on ${deleting.values.toLocaleString()} ${deleting.values === 1 ? 'contact' : 'contacts'} is erased.` : 'Its values are erased.'} Archive it instead to hide it and keep the data.</p>}
        onClose={() => setDeleting(null)}
        onConfirm={async () => {
          if (!deleting) return;
          setBusy(true);
          try {
            await api.del(`/api/v1/fields/${deleting.def.key}?confirm=true`);
            toast('Field deleted');
            setDeleting(null);
            reload();
          } catch (e) {
            setError(errorText(e));
          } finally {
            setBusy(false);
          }
        }} />
    </div>
  );
}
