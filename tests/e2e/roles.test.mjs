// Journey: agents (and managers) see only what their role allows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useApp, withPage, signIn, createContact, expectStatus, goTo, contactRow, drawer, expectCount, expectToast,
} from './lib.mjs';

const AGENT = 'agent@acme.test';
const MANAGER = 'manager@acme.test';
const app = useApp({
  users: [{ email: AGENT, role: 'agent' }, { email: MANAGER, role: 'manager' }],
  seed: async ({ api }) => {
    expectStatus(await api.post('/api/v1/fields', { key: 'public_note', label: 'Public note', type: 'text' }), 201);
    expectStatus(await api.post('/api/v1/fields', { key: 'salary', label: 'Salary band', type: 'text', visibility: 'admin' }), 201);
    await createContact(api, {
      first_name: 'Agnes', last_name: 'Visible', tags: ['vip'],
      custom_fields: { public_note: 'Likes mornings', salary: 'Band C' },
    });
  },
});

const SIDEBAR_ALL = ['Contacts', 'Trash', 'Tags', 'Custom fields', 'Members & roles', 'API tokens', 'Workspace'];

async function navLinks(page) {
  const nav = page.getByRole('complementary', { name: 'Main' });
  const out = [];
  for (const name of SIDEBAR_ALL) if (await nav.getByRole('link', { name, exact: true }).count()) out.push(name);
  return out;
}

test('an agent sees no Trash, Custom fields, Members or Workspace links, and cannot edit in the drawer', async (t) => {
  await withPage(t, app, async (page) => {
    await signIn(page, AGENT);
    await page.getByText('agent', { exact: true }).waitFor();
    assert.deepEqual(await navLinks(page), ['Contacts', 'Tags', 'API tokens']);

    await contactRow(page, 'Agnes Visible').click();
    const d = drawer(page, 'Agnes Visible');
    await d.getByText('Likes mornings').waitFor();
    for (const name of ['Edit', 'Star', 'Delete', 'Mark do-not-call']) {
      assert.equal(await d.getByRole('button', { name, exact: true }).count(), 0, `no "${name}" button for an agent`);
    }
    // A field visible to admins only is not shown (nor sent) to an agent.
    assert.equal(await d.getByText('Salary band').count(), 0);
    assert.equal(await d.getByText('Band C').count(), 0);
    await d.getByRole('button', { name: 'Close' }).click();
    await expectCount(drawer(page, 'Agnes Visible'), 0);
  });
});

test('an agent is not offered row selection, since no bulk action is open to them', async (t) => {
  await withPage(t, app, async (page) => {
    await signIn(page, AGENT);
    await contactRow(page, 'Agnes Visible').waitFor();
    const box = page.getByRole('checkbox', { name: 'Select Agnes Visible' });
    if (await box.count()) {
      // If the checkbox is there, ticking it must lead somewhere; it does not.
      await box.check();
      await page.waitForTimeout(300);  // the bulk bar appears synchronously for managers
      assert.equal(await page.getByRole('region', { name: 'Bulk actions' }).count(), 1,
        'an agent can tick "Select Agnes Visible", but nothing follows: no bulk bar, no action');
    }
  });
});

test('an agent can add a contact, but cannot change tags', async (t) => {
  await withPage(t, app, async (page) => {
    await signIn(page, AGENT);
    await page.getByRole('button', { name: '+ Add contact' }).click();
    const dlg = page.getByRole('dialog', { name: 'Add contact' });
    await dlg.getByLabel('First name').fill('Called');
    await dlg.getByLabel('Last name').fill('Inbound');
    await dlg.getByLabel('Phone').fill('(312) 736-5521');
    await dlg.getByRole('button', { name: 'Add contact', exact: true }).click();
    await expectToast(page, 'Added Called Inbound');
    await drawer(page, 'Called Inbound').waitFor();
    await drawer(page, 'Called Inbound').getByRole('button', { name: 'Close' }).click();

    await goTo(page, 'Tags');
    await page.getByRole('cell', { name: 'vip', exact: true }).waitFor();
    assert.equal(await page.getByRole('button', { name: '+ New tag' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Edit vip' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Delete vip' }).count(), 0);
  });
});

test('an agent who opens an admin page by its address is told it is not allowed', async (t) => {
  await withPage(t, app, async (page) => {
    await signIn(page, AGENT);
    await page.goto('/settings/members');
    await page.getByRole('alert').waitFor();
    assert.equal(await page.getByRole('button', { name: '+ Add member' }).count(), 0,
      'no "Add member" button on a page the agent cannot use');
  });
});

test('a manager sees the Trash but not the admin settings, and can edit', async (t) => {
  await withPage(t, app, async (page) => {
    await signIn(page, MANAGER);
    assert.deepEqual(await navLinks(page), ['Contacts', 'Trash', 'Tags', 'API tokens']);
    await contactRow(page, 'Agnes Visible').click();
    const d = drawer(page, 'Agnes Visible');
    await d.getByRole('button', { name: 'Edit' }).waitFor();
    await d.getByRole('button', { name: 'Star', exact: true }).waitFor();
    assert.equal(await d.getByText('Band C').count(), 0, 'admin-only field hidden from a manager');
  });
});
