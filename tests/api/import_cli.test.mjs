// `dialbook import` (SPEC S6.10, S12.3): the CLI run, --json, --dry-run, list/undo, and a
// job killed with SIGKILL that resumes with nothing duplicated and nothing half-written.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { cli, PASSWORD, REPO, BIN } from './lib.mjs';

let dir, db;
before(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dialbook-cli-import-'));
  db = `sqlite:${path.join(dir, 'db.sqlite')}`;
  await cli(['workspace', 'create', 'Acme', '--admin-email', 'admin@acme.test', '--admin-password', PASSWORD, '--db', db]);
});
after(async () => { await fs.rm(dir, { recursive: true, force: true }); });

const last = (s) => JSON.parse(s.trim().split('\n').pop());

test('import a file: --json summary, --dry-run writes nothing, --map, list and undo', async () => {
  const file = path.join(REPO, 'tests', 'data', 'import', 'messy.csv');
  const dry = last((await cli(['import', file, '--workspace', 'Acme', '--db', db, '--dry-run', '--json'])).stdout);
  assert.equal(dry.dry_run, true);
  assert.equal(dry.would_import, 8);
  assert.equal(JSON.parse((await cli(['import', 'list', '--workspace', 'Acme', '--db', db, '--json'])).stdout).length, 0);
  const out = last((await cli(['import', file, '--workspace', 'Acme', '--db', db, '--json', '--tag', 'CLI',
    '--list', 'From CLI', '--dial-mode', 'ai', '--map', 'Notes=ignore'])).stdout);
  assert.equal(out.rows, 22);
  assert.equal(out.imported, 8);
  assert.deepEqual(out.skipped, { missing_phone: 1, invalid_phone: 5, fake_number: 2, invalid_email: 2, duplicate_in_file: 1, no_consent: 3 });
  const errors = await fs.readFile(out.errors_file, 'utf8');
  assert.equal(errors.trim().split(/\r\n/).length, 15);
  const bad = await cli(['import', file, '--workspace', 'Acme', '--db', db, '--map', 'Nope=email'], { allowFail: true });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /no column 'Nope'/);
  const again = last((await cli(['import', file, '--workspace', 'Acme', '--db', db, '--json', '--on-duplicate', 'update-empty'])).stdout);
  assert.equal(again.imported, 0);
  const list = JSON.parse((await cli(['import', 'list', '--workspace', 'Acme', '--db', db, '--json'])).stdout);
  assert.equal(list.length, 2);
  // The second run filled the empty Notes of the 8 contacts: undoing the first now would
  // keep them as conflicts; undoing the second first puts them back as the first left them.
  assert.equal(again.updated, 8);
  const early = last((await cli(['import', 'undo', String(out.import_id), '--workspace', 'Acme', '--db', db, '--json'])).stdout);
  assert.equal(early.conflicts.length, 8);
  assert.equal(early.removed, 0);
  const undo2 = last((await cli(['import', 'undo', String(again.import_id), '--workspace', 'Acme', '--db', db, '--json'])).stdout);
  assert.equal(undo2.restored, 8);
  const missing = await cli(['import', path.join(dir, 'nope.csv'), '--workspace', 'Acme', '--db', db], { allowFail: true });
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /no such file/);
});

test('kill -9 during an import, then resume: every row once, none half-written', async () => {
  const rows = 60000;
  const lines = ['First Name,Last Name,Phone,Email'];
  for (let i = 0; i < rows; i++) {
    const area = ['212', '312', '415', '617', '646', '718'][i % 6];
    const n = String(2000000 + i * 7).padStart(7, '0');
    lines.push(`P${i},L${i},(${area}) ${n.slice(0, 3).replace(/^[01]/, '2')}-${n.slice(3)},p${i}@example.com`);
  }
  const file = path.join(dir, 'big.csv');
  await fs.writeFile(file, lines.join('\n') + '\n');
  const dry = last((await cli(['import', file, '--workspace', 'Acme', '--db', db, '--dry-run', '--json'])).stdout);
  const expected = dry.would_import;
  const before = JSON.parse((await cli(['workspace', 'list', '--db', db, '--json'])).stdout)[0].contacts;
  assert.ok(expected > 50000, JSON.stringify(dry));
  const child = spawn(BIN, ['import', file, '--workspace', 'Acme', '--db', db, '--json'], { stdio: 'ignore' });
  // Kill it once some batches are committed.
  let id = 0;
  for (let i = 0; i < 400; i++) {
    await new Promise((r) => setTimeout(r, 50));
    const list = JSON.parse((await cli(['import', 'list', '--workspace', 'Acme', '--db', db, '--json'])).stdout);
    const running = list.find((x) => x.status === 'running' && x.rows > 0);
    if (running) { id = running.import_id; break; }
  }
  assert.ok(id, 'the import started');
  child.kill('SIGKILL');
  await new Promise((r) => child.on('close', r));
  const mid = JSON.parse((await cli(['import', 'list', '--workspace', 'Acme', '--db', db, '--json'])).stdout).find((x) => x.import_id === id);
  assert.equal(mid.status, 'running', 'a killed job is left running, to be resumed');
  assert.ok(mid.rows < rows, `killed before the end (${mid.rows} rows done)`);
  const resumed = last((await cli(['import', 'resume', String(id), '--workspace', 'Acme', '--db', db, '--json'])).stdout);
  assert.equal(resumed.status, 'completed');
  assert.equal(resumed.rows, rows, JSON.stringify({ mid, resumed }));
  assert.equal(resumed.imported + (resumed.skipped.duplicate_in_file || 0) + (resumed.skipped.invalid_phone || 0) +
    (resumed.skipped.fake_number || 0), rows);
  assert.equal(resumed.imported, expected);
  const ws = JSON.parse((await cli(['workspace', 'list', '--db', db, '--json'])).stdout)[0];
  assert.equal(ws.contacts, before + expected, 'each row once');
  const errors = (await fs.readFile(resumed.errors_file, 'utf8')).trim().split(/\r\n/);
  assert.equal(errors.length - 1, rows - expected, 'the error file has each skipped row once');
});
