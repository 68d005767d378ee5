// API tokens: create (the secret is shown once), list, revoke.
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, formatDateTime, type Token } from '../api';
import { useMe } from '../auth';
import { ConfirmDialog, Dialog } from '../components/Dialog';
import { EmptyState, ErrorBanner, FieldRow, Spinner, errorText, useToast } from '../components/ui';

export function TokensPage() {
  const me = useMe();
  const qc = useQueryClient();
  const toast = useToast();
  const tokens = useQuery({ queryKey: ['tokens'], queryFn: () => api.get<{ items: Token[] }>('/api/v1/tokens').then((r) => r.items) });
  const [name, setName] = useState('');
  const [created, setCreated] = useState<Token | null>(null);
  const [revoking, setRevoking] = useState<Token | null>(null);
  const [error, setError] = useState<string | null>(null);
  const create = async () => {
    setError(null);
    try {
      setCreated(await api.post<Token>('/api/v1/tokens', { name }));
      setName('');
      qc.invalidateQueries({ queryKey: ['tokens'] });
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <div className="page">
      <div className="page-head"><div><h1>API tokens</h1><p className="muted">For scripts and integrations: send <code>Authorization: Bearer &lt;token&gt;</code>. A token acts as you, in {me.workspace.name}.</p></div></div>
      <form className="card inline-form" onSubmit={(e) => { e.preventDefault(); create(); }}>
        <label htmlFor="token-name">Token name</label>
        <input id="token-name" value={name} placeholder="e.g. Dialer sync" onChange={(e) => setName(e.target.value)} />
        <button type="submit" className="button primary">Create token</button>
        {error && <p className="form-error" role="alert">{error}</p>}
      </form>
      {tokens.isPending && <Spinner />}
      <ErrorBanner error={tokens.error} />
      {tokens.data && tokens.data.length === 0 && <EmptyState title="No tokens yet" />}
      {tokens.data && tokens.data.length > 0 && (
        <table className="simple-table">
          <thead><tr><th scope="col">Name</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {tokens.data.map((t) => (
              <tr key={t.id}>
                <td>{t.name}{t.user_id !== me.user.id && <span className="muted"> (another member)</span>}</td>
                <td>{formatDateTime(t.created_at)}</td>
                <td>{t.last_used_at ? formatDateTime(t.last_used_at) : 'Never'}</td>
                <td className="row-actions"><button type="button" className="button small danger ghost" aria-label={`Revoke ${t.name}`} onClick={() => setRevoking(t)}>Revoke</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Dialog title="Your new API token" open={created !== null} onClose={() => setCreated(null)}
        footer={<button type="button" className="button primary" onClick={() => setCreated(null)}>I have copied it</button>}>
        <p>Copy it now: it is shown only this once.</p>
        <FieldRow label="Token" htmlFor="new-token">
          <input id="new-token" className="mono" readOnly value={created?.token ?? ''} onFocus={(e) => e.target.select()} />
        </FieldRow>
        <button type="button" className="button small" onClick={() => navigator.clipboard?.writeText(created?.token ?? '').then(() => toast('Copied'))}>Copy to clipboard</button>
      </Dialog>
      <ConfirmDialog open={revoking !== null} title={`Revoke “${revoking?.name}”?`} confirmLabel="Revoke token" danger
        message={<p>Anything using this token stops working at once.</p>} onClose={() => setRevoking(null)}
        onConfirm={async () => {
          if (!revoking) return;
          try {
            await api.del(`/api/v1/tokens/${revoking.id}`);
            toast('Token revoked');
            qc.invalidateQueries({ queryKey: ['tokens'] });
          } catch (e) {
            toast(errorText(e), 'error');
          } finally {
            setRevoking(null);
          }
        }} />
    </div>
  );
}
