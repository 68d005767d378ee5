// The CLI part of docs/API.md, checked against a running server sharing the database.
// Readings of docs/API.md:
// - `--json` output is a JSON array (or an object with an `items` array).
// - `users create` for an email that is already a member must not silently change that
//   membership in a way the API forbids: the last admin stays admin (the 422 rule of
//   PATCH /members holds for every front end).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { startServer, client, cli, BIN, freePort, expectStatus, expectError, login, PASSWORD } from './lib.mjs';

let srv, A;
before(async () => { srv = await startServer(); A = client(srv.base, srv.tokenA); });
after(async () => { await srv?.stop(); });

const items = (out) => { const j = JSON.parse(out); return Array.isArray(j) ? j : j.items; };

test('workspace list and users list print JSON with --json', async () => {
  const ws = items((await cli(['workspace', 'list', '--db', srv.db, '--json'])).stdout);
  assert.deepEqual(ws.map((w) => w.name).sort(), ['Acme', 'Globex']);
  const plain = (await cli(['workspace', 'list', '--db', srv.db])).stdout;
  assert.match(plain, /Acme/);
  const users = items((await cli(['users', 'list', '--workspace', 'Acme', '--db', srv.db, '--json'])).stdout);
  const admin = users.find((u) => u.email === 'admin@acme.test');
  assert.ok(admin, JSON.stringify(users));
  assert.equal(admin.role, 'admin');
});

test('serve prints "listening on http://HOST:PORT" once ready', async () => {
  const port = await freePort();
  const child = spawn(BIN, ['serve', '--db', srv.db, '--listen', `127.0.0.1:${port}`, '--stop-with-parent'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  try {
    const line = await new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no "listening on" line within 15 s: ${out}`)), 15000);
      const on = (d) => {
        out += d;
        const m = out.match(/listening on (http:\/\/\S+)/);
        if (m) { clearTimeout(t); resolve(m[1]); }
      };
      child.stdout.on('data', on);
      child.stderr.on('data', on);
      child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
    });
    assert.equal(line, `http://127.0.0.1:${port}`);
    // the second server shares the database
    const r = await fetch(`${line}/api/v1/me`, { headers: { authorization: `Bearer ${srv.tokenA}` } });
    assert.equal(r.status, 200);
  } finally {
    child.kill('SIGTERM');
  }
});

test('users create adds a member with a role; token create gives a working token', async () => {
  await cli(['users', 'create', '--email', 'cli-manager@acme.test', '--password', 'long enough 1', '--workspace', 'Acme',
    '--role', 'manager', '--name', 'Cli Manager', '--db', srv.db]);
  const users = items((await cli(['users', 'list', '--workspace', 'Acme', '--db', srv.db, '--json'])).stdout);
  assert.equal(users.find((u) => u.email === 'cli-manager@acme.test')?.role, 'manager');
  const out = (await cli(['token', 'create', '--email', 'cli-manager@acme.test', '--workspace', 'Acme', '--name', 'cli', '--db', srv.db])).stdout;
  const token = out.trim().split(/\r?\n/).pop().trim();
  const me = expectStatus(await client(srv.base, token).get('/api/v1/me'), 200);
  assert.equal(me.user.email, 'cli-manager@acme.test');
  assert.equal(me.role, 'manager');
  const members = expectStatus(await A.get('/api/v1/members'), 200).items;
  assert.equal(members.find((m) => m.user.email === 'cli-manager@acme.test')?.user.name, 'Cli Manager');
});

test('users create for an existing account adds the membership, keeps its password and says so', async () => {
  // admin@globex.test has an account (Globex's admin); Acme's admin adds it to Acme with another password.
  const r = await cli(['users', 'create', '--email', 'admin@globex.test', '--password', 'not their password', '--workspace', 'Acme',
    '--role', 'agent', '--db', srv.db]);
  assert.match(r.stdout, /admin@globex\.test is a member of 'Acme' as agent/);
  assert.match(r.stdout, /already had an account: its password stayed as it was/);
  const users = items((await cli(['users', 'list', '--workspace', 'Acme', '--db', srv.db, '--json'])).stdout);
  assert.equal(users.find((u) => u.email === 'admin@globex.test')?.role, 'agent');
  expectError((await login(srv.base, 'admin@globex.test', 'not their password')).res, 401, 'unauthenticated');
  expectStatus((await login(srv.base, 'admin@globex.test', PASSWORD)).res, 200);
  // A new account gets no such note.
  const fresh = await cli(['users', 'create', '--email', 'cli-new@acme.test', '--password', 'long enough 3', '--workspace', 'Acme',
    '--db', srv.db]);
  assert.doesNotMatch(fresh.stdout, /already had an account/);
  expectStatus((await login(srv.base, 'cli-new@acme.test', 'long enough 3')).res, 200);
});

test('users set-password changes the password used by login', async () => {
  await cli(['users', 'set-password', '--email', 'cli-manager@acme.test', '--password', 'brand new pass 2', '--db', srv.db]);
  expectError((await login(srv.base, 'cli-manager@acme.test', 'long enough 1')).res, 401, 'unauthenticated');
  expectStatus((await login(srv.base, 'cli-manager@acme.test', 'brand new pass 2')).res, 200);
});

test('errors print "error: …" on stderr and exit 1; usage errors exit 2', async () => {
  let r = await cli(['token', 'create', '--email', 'nobody@acme.test', '--workspace', 'Acme', '--db', srv.db], { allowFail: true });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^error: /m);
  r = await cli(['workspace', 'create', 'Acme', '--admin-email', 'other@acme.test', '--admin-password', PASSWORD, '--db', srv.db], { allowFail: true });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^error: /m);
  r = await cli(['frobnicate'], { allowFail: true });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^error: dialbook needs one of its commands: serve, workspace, token, users, import \(got 'frobnicate'\)/m);
  r = await cli(['users', 'add', '--email', 'x@acme.test', '--db', srv.db], { allowFail: true });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^error: dialbook users needs one of its commands: create, list, set-password \(got 'add'\)/m);
  r = await cli(['users', '--help'], { allowFail: true });
  assert.equal(r.code, 0, 'help is not an error');
  assert.match(r.stdout, /set-password/);
  r = await cli(['users', 'create', '--email', 'x@acme.test', '--workspace', 'Acme', '--db', srv.db], { allowFail: true });
  assert.equal(r.code, 2, 'missing --password is a usage error');
});

