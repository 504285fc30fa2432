import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { outcomeUnknown, sendAtMostOnce, UnconfirmedWrite, UserError } from '../../lib/errors.js';
import { NetworkError } from '../../lib/http.js';

/** A write whose answers are scripted: each call takes the next one (an Error is thrown). */
function scripted<T>(...answers: Array<T | Error>) {
  const calls = { n: 0 };
  const send = async (): Promise<T> => {
    const a = answers[calls.n++];
    if (a instanceof Error) throw a;
    return a as T;
  };
  return { send, calls };
}

function look<T>(found: T | undefined, lookErr?: Error) {
  const said: string[] = [];
  const looks = { n: 0 };
  return {
    said,
    looks,
    opts: {
      find: async () => {
        looks.n++;
        if (lookErr) throw lookErr;
        return found;
      },
      log: (m: string) => said.push(m),
      looking: 'Looking first.',
      found: (t: T) => `Found ${String(t)}.`,
      notFound: 'Not there; sending once more.',
    },
  };
}

describe('outcomeUnknown', () => {
  test('a timeout or reset after sending is unknown; a refused connection is not', () => {
    assert.equal(outcomeUnknown(new NetworkError('x', 'UND_ERR_HEADERS_TIMEOUT')), true);
    assert.equal(outcomeUnknown(new NetworkError('x', 'ECONNRESET')), true);
    assert.equal(outcomeUnknown(new NetworkError('x', 'ECONNREFUSED')), false);
    assert.equal(outcomeUnknown(new NetworkError('x', 'ENOTFOUND')), false);
  });

  test('only errors that say so are unknown', () => {
    assert.equal(outcomeUnknown(new UnconfirmedWrite('5xx')), true);
    assert.equal(outcomeUnknown(new UserError('400')), false);
    assert.equal(outcomeUnknown({ outcomeUnknown: true }), false, 'not an Error');
    assert.equal(outcomeUnknown(undefined), false);
  });
});

describe('sendAtMostOnce', () => {
  test('a confirmed write is sent once and nothing is looked up', async () => {
    const w = scripted('ok');
    const l = look<string>('other');
    assert.equal(await sendAtMostOnce(w.send, l.opts), 'ok');
    assert.equal(w.calls.n, 1);
    assert.equal(l.looks.n, 0);
  });

  test('an unconfirmed write that was applied is not sent again', async () => {
    const w = scripted<string>(new UnconfirmedWrite('The server answered 502.'), 'second');
    const l = look<string>('posted');
    assert.equal(await sendAtMostOnce(w.send, l.opts), 'posted');
    assert.equal(w.calls.n, 1);
    assert.deepEqual(l.said, ['The server answered 502. Looking first.', 'Found posted.']);
  });

  test('an unconfirmed write that is not there is sent exactly once more', async () => {
    const w = scripted<string>(new NetworkError('Timed out.', 'UND_ERR_HEADERS_TIMEOUT'), 'second');
    const l = look<string>(undefined);
    assert.equal(await sendAtMostOnce(w.send, l.opts), 'second');
    assert.equal(w.calls.n, 2);
    assert.equal(l.said.at(-1), 'Not there; sending once more.');
  });

  test('a second unconfirmed answer reaches the caller, with no third send', async () => {
    const w = scripted<string>(new UnconfirmedWrite('first'), new UnconfirmedWrite('second'), 'third');
    const l = look<string>(undefined);
    await assert.rejects(sendAtMostOnce(w.send, l.opts), /second/);
    assert.equal(w.calls.n, 2);
  });

  test('a refusal is not looked up or re-sent', async () => {
    const w = scripted<string>(new UserError('400 bad request'), 'second');
    const l = look<string>('posted');
    await assert.rejects(sendAtMostOnce(w.send, l.opts), /400 bad request/);
    assert.equal(w.calls.n, 1);
    assert.equal(l.looks.n, 0);
  });

  test('when the look fails nothing is re-sent, and lookFailed words the error', async () => {
    const w = scripted<string>(new UnconfirmedWrite('first'), 'second');
    const l = look<string>(undefined, new Error('history unreadable'));
    await assert.rejects(sendAtMostOnce(w.send, l.opts), /history unreadable/);
    const worded = look<string>(undefined, new Error('history unreadable'));
    await assert.rejects(
      sendAtMostOnce(scripted<string>(new UnconfirmedWrite('first')).send, {
        ...worded.opts,
        lookFailed: (e) => new UserError(`may or may not have been posted (${(e as Error).message})`),
      }),
      /may or may not have been posted \(history unreadable\)/,
    );
    assert.equal(w.calls.n, 1);
  });
});
