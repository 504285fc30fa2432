// Decision search (service/src/db/search.ts) on real PostgreSQL: each of the three paths, every query
// shape, both orders, keyset pages that never skip or repeat, and the timeout safety net.
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import {
  datedTerm,
  decodeSearchCursor,
  encodeSearchCursor,
  indexTerm,
  isStatementTimeout,
  MATCH_CAP,
  parseTsquery,
  RECENT_WINDOW,
  type SearchCursor,
  type SearchSort,
  searchDecisions,
  tsqueryOf,
  weekOf,
} from '../../service/src/db/search.js';
import {
  bearer,
  createProject,
  freshDatabase,
  register,
  startApp,
  type TestDatabase,
  type TestService,
} from './helpers.js';

describe('query shapes', () => {
  test('prefixes are taken out of websearch syntax; everything else stays', () => {
    assert.deepEqual(tsqueryOf('kube* "blue green" -canary'), {
      words: '"blue green" -canary',
      prefixes: ['kube'],
    });
    assert.deepEqual(tsqueryOf('Deploym*'), { words: '', prefixes: ['deploym'] });
    assert.deepEqual(
      tsqueryOf('a* x*y'),
      { words: 'a* x*y', prefixes: [] },
      'one letter or inner * is plain text',
    );
  });

  test('tsquery text parses with its precedence, and the index term is the rarest required word', () => {
    const tree = parseTsquery("'price' & 'dun''s' <-> 'green' | !'blue' & 'kube':*");
    assert.deepEqual(tree, {
      op: 'or',
      left: {
        op: 'and',
        left: { op: 'lex', lexeme: 'price', prefix: false },
        right: {
          op: 'phrase',
          left: { op: 'lex', lexeme: "dun's", prefix: false },
          right: { op: 'lex', lexeme: 'green', prefix: false },
        },
      },
      right: {
        op: 'and',
        left: { op: 'not', arg: { op: 'lex', lexeme: 'blue', prefix: false } },
        right: { op: 'lex', lexeme: 'kube', prefix: true },
      },
    });
    assert.equal(parseTsquery(''), undefined);
    const freq = (l: string) => ({ price: 0.8, green: 0.01, kube: 0.002 })[l] ?? 0;
    assert.deepEqual(indexTerm(tree as NonNullable<typeof tree>, freq), {
      text: "('dun''s' | 'kube':*)",
      freq: 0.002,
      lexemes: [
        { lexeme: "dun's", prefix: false },
        { lexeme: 'kube', prefix: true },
      ],
    });
    const and = parseTsquery("'price' & 'green'");
    assert.deepEqual(indexTerm(and as NonNullable<typeof and>, freq), {
      text: "'green'",
      freq: 0.01,
      lexemes: [{ lexeme: 'green', prefix: false }],
    });
    const not = parseTsquery("!'price'");
    assert.equal(
      indexTerm(not as NonNullable<typeof not>, freq),
      undefined,
      'a negation alone has no index term',
    );
  });

  test('cursors round-trip per order and a tampered or foreign one is refused', () => {
    const newest: SearchCursor = {
      sort: 'newest',
      createdAt: '2026-01-01T00:00:00.000000Z',
      id: '0b7c6a59-3d7e-4a55-9a43-6f1f2b5f5a10',
    };
    const relevance: SearchCursor = {
      sort: 'relevance',
      rank: 0.0607927,
      id: newest.id,
      asOf: newest.createdAt,
    };
    assert.deepEqual(decodeSearchCursor(encodeSearchCursor(newest), 'newest'), newest);
    assert.deepEqual(decodeSearchCursor(encodeSearchCursor(relevance), 'relevance'), relevance);
    assert.equal(decodeSearchCursor(encodeSearchCursor(newest), 'relevance'), undefined);
    for (const date of ['2026-13-45T99:00:00.000000Z', '2026-02-30T00:00:00.000000Z']) {
      const tampered = Buffer.from(JSON.stringify([date, newest.id])).toString('base64url');
      assert.equal(decodeSearchCursor(tampered, 'newest'), undefined, date);
    }
  });
});

