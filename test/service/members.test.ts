/**
 * Team sharing over the HTTP API on real PostgreSQL: owners add and remove people by email with a
 * role; viewers read, editors also add decisions, owners also manage members and the webhook;
 * everyone else still gets 404; adding an email never reveals whether it has an account.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import {
  bearer,
  createProject,
  freshDatabase,
  login,
  register,
  startApp,
  type TestDatabase,
  type TestService,
} from './helpers.js';

let database: TestDatabase;
let svc: TestService;
let owner: string;
let projectId: string;

beforeAll(async () => {
  database = await freshDatabase();
  svc = await startApp(database.url);
  owner = await register(svc.app, 'lead@example.com');
  projectId = await createProject(svc.app, owner, 'Shared');
});
afterAll(async () => {
  await svc?.close();
  await database?.drop();
});

const errorOf = (body: string) => (JSON.parse(body) as { error: { code: string } }).error.code;
const addMember = (token: string, email: string, role: string, project = projectId) =>
  svc.app.inject({
    method: 'POST',
    url: `/api/projects/${project}/members`,
    headers: bearer(token),
    payload: { email, role },
  });
const addDecision = (token: string, title: string) =>
  svc.app.inject({
    method: 'POST',
    url: `/api/projects/${projectId}/decisions`,
    headers: bearer(token),
    payload: { title, rationale: 'Agreed in the weekly sync' },
  });
const read = (token: string, path = '') =>
  svc.app.inject({ url: `/api/projects/${projectId}${path}`, headers: bearer(token) });

describe('roles', () => {
  let viewer: string;
  let editor: string;
  let stranger: string;

  beforeAll(async () => {
    viewer = await register(svc.app, 'viewer@example.com');
    editor = await register(svc.app, 'editor@example.com');
    stranger = await register(svc.app, 'outsider@example.com');
    assert.equal((await addMember(owner, 'Viewer@Example.com', 'viewer')).statusCode, 201);
    assert.equal((await addMember(owner, 'editor@example.com', 'editor')).statusCode, 201);
  });

  test('viewers read the project and its decisions; they cannot add decisions (403)', async () => {
    assert.equal((await addDecision(owner, 'Owner decides')).statusCode, 201);
    const project = await read(viewer);
    assert.equal(project.statusCode, 200);
    assert.equal((project.json() as { role: string }).role, 'viewer');
    const decisions = await read(viewer, '/decisions');
    assert.equal(decisions.statusCode, 200);
    const items = (decisions.json() as { items: Array<{ id: string; title: string }> }).items;
    assert.deepEqual(
      items.map((d) => d.title),
      ['Owner decides'],
    );
    const one = await svc.app.inject({ url: `/api/decisions/${items[0]!.id}`, headers: bearer(viewer) });
    assert.equal(one.statusCode, 200);
    const denied = await addDecision(viewer, 'Viewer tries');
    assert.equal(denied.statusCode, 403);
    assert.equal(errorOf(denied.body), 'forbidden');
    const list = await svc.app.inject({ url: '/api/projects', headers: bearer(viewer) });
    assert.deepEqual(
      (list.json() as Array<{ id: string; role: string }>).map((p) => [p.id, p.role]),
      [[projectId, 'viewer']],
    );
  });

  test('editors also add decisions; they cannot manage members or see the webhook secret', async () => {
    const created = await addDecision(editor, 'Editor decides');
    assert.equal(created.statusCode, 201, created.body);
    assert.equal((created.json() as { project_id: string }).project_id, projectId);
    assert.equal((await addMember(editor, 'someone@example.com', 'viewer')).statusCode, 403);
    assert.equal((await read(editor, '/webhook')).statusCode, 403);
  });

  test('people who are not members still get 404 for everything', async () => {
    for (const path of ['', '/decisions', '/members', '/webhook']) {
      const res = await read(stranger, path);
      assert.equal(res.statusCode, 404, path);
    }
    assert.equal((await addDecision(stranger, 'Outsider')).statusCode, 404);
    assert.equal((await addMember(stranger, 'outsider@example.com', 'owner')).statusCode, 404);
  });

  test('members list everyone with their role; the creator cannot be demoted or removed', async () => {
    const res = await read(viewer, '/members');
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), [
      { email: 'lead@example.com', role: 'owner' },
      { email: 'viewer@example.com', role: 'viewer' },
      { email: 'editor@example.com', role: 'editor' },
    ]);
    assert.equal((await addMember(owner, 'lead@example.com', 'viewer')).statusCode, 409);
    const del = await svc.app.inject({
      method: 'DELETE',
      url: `/api/projects/${projectId}/members/lead@example.com`,
      headers: bearer(owner),
    });
    assert.equal(del.statusCode, 409);
  });

  test('an owner promotes and removes members by email; a removed member gets 404', async () => {
    assert.equal((await addMember(owner, 'viewer@example.com', 'owner')).statusCode, 201);
    assert.equal(
      (await addMember(viewer, 'outsider@example.com', 'viewer')).statusCode,
      201,
      'a new owner manages members',
    );
    assert.equal((await read(stranger)).statusCode, 200);
    const del = await svc.app.inject({
      method: 'DELETE',
      url: `/api/projects/${projectId}/members/${encodeURIComponent('OUTSIDER@example.com')}`,
      headers: bearer(owner),
    });
    assert.equal(del.statusCode, 204);
    assert.equal((await read(stranger)).statusCode, 404);
    assert.equal((await read(stranger, '/decisions')).statusCode, 404);
  });
});

describe('adding by email', () => {
  test('the answer is the same whether or not the email has an account; the invitee joins on registering', async () => {
    await register(svc.app, 'has-account@example.com');
    const known = await addMember(owner, 'has-account@example.com', 'viewer');
    const unknown = await addMember(owner, 'no-account-yet@example.com', 'editor');
    assert.equal(known.statusCode, 201);
    assert.equal(unknown.statusCode, 201);
    assert.deepEqual(Object.keys(known.json() as object), Object.keys(unknown.json() as object));

    const reg = await svc.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: { email: 'No-Account-Yet@example.com', password: 'invited person' },
    });
    assert.equal(reg.statusCode, 202);
    const token = await login(svc.app, 'no-account-yet@example.com', 'invited person');
    const project = await read(token);
    assert.equal(project.statusCode, 200);
    assert.equal((project.json() as { role: string }).role, 'editor');
  });

  test('only valid emails and roles are accepted', async () => {
    assert.equal((await addMember(owner, 'not-an-email', 'viewer')).statusCode, 400);
    assert.equal((await addMember(owner, 'x@example.com', 'admin')).statusCode, 400);
  });
});
