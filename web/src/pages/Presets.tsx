// Saved filter presets: apply, save the current filter (personal or shared), rename, delete.
import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, atLeast, type Filter, type Preset } from '../api';
import { useMe } from '../auth';
import { Dialog } from '../components/Dialog';
import { errorText, useToast } from '../components/ui';
import { usePresets } from '../hooks';

export function PresetMenu({ filter, onApply }: { filter: Filter; onApply: (f: Filter) => void }) {
  const me = useMe();
  const qc = useQueryClient();
  const toast = useToast();
  const presets = usePresets();
  const [manage, setManage] = useState(false);
  const [name, setName] = useState('');
  const [shared, setShared] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [renaming, setRenaming] = useState<{ id: number; name: string } | null>(null);
  const reload = () => qc.invalidateQueries({ queryKey: ['presets'] });
  const save = async () => {
    setError(null);
    try {
      const f = { ...filter };
      delete f.q;
      await api.post<Preset>('/api/v1/presets', { name, filter: f, shared });
      toast(`Saved preset “${name}”`);
      setName('');
      reload();
    } catch (e) {
      setError(errorText(e));
    }
  };
  const rename = async () => {
    if (!renaming) return;
    try {
      await api.patch(`/api/v1/presets/${renaming.id}`, { name: renaming.name });
      setRenaming(null);
      reload();
    } catch (e) {
      setError(errorText(e));
    }
  };
  const remove = async (p: Preset) => {
    try {
      await api.del(`/api/v1/presets/${p.id}`);
      toast(`Deleted preset “${p.name}”`);
      reload();
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <>
      <label htmlFor="preset-select" className="inline-label">Preset</label>
      <select id="preset-select" value="" onChange={(e) => {
        const p = presets.data?.find((x) => x.id === Number(e.target.value));
        if (p) { onApply(p.filter); toast(`Applied “${p.name}”`); }
      }}>
        <option value="">Apply a saved preset…</option>
        {(presets.data ?? []).map((p) => <option key={p.id} value={p.id}>{p.name}{p.shared ? ' (shared)' : ''}</option>)}
      </select>
      <button type="button" className="button" onClick={() => setManage(true)}>Save / manage presets</button>
      <Dialog title="Filter presets" open={manage} onClose={() => setManage(false)}>
        <form className="preset-save" onSubmit={(e) => { e.preventDefault(); save(); }}>
          <div className="field">
            <label htmlFor="preset-name">Save the current filters as</label>
            <input id="preset-name" value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. VIPs never called" />
          </div>
          {atLeast(me.role, 'manager') && (
            <div className="field checkbox-field">
              <input id="preset-shared" type="checkbox" checked={shared} onChange={(e) => setShared(e.target.checked)} />
              <label htmlFor="preset-shared">Share with the whole workspace</label>
            </div>
          )}
          <button type="submit" className="button primary" disabled={!name.trim()}>Save preset</button>
        </form>
        {error && <p className="form-error" role="alert">{error}</p>}
        <ul className="preset-list">
          {(presets.data ?? []).length === 0 && <li className="muted">No presets yet.</li>}
          {(presets.data ?? []).map((p) => (
            <li key={p.id}>
              {renaming?.id === p.id ? (
                <form onSubmit={(e) => { e.preventDefault(); rename(); }} className="inline-form">
                  <label htmlFor={`rename-${p.id}`} className="sr-only">New name for {p.name}</label>
                  <input id={`rename-${p.id}`} value={renaming.name} onChange={(e) => setRenaming({ id: p.id, name: e.target.value })} autoFocus />
                  <button type="submit" className="button small primary">Rename</button>
                  <button type="button" className="button small" onClick={() => setRenaming(null)}>Cancel</button>
                </form>
              ) : (
                <>
                  <span className="preset-name">{p.name}</span>{p.shared && <span className="badge">shared</span>}
                  <span className="toolbar-spacer" />
                  <button type="button" className="button small" onClick={() => { onApply(p.filter); setManage(false); }}>Apply</button>
                  {(p.user_id === me.user.id || atLeast(me.role, 'manager')) && (
                    <>
                      <button type="button" className="button small" aria-label={`Rename ${p.name}`} onClick={() => setRenaming({ id: p.id, name: p.name })}>Rename</button>
                      <button type="button" className="button small danger ghost" aria-label={`Delete ${p.name}`} onClick={() => remove(p)}>Delete</button>
                    </>
                  )}
                </>
              )}
            </li>
          ))}
        </ul>
      </Dialog>
    </>
  );
}
