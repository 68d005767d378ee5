import { useAuth } from './auth';
import { atLeast } from './api';
import { Link, useRouter } from './router';
import { ToastProvider, Spinner } from './components/ui';
import { LoginPage } from './pages/Login';
import { ContactsPage } from './pages/Contacts';
import { TagsPage } from './pages/Tags';
import { FieldsPage } from './pages/Fields';
import { MembersPage } from './pages/Members';
import { TokensPage } from './pages/Tokens';
import { WorkspacePage } from './pages/Workspace';
import { ImportWizard } from './pages/ImportWizard';
import { ImportDetailPage, ImportsPage } from './pages/Imports';

export function App() {
  const { me, loading } = useAuth();
  if (loading) return <div className="boot"><Spinner label="Starting Dialbook…" /></div>;
  if (!me) return <LoginPage />;
  return (
    <ToastProvider>
      <Shell />
    </ToastProvider>
  );
}

function Shell() {
  const { me, logout, switchWorkspace } = useAuth();
  const { path, navigate } = useRouter();
  if (!me) return null;
  const nav: { to: string; label: string; show: boolean }[] = [
    { to: '/contacts', label: 'Contacts', show: true },
    { to: '/imports', label: 'Imports', show: atLeast(me.role, 'manager') },
    { to: '/trash', label: 'Trash', show: atLeast(me.role, 'manager') },
  ];
  const settings: { to: string; label: string; show: boolean }[] = [
    { to: '/settings/tags', label: 'Tags', show: true },
    { to: '/settings/fields', label: 'Custom fields', show: atLeast(me.role, 'admin') },
    { to: '/settings/members', label: 'Members & roles', show: atLeast(me.role, 'admin') },
    { to: '/settings/tokens', label: 'API tokens', show: true },
    { to: '/settings/workspace', label: 'Workspace', show: atLeast(me.role, 'admin') },
  ];
  // Sub-pages (/imports/12) follow the access of their section.
  const allowed = [...nav, ...settings].find((n) => n.to === path || path.startsWith(`${n.to}/`));
  const wizard = path === '/imports/new' ? null : /^\/imports\/(\d+)\/continue$/.exec(path);
  const detail = /^\/imports\/(\d+)$/.exec(path);
  const page = (() => {
    if (allowed && !allowed.show)
      return (
        <div className="page">
          <div role="alert"><h1>You don't have access to this page</h1>
            <p className="muted">Your role in {me.workspace.name} is {me.role}. Ask an admin if you need it.</p></div>
          <p><Link to="/contacts">Back to contacts</Link></p></div>
      );
    if (path === '/' || path === '/contacts') return <ContactsPage trash={false} />;
    if (path === '/trash') return <ContactsPage trash />;
    if (path === '/imports') return <ImportsPage />;
    // One wizard for a new import and a continued one: it keeps its state when the address
    // changes from /imports/new to /imports/ID/continue after the upload.
    if (path === '/imports/new' || wizard) return <ImportWizard key="import-wizard" routeId={wizard ? Number(wizard[1]) : null} />;
    if (detail) return <ImportDetailPage key={detail[1]} id={Number(detail[1])} />;
    if (path === '/settings/tags') return <TagsPage />;
    if (path === '/settings/fields') return <FieldsPage />;
    if (path === '/settings/members') return <MembersPage />;
    if (path === '/settings/tokens') return <TokensPage />;
    if (path === '/settings/workspace') return <WorkspacePage />;
    return (
      <div className="page"><h1>Page not found</h1><p><Link to="/contacts">Back to contacts</Link></p></div>
    );
  })();
  return (
    <div className="shell">
      <aside className="sidebar" aria-label="Main">
        <div className="brand"><span className="brand-mark" aria-hidden="true">☎</span> Dialbook</div>
        <nav>
          <ul>
            {nav.filter((n) => n.show).map((n) => (
              <li key={n.to}><Link to={n.to} className="nav-link" ariaCurrent={path === n.to || path.startsWith(`${n.to}/`) || (n.to === '/contacts' && path === '/')}>{n.label}</Link></li>
            ))}
          </ul>
          <div className="nav-heading">Settings</div>
          <ul>
            {settings.filter((n) => n.show).map((n) => (
              <li key={n.to}><Link to={n.to} className="nav-link" ariaCurrent={path === n.to}>{n.label}</Link></li>
            ))}
          </ul>
        </nav>
      </aside>
      <div className="main">
        <header className="topbar">
          <div className="workspace-switch">
            <label htmlFor="workspace-select" className="inline-label">Workspace</label>
            <select id="workspace-select" value={me.workspace.id}
              onChange={(e) => switchWorkspace(Number(e.target.value)).then(() => navigate('/contacts'))}>
              {me.workspaces.map((w) => <option key={w.id} value={w.id}>{w.name}</option>)}
            </select>
          </div>
          <div className="topbar-user">
            <span className="user-email">{me.user.email}</span>
            <span className={`role-badge role-${me.role}`}>{me.role}{me.department ? ` · ${me.department}` : ''}</span>
            <button type="button" className="button ghost" onClick={() => logout()}>Sign out</button>
          </div>
        </header>
        <main className="content">{page}</main>
      </div>
    </div>
  );
}
