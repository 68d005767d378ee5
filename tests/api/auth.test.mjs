// Auth, sessions, CSRF, /me, workspace switch, POST /workspaces.
// Readings of docs/API.md:
// - POST /auth/logout is itself a cookie-authenticated state change, so it is sent with
//   X-CSRF-Token. After logout the old cookie answers 401 and the response clears the
//   cookie (Max-Age=0, an Expires in the past, or an empty value).
// - POST /auth/switch may rotate the session cookie; when it sets a new one we use it.
// - POST /members with the email of an existing user (of another workspace) needs no
//   password: it only adds the membership.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, api, client, expectStatus, expectError, login, newPhone, PASSWORD,
} from './lib.mjs';

let srv, A, B;
let session; // admin@acme.test cookie session
let acmeId, globexId, initechId;

before(async () => {
  srv = await startServer();
  A = client(srv.base, srv.tokenA);
  B = client(srv.base, srv.tokenB);
});
after(async () => { await srv?.stop(); });

function checkSessionShape(j, { email, workspace, role, bearer = false }) {
  assert.equal(typeof j.user?.id, 'number', 'user.id is an integer');
  assert.equal(j.user.email, email);
  assert.ok('name' in j.user, 'user.name present');
  assert.equal(typeof j.workspace?.id, 'number', 'workspace.id');
  assert.equal(j.workspace.name, workspace);
  assert.equal(j.role, role);
  assert.ok('csrf_token' in j, 'csrf_token present');
  if (!bearer || j.csrf_token !== null) {
    // a Bearer credential has no session, so its csrf_token may be null
    assert.equal(typeof j.csrf_token, 'string');
    assert.ok(j.csrf_token.length >= 16, 'csrf_token is long enough');
  }
  assert.ok(Array.isArray(j.workspaces), 'workspaces[]');
  for (const w of j.workspaces) {
    assert.equal(typeof w.id, 'number');
    assert.equal(typeof w.name, 'string');
    assert.ok(['admin', 'manager', 'agent'].includes(w.role), `workspaces[].role ${w.role}`);
  }
  assert.ok(j.workspaces.some((w) => w.name === workspace && w.role === role), 'current workspace listed');
}

function cookieClient(s) {
  return {
    noCsrf: client(srv.base, null, { cookie: s.cookie }),
    withCsrf: client(srv.base, null, { cookie: s.cookie, 'x-csrf-token': s.csrf }),
  };
}

test('Bearer GET /me returns user, workspace, role, department and csrf_token', async () => {
  const j = expectStatus(await A.get('/api/v1/me'), 200);
  checkSessionShape(j, { email: 'admin@acme.test', workspace: 'Acme', role: 'admin', bearer: true });
  assert.ok('department' in j, '/me has department');
  assert.equal(j.department, null);
  acmeId = j.workspace.id;
  globexId = expectStatus(await B.get('/api/v1/me'), 200).workspace.id;
  assert.notEqual(acmeId, globexId);
});

test('login with email and password sets an HttpOnly SameSite=Strict session cookie', async () => {
  session = await login(srv.base, 'admin@acme.test', PASSWORD);
  const j = expectStatus(session.res, 200);
  checkSessionShape(j, { email: 'admin@acme.test', workspace: 'Acme', role: 'admin' });
  assert.ok(session.setCookie, `Set-Cookie dialbook_session missing: ${session.res.headers.getSetCookie()}`);
  assert.match(session.setCookie, /;\s*HttpOnly/i);
  assert.match(session.setCookie, /;\s*SameSite=Strict/i);
  assert.match(session.setCookie, /;\s*Path=\/(;|$)/i);
  assert.ok(session.cookie.length > 'dialbook_session='.length + 15, 'session id is not trivially short');
});

test('cookie session: GET /me works and returns the csrf token', async () => {
  const { noCsrf } = cookieClient(session);
  const j = expectStatus(await noCsrf.get('/api/v1/me'), 200);
  checkSessionShape(j, { email: 'admin@acme.test', workspace: 'Acme', role: 'admin' });
  assert.ok('department' in j);
  assert.equal(j.csrf_token, session.csrf, 'the /me csrf_token is the one of the session');
});

