// Members and roles (admin): add people, change role and department, remove them.
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Member, type Role } from '../api';
import { useMe } from '../auth';
import { ConfirmDialog, Dialog } from '../components/Dialog';
import { ErrorBanner, FieldRow, Spinner, errorText, useToast } from '../components/ui';
import { useDepartments } from '../hooks';

const roleHelp: Record<Role, string> = {
  admin: 'Everything, including settings, custom fields and members',
  manager: 'Contacts, tags, bulk actions and presets (within their department, if they have one)',
  agent: 'Reads contacts and adds new ones',
};

export function MembersPage() {
  const me = useMe();
  const qc = useQueryClient();
  const toast = useToast();
  const departments = useDepartments();
  const members = useQuery({ queryKey: ['members'], queryFn: () => api.get<{ items: Member[] }>('/api/v1/members').then((r) => r.items) });
  const [adding, setAdding] = useState(false);
  const [form, setForm] = useState({ email: '', name: '', password: '', role: 'agent' as Role, department: '' });
  const [newDept, setNewDept] = useState('');
  const [removing, setRemoving] = useState<Member | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const reload = () => { qc.invalidateQueries({ queryKey: ['members'] }); qc.invalidateQueries({ queryKey: ['departments'] }); };

  const update = async (m: Member, body: Record<string, unknown>) => {
    try {
      await api.patch(`/api/v1/members/${m.user.id}`, body);
      toast(`Updated ${m.user.email}`);
      reload();
    } catch (e) {
      toast(errorText(e), 'error');
      reload();
    }
  };
  const add = async () => {
    setBusy(true);
    setError(null);
    try {
      const body: Record<string, unknown> = { email: form.email, role: form.role };
      if (form.name) body.name = form.name;
      if (form.password) body.password = form.password;
      if (form.department) body.department = form.department;
      await api.post('/api/v1/members', body);
      toast(`Added ${form.email}`);
      setAdding(false);
      setForm({ email: '', name: '', password: '', role: 'agent', department: '' });
      reload();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const addDepartment = async () => {
    try {
      await api.post('/api/v1/departments', { name: newDept });
      toast(`Department “${newDept}” created`);
      setNewDept('');
      reload();
    } catch (e) {
      toast(errorText(e), 'error');
    }
  };
  return (
    <div className="page">
      <div className="page-head">
        <div><h1>Members &amp; roles</h1><p className="muted">Who can work in {me.workspace.name}, and what they may do.</p></div>
        <button type="button" className="button primary" onClick={() => { setError(null); setAdding(true); }}>+ Add member</button>
      </div>
      {members.isPending && <Spinner />}
      <ErrorBanner error={members.error} />
      {members.data && (
        <table className="simple-table">
          <thead><tr><th scope="col">Member</th><th scope="col">Role</th><th scope="col">Department</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {members.data.map((m) => (
              <tr key={m.user.id}>
                <td><div>{m.user.name || m.user.email}</div>{m.user.name && <div className="muted">{m.user.email}</div>}</td>
                <td>
                  <label className="sr-only" htmlFor={`role-${m.user.id}`}>Role of {m.user.email}</label>
                  <select id={`role-${m.user.id}`} value={m.role} onChange={(e) => update(m, { role: e.target.value })}>
                    <option value="admin">Admin</option><option value="manager">Manager</option><option value="agent">Agent</option>
                  </select>
                </td>
                <td>
                  <label className="sr-only" htmlFor={`dept-${m.user.id}`}>Department of {m.user.email}</label>
                  <select id={`dept-${m.user.id}`} value={m.department ?? ''} onChange={(e) => update(m, { department: e.target.value })}>
                    <option value="">All departments</option>
                    {(departments.data ?? []).map((d) => <option key={d.id} value={d.name}>{d.name}</option>)}
                  </select>
                </td>
                <td className="row-actions">
                  <button type="button" className="button small danger ghost" aria-label={`Remove ${m.user.email}`} onClick={() => setRemoving(m)}>Remove</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <section className="card">
        <h2>Departments</h2>
        <p className="muted">A manager or agent in a department sees only that department's contacts.</p>
        {(departments.data ?? []).length === 0 ? <p className="muted">No departments yet: everyone sees every contact.</p> : (
          <ul className="inline-list">{(departments.data ?? []).map((d) => <li key={d.id}>{d.name} <span className="muted">({d.count})</span></li>)}</ul>
        )}
        <form className="inline-form" onSubmit={(e) => { e.preventDefault(); addDepartment(); }}>
          <label htmlFor="new-department">New department</label>
          <input id="new-department" value={newDept} onChange={(e) => setNewDept(e.target.value)} />
          <button type="submit" className="button" disabled={!newDept.trim()}>Create</button>
        </form>
      </section>
      <section className="card">
        <h2>Roles</h2>
        <dl className="details">{(Object.keys(roleHelp) as Role[]).map((r) => <div key={r}><dt className="cap">{r}</dt><dd>{roleHelp[r]}</dd></div>)}</dl>
      </section>
      <Dialog title="Add member" open={adding} onClose={() => setAdding(false)} footer={
        <>
          <button type="button" className="button" onClick={() => setAdding(false)}>Cancel</button>
          <button type="submit" form="member-form" className="button primary" disabled={busy}>Add member</button>
        </>
      }>
        <form id="member-form" onSubmit={(e) => { e.preventDefault(); add(); }}>
          <FieldRow label="Email" htmlFor="member-email"><input id="member-email" type="email" value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} autoFocus /></FieldRow>
          <FieldRow label="Name" htmlFor="member-name"><input id="member-name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} /></FieldRow>
          <FieldRow label="Password (for a new user; at least 8 characters)" htmlFor="member-password">
            <input id="member-password" type="password" autoComplete="new-password" value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} />
          </FieldRow>
          <FieldRow label="Role" htmlFor="member-role" hint={roleHelp[form.role]}>
            <select id="member-role" value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
              <option value="agent">Agent</option><option value="manager">Manager</option><option value="admin">Admin</option>
            </select>
          </FieldRow>
          <FieldRow label="Department" htmlFor="member-department">
            <select id="member-department" value={form.department} onChange={(e) => setForm({ ...form, department: e.target.value })}>
              <option value="">All departments</option>
              {(departments.data ?? []).map((d) => <option key={d.id} value={d.name}>{d.name}</option>)}
            </select>
          </FieldRow>
          {error && <p className="form-error" role="alert">{error}</p>}
        </form>
      </Dialog>
      <ConfirmDialog open={removing !== null} title={`Remove ${removing?.user.email}?`} confirmLabel="Remove member" danger busy={busy}
        message={<p>They lose access to {me.workspace.name}; their API tokens here stop working. Their account and other workspaces stay.</p>}
        onClose={() => setRemoving(null)}
        onConfirm={async () => {
          if (!removing) return;
          try {
            await api.del(`/api/v1/members/${removing.user.id}`);
            toast(`Removed ${removing.user.email}`);
            reload();
          } catch (e) {
            toast(errorText(e), 'error');
          } finally {
            setRemoving(null);
          }
        }} />
    </div>
  );
}