describe('search on PostgreSQL', () => {
  let database: TestDatabase;
  let svc: TestService;
  let token: string;
  let projectId: string;
  const ROWS = 20_000;

  beforeAll(async () => {
    database = await freshDatabase();
    svc = await startApp(database.url);
    token = await register(svc.app, 'searcher@example.com');
    projectId = await createProject(svc.app, token, 'Search');
    const other = await createProject(svc.app, await register(svc.app, 'other@example.com'), 'Other');
    // g = 1 is the newest row. `common` in every 3rd row; `rare` in 5 rows spread out; `oldtopic` in
    // 1500 rows, all among the oldest (more than MATCH_CAP matches, none in the recent window);
    // "blue green" a phrase in 40 rows, "green blue" in 40 others; kubernetes/kubectl for prefixes;
    // `medium` in every 10th row (more than MATCH_CAP, fewer than a 50-row page in the recent window);
    // `faded` in the oldest 300 rows (too many for step 2 first, too old for the first window);
    // `burst` in 3000 consecutive middle rows (a stretch denser than one window statement may read).
    await svc.db.query(
      `INSERT INTO decisions (project_id, title, rationale, created_at)
       SELECT $1,
              'Decision ' || g || CASE WHEN g % 3 = 0 THEN ' common' ELSE '' END
                || CASE WHEN g % 4000 = 17 THEN ' rare' ELSE '' END
                || CASE WHEN g > $2 - 1500 THEN ' oldtopic' ELSE '' END
                || CASE WHEN g % 10 = 3 THEN ' medium' ELSE '' END
                || CASE WHEN g > $2 - 300 THEN ' faded' ELSE '' END
                || CASE WHEN g BETWEEN 8001 AND 11000 THEN ' burst' ELSE '' END
                || CASE WHEN g % 250 = 1 THEN ' blue green' WHEN g % 250 = 2 THEN ' green blue' ELSE '' END,
              CASE WHEN g % 700 = 5 THEN 'we run kubernetes' WHEN g % 900 = 6 THEN 'kubectl apply' ELSE 'plain' END,
              timestamptz '2026-06-01 00:00:00+00' - (g / 2) * interval '1 minute'
         FROM generate_series(1, $2::int) g`,
      [projectId, ROWS],
    );
    // Another tenant's rows match every word: they must never show up, whatever the path.
    await svc.db.query(
      `INSERT INTO decisions (project_id, title) SELECT $1, 'common rare oldtopic blue green kubernetes' FROM generate_series(1, 50)`,
      [other],
    );
    await svc.db.query('ANALYZE decisions');
  });
  afterAll(async () => {
    await svc?.close();
    await database?.drop();
  });

  /** The naive query: every match, in the order asked. */
  async function reference(where: string, sort: SearchSort): Promise<string[]> {
    const order =
      sort === 'newest' ? 'd.created_at DESC, d.id DESC' : `ts_rank(d.search, ${where}) DESC, d.id DESC`;
    const res = await svc.db.query<{ id: string }>(
      `SELECT d.id FROM decisions d WHERE d.project_id = $1 AND d.search @@ ${where} ORDER BY ${order}`,
      [projectId],
    );
    return res.rows.map((r) => r.id);
  }

  async function allPages(
    q: string,
    sort: SearchSort,
    limit = 50,
  ): Promise<{ ids: string[]; paths: string[] }> {
    const ids: string[] = [];
    const paths: string[] = [];
    let after: SearchCursor | undefined;
    for (let i = 0; i < 200; i++) {
      const page = await searchDecisions(svc.db, projectId, { q, limit, sort, after });
      ids.push(...page.items.map((d) => d.id));
      paths.push(page.path);
      if (!page.next) return { ids, paths };
      after = page.next;
    }
    throw new Error('more than 200 pages');
  }

  const shapes: Array<[string, string, string]> = [
    ['common word', 'common', "to_tsquery('english', 'common')"],
    ['rare word', 'rare', "to_tsquery('english', 'rare')"],
    ['absent word', 'zzyzx', "to_tsquery('english', 'zzyzx')"],
    ['two words', 'common rare', "to_tsquery('english', 'common & rare')"],
    ['phrase', '"blue green"', "phraseto_tsquery('english', 'blue green')"],
    ['negated word', 'blue -common', "to_tsquery('english', 'blue & !common')"],
    ['prefix', 'kube*', "to_tsquery('simple', 'kube:*')"],
    ['many old matches', 'oldtopic', "to_tsquery('english', 'oldtopic')"],
    ['medium word', 'medium', "to_tsquery('english', 'medium')"],
    ['a few hundred old matches', 'faded', "to_tsquery('english', 'faded')"],
    ['medium word and a common one', 'common medium', "to_tsquery('english', 'common & medium')"],
    ['dense stretch', 'burst', "to_tsquery('english', 'burst')"],
    [
      'dense stretch, phrase and negation',
      '"medium burst" -common',
      "to_tsquery('english', 'medium <-> burst & !common')",
    ],
    ['common words that never meet', 'common -decision', "to_tsquery('english', 'common & !decision')"],
    ['only a negation', '-common', "to_tsquery('english', '!common')"],
    ['only stopwords', 'the and', "''::tsquery"],
  ];

  for (const [name, q, where] of shapes) {
    test(`${name} (${q}): newest first, every page, equal to the naive query`, async () => {
      const { ids } = await allPages(
        q,
        'newest',
        ['many old matches', 'only a negation', 'dense stretch'].includes(name) ? 500 : 50,
      );
      assert.deepEqual(ids, await reference(where, 'newest'));
    });
  }

  test('each shape takes the path its matches call for', async () => {
    const first = async (q: string, limit = 20) =>
      (await searchDecisions(svc.db, projectId, { q, limit, sort: 'newest' })).path;
    assert.equal(await first('common'), 'recent', `common fills a page within ${RECENT_WINDOW} rows`);
    assert.equal(await first('rare'), 'index');
    assert.equal(await first('zzyzx'), 'index');
    assert.equal(await first('oldtopic'), 'windows', `over ${MATCH_CAP} matches, none recent`);
    assert.equal(await first('medium', 50), 'windows', 'over MATCH_CAP matches, 10% of rows');
    assert.equal(await first('faded'), 'index', 'one window finds none, then the complete set');
    assert.equal(await first('burst'), 'windows', 'a stretch denser than one window statement reads');
    assert.equal(await first('common medium'), 'windows', 'the common word is not the index term');
    assert.equal(await first('common -decision'), 'walk', 'only common words are required');
    assert.equal(await first('the and'), 'index', 'only stopwords: nothing can match');
  });

  for (const [q, where] of [
    ['rare blue', "to_tsquery('english', 'rare | blue')"],
    ['kube*', "to_tsquery('simple', 'kube:*')"],
  ] as const) {
    test(`relevance order (${q}): rank then id, all pages, none skipped or repeated`, async () => {
      const { ids } = await allPages(q.replace(' ', ' or '), 'relevance', 7);
      assert.deepEqual(ids, await reference(where, 'relevance'));
    });
  }

  test('relevance through the windows: the newest MATCH_CAP matches ranked, ties by id, every page', async () => {
    const { ids, paths } = await allPages('medium', 'relevance', 90);
    assert.equal(paths[0], 'windows');
    const res = await svc.db.query<{ id: string }>(
      `SELECT id FROM (
         SELECT d.id, ts_rank(d.search, q) AS r FROM decisions d, to_tsquery('english', 'medium') q
          WHERE d.project_id = $1 AND d.search @@ q ORDER BY d.created_at DESC, d.id DESC LIMIT ${MATCH_CAP}) x
        ORDER BY r DESC, id DESC`,
      [projectId],
    );
    assert.deepEqual(
      ids,
      res.rows.map((r) => r.id),
    );
  });

  test('relevance over more than MATCH_CAP matches ranks the newest MATCH_CAP, and paging is stable while rows arrive', async () => {
    const page1 = await searchDecisions(svc.db, projectId, { q: 'common', limit: 400, sort: 'relevance' });
    assert.equal(page1.path, 'walk');
    await svc.db.query(`INSERT INTO decisions (project_id, title) VALUES ($1, 'common common common new')`, [
      projectId,
    ]);
    const rest: string[] = [];
    let after = page1.next;
    while (after) {
      const p = await searchDecisions(svc.db, projectId, {
        q: 'common',
        limit: 400,
        sort: 'relevance',
        after,
      });
      rest.push(...p.items.map((d) => d.id));
      after = p.next;
    }
    const ids = [...page1.items.map((d) => d.id), ...rest];
    assert.equal(ids.length, MATCH_CAP);
    assert.equal(new Set(ids).size, MATCH_CAP, 'no repeats');
    await svc.db.query(`DELETE FROM decisions WHERE title = 'common common common new'`);
  });

  test("the walk path past its statement timeout throws PostgreSQL's cancel (57014), not a 30 s wait", async () => {
    const err = await searchDecisions(svc.db, projectId, {
      q: 'oldtopic',
      limit: 20,
      sort: 'newest',
      timeoutMs: 1,
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(isStatementTimeout(err), String(err));
  });

  test('the week and project prefix of datedTerm are the ones decisions_search_dated (migration 0003) indexes', async () => {
    const project = '3F2A9C1D-0000-4000-8000-000000000000';
    for (const at of [
      '2026-05-28T00:00:00.000000Z', // a week's first instant (weeks start on Thursday, as 1970-01-01 did)
      '2026-05-27T23:59:59.999999Z',
      '1969-12-31T23:59:59.999999Z',
      '1900-03-01T12:00:00.000001Z',
    ]) {
      const week = weekOf(at) as number;
      const res = await svc.db.query<{ hit: boolean }>(
        `SELECT decisions_search_dated($1, $2, to_tsvector('english', 'kubernetes')) @@ $3::tsquery AS hit`,
        [project, at, datedTerm(project, week, week, [{ lexeme: 'kubernet', prefix: false }])],
      );
      assert.equal(res.rows[0]?.hit, true, at);
      const next = await svc.db.query<{ hit: boolean }>(
        `SELECT decisions_search_dated($1, $2, to_tsvector('english', 'kubernetes')) @@ $3::tsquery AS hit`,
        [project, at, datedTerm(project, week + 1, week + 1, [{ lexeme: 'kube', prefix: true }])],
      );
      assert.equal(next.rows[0]?.hit, false, `${at}: not in the next week`);
    }
  });

  test('over many weeks: every shape, every page size, equal to the naive query', async () => {
    // A second project whose rows are spread over ~60 weeks (one every 4 hours), with words of every
    // density: `wkdense` in half the rows, `wkmid` in every 40th, `wksparse` in every 700th,
    // `wkearly` only in the oldest 200 rows, and `medium` in every 30th (over 2,000 rows with the first
    // project's, so no complete set: the week windows walk all the way).
    const spread = await createProject(svc.app, token, 'Spread');
    await svc.db.query(
      `INSERT INTO decisions (project_id, title, created_at)
       SELECT $1,
              'Spread ' || g || CASE WHEN g % 2 = 0 THEN ' wkdense' ELSE '' END
                || CASE WHEN g % 40 = 7 THEN ' wkmid' ELSE '' END
                || CASE WHEN g % 700 = 9 THEN ' wksparse' ELSE '' END
                || CASE WHEN g > 2300 THEN ' wkearly' ELSE '' END
                || CASE WHEN g % 30 = 11 THEN ' medium' ELSE '' END,
              timestamptz '2026-06-01 00:00:00+00' - g * interval '4 hours'
         FROM generate_series(1, 2500) g`,
      [spread],
    );
    await svc.db.query('ANALYZE decisions');
    for (const [q, where] of [
      ['wkmid', "to_tsquery('english', 'wkmid')"],
      ['wksparse', "to_tsquery('english', 'wksparse')"],
      ['wkearly', "to_tsquery('english', 'wkearly')"],
      ['wkmid wkdense', "to_tsquery('english', 'wkmid & wkdense')"],
      ['wkmid -wkdense', "to_tsquery('english', 'wkmid & !wkdense')"],
      ['wkmi* wkdense', "to_tsquery('english', 'wkdense') && to_tsquery('simple', 'wkmi:*')"],
      ['medium', "to_tsquery('english', 'medium')"],
      ['medium wkdense', "to_tsquery('english', 'medium & wkdense')"],
      ['"medium wkdense" or wksparse', "to_tsquery('english', 'medium <-> wkdense | wksparse')"],
    ] as const) {
      const want = await svc.db.query<{ id: string }>(
        `SELECT d.id FROM decisions d WHERE d.project_id = $1 AND d.search @@ (${where})
          ORDER BY d.created_at DESC, d.id DESC`,
        [spread],
      );
      for (const limit of [3, 20]) {
        const ids: string[] = [];
        let after: SearchCursor | undefined;
        for (let i = 0; i < 200; i++) {
          const page = await searchDecisions(svc.db, spread, { q, limit, sort: 'newest', after });
          ids.push(...page.items.map((d) => d.id));
          after = page.next;
          if (!after) break;
        }
        assert.deepEqual(
          ids,
          want.rows.map((r) => r.id),
          `${q}, pages of ${limit}`,
        );
      }
    }
    const first = await searchDecisions(svc.db, spread, { q: 'medium', limit: 20, sort: 'newest' });
    assert.equal(first.path, 'windows');
    await svc.db.query('DELETE FROM decisions WHERE project_id = $1', [spread]);
  });

  test('through the API: sort=relevance, bad sort, relevance without q, tampered cursor', async () => {
    const ok = await svc.app.inject({
      url: `/api/projects/${projectId}/decisions?q=rare&sort=relevance`,
      headers: bearer(token),
    });
    assert.equal(ok.statusCode, 200);
    assert.equal((ok.json() as { items: unknown[] }).items.length, 5);
    const bad = await svc.app.inject({
      url: `/api/projects/${projectId}/decisions?q=rare&sort=oldest`,
      headers: bearer(token),
    });
    assert.equal(bad.statusCode, 400);
    const noQ = await svc.app.inject({
      url: `/api/projects/${projectId}/decisions?sort=relevance`,
      headers: bearer(token),
    });
    assert.equal(noQ.statusCode, 400);
    const cursor = Buffer.from(JSON.stringify(['r', 'NaN', 'x', 'y'])).toString('base64url');
    const tampered = await svc.app.inject({
      url: `/api/projects/${projectId}/decisions?q=rare&sort=relevance&cursor=${cursor}`,
      headers: bearer(token),
    });
    assert.equal(tampered.statusCode, 400);
  });
});