test('cookie session: reads need no CSRF token', async () => {
  const { noCsrf } = cookieClient(session);
  const j = expectStatus(await noCsrf.get('/api/v1/contacts'), 200);
  assert.ok(Array.isArray(j.items));
});

test('cookie session: mutations without or with a wrong X-CSRF-Token answer 403 permission_denied', async () => {
  const { noCsrf } = cookieClient(session);
  const phone = newPhone();
  expectError(await noCsrf.post('/api/v1/contacts', { phone: phone.e164, first_name: 'NoCsrf' }), 403, 'permission_denied');
  expectError(await noCsrf.post('/api/v1/contacts', { phone: phone.e164, first_name: 'BadCsrf' },
    { 'x-csrf-token': 'not-the-token' }), 403, 'permission_denied');
  // nothing was created
  const list = expectStatus(await A.get(`/api/v1/contacts?q=${phone.digits}`), 200);
  assert.equal(list.total, 0, 'refused request created nothing');

  const c = expectStatus(await A.post('/api/v1/contacts', { phone: newPhone().e164, first_name: 'Target' }), 201);
  expectError(await noCsrf.patch(`/api/v1/contacts/${c.id}`, { first_name: 'Hacked' }), 403, 'permission_denied');
  expectError(await noCsrf.del(`/api/v1/contacts/${c.id}`), 403, 'permission_denied');
  expectError(await noCsrf.post('/api/v1/tags', { label: 'csrf-tag' }), 403, 'permission_denied');
  const after = expectStatus(await A.get(`/api/v1/contacts/${c.id}`), 200);
  assert.equal(after.first_name, 'Target');
  assert.equal(after.deleted_at, null);
});

test('cookie session: mutations with the right X-CSRF-Token succeed', async () => {
  const { withCsrf } = cookieClient(session);
  const c = expectStatus(await withCsrf.post('/api/v1/contacts', { phone: newPhone().e164, first_name: 'WithCsrf' }), 201);
  const p = expectStatus(await withCsrf.patch(`/api/v1/contacts/${c.id}`, { last_name: 'Ok' }), 200);
  assert.equal(p.last_name, 'Ok');
  expectStatus(await withCsrf.del(`/api/v1/contacts/${c.id}`), 204);
});

test('Bearer mutations need no CSRF token', async () => {
  const c = expectStatus(await A.post('/api/v1/contacts', { phone: newPhone().e164, first_name: 'Bearer' }), 201);
  expectStatus(await A.patch(`/api/v1/contacts/${c.id}`, { first_name: 'Bearer2' }), 200);
  expectStatus(await A.del(`/api/v1/contacts/${c.id}`), 204);
});

test('wrong password or unknown email answers 401 unauthenticated without a session cookie', async () => {
  const bad = await login(srv.base, 'admin@acme.test', 'wrong password 1');
  expectError(bad.res, 401, 'unauthenticated');
  assert.ok(!bad.res.headers.getSetCookie().some((c) => /^dialbook_session=[^;]+/.test(c) && !/Max-Age=0/i.test(c)),
    'no session cookie on failed login');
  const unknown = await login(srv.base, 'nobody@acme.test', PASSWORD);
  expectError(unknown.res, 401, 'unauthenticated');
});

test('ten wrong passwords from one address lock that email out there for a while (429), and only that email', async () => {
  // A user of its own, so the lockout touches no other test.
  expectStatus(await client(srv.base, srv.tokenA).post('/api/v1/members', { email: 'locked@acme.test', role: 'agent', password: PASSWORD }), [200, 201]);
  expectStatus((await login(srv.base, 'locked@acme.test', PASSWORD)).res, 200);
  for (let i = 0; i < 10; i++) expectError((await login(srv.base, 'locked@acme.test', `guess ${i}`)).res, 401, 'unauthenticated');
  const locked = expectError((await login(srv.base, 'locked@acme.test', PASSWORD)).res, 429, 'resource_exhausted');
  assert.match(locked.message, /too many failed sign-ins/);
  expectStatus((await login(srv.base, 'admin@acme.test', PASSWORD)).res, 200);  // others sign in as usual
});

