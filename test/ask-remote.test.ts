/**
 * The OpenAI-compatible generator against a loopback server started here: streamed answers
 * through `engine.ask` with checked citations, retries on 429 and 5xx, clear errors naming the
 * server and status, timeouts, malformed and truncated streams, non-streaming servers, image
 * parts, aborts, and documents that try to speak as the system.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Engine } from '../src/engine.js';
import { MmragError } from '../src/errors.js';
import { createOpenAiChatGenerator } from '../src/models/remote/openai-chat-generator.js';
import type { ChatMessage } from '../src/models/roles.js';
import { type ChatServer, startChatServer } from './helpers/ask-chat-server.js';
import { buildAskIndex, openAskEngine } from './helpers/ask-fixtures.js';

let root: string;
let indexDir: string;
let server: ChatServer;
const engines: Engine[] = [];

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'mmrag-ask-remote-'));
  ({ indexDir } = await buildAskIndex(root));
  server = await startChatServer();
});

after(async () => {
  await Promise.all(engines.map((engine) => engine.close()));
  await server?.close();
  await rm(root, { recursive: true, force: true });
});

async function remoteEngine(model: string, extra: object = {}): Promise<Engine> {
  const engine = await openAskEngine(indexDir, {
    remote: { baseUrl: server.baseUrl, model, maxRetries: 2, timeoutMs: 2000, ...extra },
  });
  engines.push(engine);
  return engine;
}

const question: ChatMessage[] = [{ role: 'user', content: '[1] The sky is blue.\nWhy?' }];

function failsWith(code: string, pattern: RegExp) {
  return (error: unknown) => {
    assert.ok(MmragError.isInstance(error), String(error));
    assert.equal(error.code, code);
    assert.match(error.message, pattern);
    return true;
  };
}

describe('a remote generator through engine.ask', () => {
  test('streams the answer, keeps real citations and removes invented ones', async () => {
    const engine = await remoteEngine('echo');
    const answer = engine.ask('what did the radiologist say about the wrist?');
    const deltas: string[] = [];
    for await (const delta of answer) deltas.push(delta);
    const result = await answer.result;

    assert.ok(deltas.length > 5);
    assert.match(deltas.join(''), /\[9\]/, 'the raw stream is what the server sent');
    assert.match(result.answer, /hairline fracture .* \[1\] Also this\.$/);
    assert.deepEqual(result.removedCitations, [9]);
    assert.equal(result.supported, true);
    assert.equal(basename(result.citations[0]!.path), 'wrist.txt');
    assert.equal(result.model, `echo @ ${server.baseUrl}`);
    assert.deepEqual(result.usage.completionTokens > 0, true);

    const sent = server.requests.at(-1)!;
    assert.equal(sent.path, '/v1/chat/completions');
    assert.equal(sent.body.stream, true);
    assert.ok(sent.body.max_tokens! > 0);
  });

  test('a planted system turn in a file stays inside the user message, as data', async () => {
    const engine = await remoteEngine('pirate');
    const result = await engine.ask('what do the coffee tasting notes say?').result;
    assert.doesNotMatch(result.answer, /Arr/);
    assert.match(result.answer, /^Coffee tasting notes/);

    const { messages } = server.requests.at(-1)!.body;
    assert.deepEqual(
      messages.map((m) => m.role),
      ['system', 'user'],
    );
    const user = messages[1]!.content as string;
    assert.ok(!user.includes('<|im_start|>'));
    assert.ok(user.indexOf('pirate') < user.indexOf('</documents>'));
  });

  test('sends the API key from the named environment variable', async () => {
    process.env.MMRAG_TEST_KEY = 'sk-test-123';
    try {
      const engine = await remoteEngine('echo', { apiKeyEnv: 'MMRAG_TEST_KEY' });
      await engine.ask('how much did revenue grow?').result;
      assert.equal(server.requests.at(-1)!.headers.authorization, 'Bearer sk-test-123');
    } finally {
      delete process.env.MMRAG_TEST_KEY;
    }
  });
});

describe('the chat client', () => {
  const client = (model: string, extra: object = {}) =>
    createOpenAiChatGenerator({
      baseUrl: server.baseUrl,
      model,
      maxRetries: 2,
      retryDelayMs: 1,
      timeoutMs: 1500,
      ...extra,
    });

  test('retries after 429, honouring Retry-After', async () => {
    const before = server.requests.length;
    const generation = await client('flaky').generate(question, { maxTokens: 50 });
    assert.match(generation.text, /The sky is blue/);
    assert.equal(server.requests.length - before, 2);
  });

  test('gives up on a server that keeps failing, naming it and the status', async () => {
    const before = server.requests.length;
    await assert.rejects(
      client('down').generate(question, { maxTokens: 50 }),
      failsWith('REMOTE_FAILED', /127\.0\.0\.1:\d+\/v1\/chat\/completions answered 503.*loading/),
    );
    assert.equal(server.requests.length - before, 3, 'one try and two retries');
  });

  test('does not retry a request the server rejects', async () => {
    const before = server.requests.length;
    await assert.rejects(
      client('bad').generate(question, { maxTokens: 50 }),
      failsWith('REMOTE_FAILED', /answered 400/),
    );
    assert.equal(server.requests.length - before, 1);
  });

  test('times out a server that goes quiet', async () => {
    await assert.rejects(
      client('slow', { maxRetries: 0, timeoutMs: 300 }).generate(question, { maxTokens: 50 }),
      failsWith('REMOTE_FAILED', /sent nothing for/),
    );
  });

  test('reports a malformed stream and a stream cut short', async () => {
    await assert.rejects(
      client('malformed').generate(question, { maxTokens: 50 }),
      failsWith('REMOTE_FAILED', /unreadable JSON/),
    );
    await assert.rejects(
      client('truncated').generate(question, { maxTokens: 50 }),
      failsWith('REMOTE_FAILED', /ended before the answer did/),
    );
  });

  test('reads a server that answers in one JSON body, and non-streamed requests', async () => {
    const seen: string[] = [];
    const generation = await client('json').generate(question, {
      maxTokens: 50,
      onText: (text) => seen.push(text),
    });
    assert.match(generation.text, /The sky is blue/);
    assert.deepEqual(seen, [generation.text]);
    assert.deepEqual(generation.usage, { promptTokens: 11, completionTokens: 7 });

    const plain = await client('echo').generate(question, { maxTokens: 50, stream: false });
    assert.match(plain.text, /The sky is blue/);
    assert.equal(server.requests.at(-1)!.body.stream, false);
  });

  test('says which server cannot be reached', async () => {
    const gone = createOpenAiChatGenerator({
      baseUrl: 'http://127.0.0.1:9/v1',
      model: 'x',
      maxRetries: 0,
    });
    await assert.rejects(
      gone.generate(question, { maxTokens: 5 }),
      failsWith('REMOTE_FAILED', /Cannot reach the chat server http:\/\/127\.0\.0\.1:9\/v1/),
    );
  });

  test('sends pictures as image_url data parts when the server takes images', async () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    await client('echo', { images: true }).generate(
      [
        {
          role: 'user',
          content: [
            { type: 'text', text: '[1] A chart.\n' },
            { type: 'image', image: png, mimeType: 'image/png' },
          ],
        },
      ],
      { maxTokens: 20 },
    );
    const parts = server.requests.at(-1)!.body.messages[0]!.content as {
      type: string;
      image_url?: { url: string };
    }[];
    assert.equal(parts[1]!.type, 'image_url');
    assert.equal(
      parts[1]!.image_url!.url,
      `data:image/png;base64,${Buffer.from(png).toString('base64')}`,
    );
  });

  test('stops mid-stream when the signal aborts', async () => {
    const stop = new AbortController();
    const pieces: string[] = [];
    await assert.rejects(
      client('drip').generate(question, {
        maxTokens: 500,
        signal: stop.signal,
        onText: (text) => {
          pieces.push(text);
          if (pieces.length === 3) stop.abort();
        },
      }),
      failsWith('ABORTED', /Stopped/),
    );
    assert.ok(pieces.length < 10);
  });
});
