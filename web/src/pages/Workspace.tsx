// Workspace settings (admin): name, default country for phone numbers, contact limit.
import { useEffect, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, type Workspace } from '../api';
import { useAuth } from '../auth';
import { ErrorBanner, FieldRow, Spinner, errorText, useToast } from '../components/ui';

export const countries = [
  ['US', 'United States'], ['CA', 'Canada'], ['GB', 'United Kingdom'], ['IE', 'Ireland'], ['AU', 'Australia'], ['NZ', 'New Zealand'],
  ['DE', 'Germany'], ['FR', 'France'], ['ES', 'Spain'], ['IT', 'Italy'], ['NL', 'Netherlands'], ['BE', 'Belgium'], ['CH', 'Switzerland'],
  ['AT', 'Austria'], ['SE', 'Sweden'], ['NO', 'Norway'], ['DK', 'Denmark'], ['PL', 'Poland'], ['PT', 'Portugal'], ['MX', 'Mexico'],
  ['BR', 'Brazil'], ['AR', 'Argentina'], ['IN', 'India'], ['ZA', 'South Africa'], ['AE', 'United Arab Emirates'], ['SG', 'Singapore'],
  ['JP', 'Japan'], ['PH', 'Philippines'],
];

export function WorkspacePage() {
  const qc = useQueryClient();
  const toast = useToast();
  const { refresh } = useAuth();
  const ws = useQuery({ queryKey: ['workspace'], queryFn: () => api.get<Workspace>('/api/v1/workspace') });
  const [form, setForm] = useState({ name: '', default_country: 'US', contact_limit: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [newWs, setNewWs] = useState('');
  useEffect(() => {
    if (ws.data) setForm({ name: ws.data.name, default_country: ws.data.default_country, contact_limit: ws.data.contact_limit ? String(ws.data.contact_limit) : '' });
  }, [ws.data]);
  const save = async () => {
    setErrors({});
    try {
      await api.patch('/api/v1/workspace', { name: form.name, default_country: form.default_country, contact_limit: form.contact_limit ? Number(form.contact_limit) : 0 });
      toast('Workspace settings saved');
      qc.invalidateQueries({ queryKey: ['workspace'] });
      refresh();
    } catch (e) {
      setErrors(e instanceof ApiError && e.field ? { [e.field]: e.message } : { form: errorText(e) });
    }
  };
  const createWorkspace = async () => {
    try {
      await api.post('/api/v1/workspaces', { name: newWs });
      toast(`Workspace “${newWs}” created — switch to it at the top`);
      setNewWs('');
      refresh();
    } catch (e) {
      toast(errorText(e), 'error');
    }
  };
  return (
    <div className="page narrow">
      <div className="page-head"><div><h1>Workspace</h1><p className="muted">Settings for everyone in this workspace.</p></div></div>
      {ws.isPending && <Spinner />}
      <ErrorBanner error={ws.error} />
      {ws.data && (
        <form className="card" onSubmit={(e) => { e.preventDefault(); save(); }}>
          <FieldRow label="Name" htmlFor="ws-name" error={errors.name}>
            <input id="ws-name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
          </FieldRow>
          <FieldRow label="Default country for phone numbers" htmlFor="ws-country" error={errors.default_country}
            hint="Numbers typed without + and a country code are read as numbers of this country.">
            <select id="ws-country" value={form.default_country} onChange={(e) => setForm({ ...form, default_country: e.target.value })}>
              {countries.map(([code, name]) => <option key={code} value={code}>{name} ({code})</option>)}
              {!countries.some(([c]) => c === form.default_country) && <option value={form.default_country}>{form.default_country}</option>}
            </select>
          </FieldRow>
          <FieldRow label="Contact limit (empty = unlimited)" htmlFor="ws-limit" error={errors.contact_limit}
            hint={`${ws.data.contact_count.toLocaleString()} contacts now. Creating or importing past the limit is refused.`}>
            <input id="ws-limit" type="number" min={0} value={form.contact_limit} onChange={(e) => setForm({ ...form, contact_limit: e.target.value })} />
          </FieldRow>
          {errors.form && <p className="form-error" role="alert">{errors.form}</p>}
          <button type="submit" className="button primary">Save settings</button>
        </form>
      )}
      <form className="card inline-form" onSubmit={(e) => { e.preventDefault(); createWorkspace(); }}>
        <label htmlFor="new-workspace">New workspace (e.g. another brand)</label>
        <input id="new-workspace" value={newWs} onChange={(e) => setNewWs(e.target.value)} />
        <button type="submit" className="button" disabled={!newWs.trim()}>Create workspace</button>
      </form>
    </div>
  );
}