test('login with a malformed body answers 400', async () => {
  expectError(await api(srv.base, null, 'POST', '/api/v1/auth/login', { email: 'admin@acme.test' }), 400, 'invalid_argument');
  expectError(await api(srv.base, null, 'POST', '/api/v1/auth/login', '{"email":'), 400, 'invalid_argument');
});

test('missing, garbage or malformed credentials answer 401 unauthenticated', async () => {
  for (const p of ['/api/v1/me', '/api/v1/contacts', '/api/v1/tags', '/api/v1/workspace']) {
    expectError(await api(srv.base, null, 'GET', p), 401, 'unauthenticated');
    expectError(await api(srv.base, 'garbage-token-value', 'GET', p), 401, 'unauthenticated');
  }
  expectError(await api(srv.base, null, 'GET', '/api/v1/me', undefined, { authorization: 'Bearer' }), 401, 'unauthenticated');
  expectError(await api(srv.base, null, 'GET', '/api/v1/me', undefined, { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }), 401, 'unauthenticated');
  expectError(await api(srv.base, null, 'GET', '/api/v1/me', undefined, { cookie: 'dialbook_session=forged-session-id' }), 401, 'unauthenticated');
  // a token with one character changed is refused
  const t = srv.tokenA;
  const flipped = t.slice(0, -1) + (t.endsWith('a') ? 'b' : 'a');
  expectError(await api(srv.base, flipped, 'GET', '/api/v1/me'), 401, 'unauthenticated');
  // mutations without credentials are 401 too, and create nothing
  expectError(await api(srv.base, null, 'POST', '/api/v1/contacts', { phone: newPhone().e164 }), 401, 'unauthenticated');
});

test('POST /auth/switch with a Bearer token answers 400', async () => {
  expectError(await A.post('/api/v1/auth/switch', { workspace_id: acmeId }), 400, 'invalid_argument');
});

test('POST /workspaces creates a workspace whose admin is the caller', async () => {
  const { withCsrf } = cookieClient(session);
  const res = await withCsrf.post('/api/v1/workspaces', { name: 'Initech' });
  const w = expectStatus(res, 201);
  assert.equal(typeof w.id, 'number');
  assert.equal(w.name, 'Initech');
  initechId = w.id;
  const me = expectStatus(await withCsrf.get('/api/v1/me'), 200);
  assert.equal(me.workspace.name, 'Acme', 'creating a workspace does not switch');
  const entry = me.workspaces.find((x) => x.id === initechId);
  assert.ok(entry, 'new workspace listed in /me workspaces');
  assert.equal(entry.role, 'admin');
  expectError(await withCsrf.post('/api/v1/workspaces', {}), 400, 'invalid_argument');
});

