/** sentry-release plan.ts: request bodies, paths and links for a release. */
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { readConfig } from '../../../actions/sentry-release/src/config.js';
import {
  createBody,
  deployBody,
  releasePath,
  releaseUpdate,
  releaseUrl,
} from '../../../actions/sentry-release/src/plan.js';
import { inputsFrom } from '../../harness/io.js';

const minimal = { 'auth-token': 'tok', org: 'acme', projects: 'api web', release: '1.4.2' };
const config = (extra: Record<string, string> = {}) => readConfig(inputsFrom({ ...minimal, ...extra }), {});
const now = new Date('2025-03-01T12:00:00Z');

describe('release plan', () => {
  test('create body carries projects, refs and, when finalizing, dateReleased', () => {
    assert.deepEqual(createBody(config(), now), {
      version: '1.4.2',
      projects: ['api', 'web'],
      dateReleased: '2025-03-01T12:00:00.000Z',
    });
    assert.deepEqual(createBody(config({ finalize: 'false', repository: 'r', commit: 'c' }), now), {
      version: '1.4.2',
      projects: ['api', 'web'],
      refs: [{ repository: 'r', commit: 'c' }],
    });
  });

  test('an unreleased release is finalized; a released one keeps its date; finalize=false never touches it', () => {
    assert.deepEqual(releaseUpdate(config(), { version: '1.4.2', dateReleased: null }, now), {
      dateReleased: '2025-03-01T12:00:00.000Z',
    });
    assert.equal(
      releaseUpdate(config(), { version: '1.4.2', dateReleased: '2025-02-01T00:00:00Z' }, now),
      undefined,
    );
    assert.equal(
      releaseUpdate(config({ finalize: 'false' }), { version: '1.4.2', dateReleased: null }, now),
      undefined,
    );
  });

  test('deploy body', () => {
    const c = config({
      'deploy-name': 'run 7',
      'deploy-url': 'https://x.test',
      'started-at': '2025-03-01T11:58:00Z',
    });
    assert.deepEqual(deployBody(c, 'production', now), {
      environment: 'production',
      projects: ['api', 'web'],
      name: 'run 7',
      url: 'https://x.test',
      dateStarted: '2025-03-01T11:58:00.000Z',
      dateFinished: '2025-03-01T12:00:00.000Z',
    });
  });

  test('paths and links encode the version', () => {
    assert.equal(releasePath('acme', '1.0+build 5'), '/api/0/organizations/acme/releases/1.0%2Bbuild%205/');
    assert.equal(
      releaseUrl('https://sentry.io', 'acme', 'v1'),
      'https://sentry.io/organizations/acme/releases/v1/',
    );
  });
});