test('users create for an existing member never demotes the last admin', async () => {
  const r1 = await cli(['users', 'create', '--email', 'admin@acme.test', '--password', 'some other pass', '--workspace', 'Acme', '--db', srv.db], { allowFail: true });
  let users = items((await cli(['users', 'list', '--workspace', 'Acme', '--db', srv.db, '--json'])).stdout);
  assert.equal(users.find((u) => u.email === 'admin@acme.test').role, 'admin',
    `after "users create --email admin@acme.test" without --role (exit ${r1.code}, stdout ${r1.stdout.trim()}), the only admin must stay admin`);
  const r2 = await cli(['users', 'create', '--email', 'admin@acme.test', '--password', 'some other pass', '--workspace', 'Acme', '--role', 'agent', '--db', srv.db], { allowFail: true });
  users = items((await cli(['users', 'list', '--workspace', 'Acme', '--db', srv.db, '--json'])).stdout);
  assert.equal(users.find((u) => u.email === 'admin@acme.test').role, 'admin', 'the last admin cannot be demoted from the CLI either');
  assert.equal(r2.code, 1, `exit 1 with an error (got ${r2.code}: ${r2.stdout.trim()} ${r2.stderr.trim()})`);
  expectStatus(await A.get('/api/v1/members'), 200);
});

test('the CLI names a workspace by id when its name is shared, and never creates a second one', async () => {
  const B = client(srv.base, srv.tokenB);
  const dup = expectStatus(await B.post('/api/v1/workspaces', { name: 'Twin' }), 201);
  const again = await cli(['workspace', 'create', 'Twin', '--admin-email', 'ops@twin.test', '--admin-password', PASSWORD,
    '--db', srv.db], { allowFail: true });
  assert.equal(again.code, 1);
  assert.match(again.stderr, /a workspace named 'Twin' exists/);
  expectStatus(await client(srv.base, srv.tokenA).post('/api/v1/workspaces', { name: 'Twin' }), 201);  // another tenant's Twin
  const ambiguous = await cli(['token', 'create', '--email', 'admin@globex.test', '--workspace', 'Twin', '--db', srv.db],
    { allowFail: true });
  assert.equal(ambiguous.code, 1);
  assert.match(ambiguous.stderr, /several workspaces are named 'Twin'/);
  const byId = await cli(['token', 'create', '--email', 'admin@globex.test', '--workspace', String(dup.id), '--db', srv.db]);
  const token = byId.stdout.trim().split('\n').pop();
  const me = expectStatus(await client(srv.base, token).get('/api/v1/me'), 200);
  assert.equal(me.workspace.id, dup.id);
});

test('users set-password signs the user out everywhere', async () => {
  const s = await login(srv.base, 'admin@globex.test');
  assert.equal(s.res.status, 200);
  const me = (cookie) => fetch(`${srv.base}/api/v1/me`, { headers: { cookie } }).then((r) => r.status);
  assert.equal(await me(s.cookie), 200);
  await cli(['users', 'set-password', '--email', 'admin@globex.test', '--password', PASSWORD, '--db', srv.db]);
  assert.equal(await me(s.cookie), 401);
});