test('switch workspace with a cookie session', async () => {
  // admin@globex.test becomes an agent of Acme. A password sent for an existing user must
  // not replace theirs (an Acme admin must not be able to take over a Globex account).
  const m = await A.post('/api/v1/members', { email: 'admin@globex.test', role: 'agent', password: 'hijacked pass 1' });
  expectStatus(m, 201);
  expectError((await login(srv.base, 'admin@globex.test', 'hijacked pass 1')).res, 401, 'unauthenticated');
  const g = await login(srv.base, 'admin@globex.test', PASSWORD, globexId);
  const j = expectStatus(g.res, 200);
  checkSessionShape(j, { email: 'admin@globex.test', workspace: 'Globex', role: 'admin' });
  assert.deepEqual(j.workspaces.map((w) => w.name).sort(), ['Acme', 'Globex']);
  let gs = { cookie: g.cookie, csrf: g.csrf };

  // not a member of Initech -> 404; unknown id -> 404
  expectError(await cookieClient(gs).withCsrf.post('/api/v1/auth/switch', { workspace_id: initechId }), 404, 'not_found');
  expectError(await cookieClient(gs).withCsrf.post('/api/v1/auth/switch', { workspace_id: 999999 }), 404, 'not_found');

  const sw = await cookieClient(gs).withCsrf.post('/api/v1/auth/switch', { workspace_id: acmeId });
  const sj = expectStatus(sw, 200);
  checkSessionShape(sj, { email: 'admin@globex.test', workspace: 'Acme', role: 'agent' });
  const rotated = sw.headers.getSetCookie().find((c) => c.startsWith('dialbook_session='));
  gs = { cookie: rotated ? rotated.split(';')[0] : gs.cookie, csrf: sj.csrf_token };
  const me = expectStatus(await cookieClient(gs).noCsrf.get('/api/v1/me'), 200);
  assert.equal(me.workspace.id, acmeId);
  assert.equal(me.role, 'agent');
  // now acting as an agent of Acme: cannot manage members
  expectError(await cookieClient(gs).noCsrf.get('/api/v1/members'), 403, 'permission_denied');
  // a CSRF token of another session does not work with this cookie
  expectError(await client(srv.base, null, { cookie: session.cookie, 'x-csrf-token': gs.csrf }).post('/api/v1/tags', { label: 'cross-csrf' }), 403, 'permission_denied');
  // switch and logout are cookie mutations too: without the CSRF token they are refused
  expectError(await cookieClient(gs).noCsrf.post('/api/v1/auth/switch', { workspace_id: globexId }), 403, 'permission_denied');
  expectError(await cookieClient(gs).noCsrf.post('/api/v1/auth/logout'), 403, 'permission_denied');
  assert.equal(expectStatus(await cookieClient(gs).noCsrf.get('/api/v1/me'), 200).workspace.id, acmeId, 'refused switch/logout changed nothing');

  // the admin switches to Initech (where they are admin) and back
  const s2 = await cookieClient(session).withCsrf.post('/api/v1/auth/switch', { workspace_id: initechId });
  const s2j = expectStatus(s2, 200);
  assert.equal(s2j.workspace.name, 'Initech');
  assert.equal(s2j.role, 'admin');
  const rot2 = s2.headers.getSetCookie().find((c) => c.startsWith('dialbook_session='));
  session = { cookie: rot2 ? rot2.split(';')[0] : session.cookie, csrf: s2j.csrf_token };
  const list = expectStatus(await cookieClient(session).noCsrf.get('/api/v1/contacts'), 200);
  assert.equal(list.total, 0, 'Initech has no contacts');
});

test('login with workspace_id picks that workspace', async () => {
  const g = await login(srv.base, 'admin@globex.test', PASSWORD, acmeId);
  const j = expectStatus(g.res, 200);
  assert.equal(j.workspace.id, acmeId);
  assert.equal(j.role, 'agent');
});

test('logout deletes the session and clears the cookie', async () => {
  const { withCsrf, noCsrf } = cookieClient(session);
  const res = await withCsrf.post('/api/v1/auth/logout');
  expectStatus(res, 204);
  const sc = res.headers.getSetCookie().find((c) => c.startsWith('dialbook_session='));
  assert.ok(sc, 'logout sends Set-Cookie for dialbook_session');
  assert.ok(/Max-Age=0/i.test(sc) || /Expires=[^;]*19[0-9][0-9]/i.test(sc) || /^dialbook_session=;/.test(sc) || /^dialbook_session=""/.test(sc),
    `cookie cleared: ${sc}`);
  expectError(await noCsrf.get('/api/v1/me'), 401, 'unauthenticated');
  expectError(await withCsrf.post('/api/v1/contacts', { phone: newPhone().e164 }), 401, 'unauthenticated');
  // the Bearer token of the same user is unaffected
  expectStatus(await A.get('/api/v1/me'), 200);
});

test('workspace names never reveal another tenant; one user cannot have two with the same name', async () => {
  // Globex's admin may call a workspace "Initech" (Acme's admin has one they are not in):
  // whether another tenant uses a name is not told.
  const other = expectStatus(await B.post('/api/v1/workspaces', { name: 'Initech' }), 201);
  assert.equal(other.name, 'Initech');
  // Acme's admin already has an "Acme" (and Initech from an earlier test).
  expectError(await A.post('/api/v1/workspaces', { name: 'acme' }), 409, 'already_exists', 'name');
  expectError(await A.patch('/api/v1/workspace', { name: 'Initech' }), 409, 'already_exists', 'name');
  expectStatus(await A.patch('/api/v1/workspace', { name: 'Acme' }), 200);  // its own name is fine
});
