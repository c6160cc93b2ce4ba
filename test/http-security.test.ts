/**
 * The server's defaults under attack: path traversal, a wrong or missing key, an oversized
 * upload, a file whose name lies about its type, a symlink out of the allowed root, a foreign
 * Host header, and errors that must not leak a stack.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, symlink, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createEngine } from '../src/engine.js';
import { startServer } from '../src/interfaces/http/index.js';
import { textPng } from './helpers/docs-visual-images.js';
import { fixtureEngineOptions } from './helpers/e2e-fixture-models.js';
import { postJson, startTestServer, type TestServer, waitForJob } from './helpers/http-server.js';

const KEY = 'test-key-0123456789';

async function errorOf(response: Response) {
  const body = (await response.json()) as { error: { code: string; message: string } };
  assert.deepEqual(Object.keys(body), ['error']);
  return body.error;
}

/** A raw request, so that the path and Host header go out exactly as written. */
function rawGet(url: string, path: string, headers: Record<string, string> = {}) {
  const { hostname, port } = new URL(url);
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = httpRequest({ hostname, port, path, headers }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('HTTP server, safe by default', () => {
  let root: string;
  let allowed: string;
  let outside: string;
  let server: TestServer;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'mmrag-http-sec-'));
    allowed = join(root, 'allowed');
    outside = join(root, 'outside');
    await mkdir(join(allowed, 'notes'), { recursive: true });
    await mkdir(outside);
    await writeFile(join(allowed, 'notes', 'plan.md'), '# Plan\n\nPaint the fence green.\n');
    await writeFile(join(outside, 'secret.md'), '# Secret\n\nThe vault code is swordfish.\n');
    // One link names the outside folder, another sits in an allowed folder and leads out.
    await symlink(outside, join(allowed, 'escape'));
    await symlink(join(outside, 'secret.md'), join(allowed, 'notes', 'secret-link.md'));
    // A folder link inside an allowed folder: what lies behind it must not even be listed.
    await mkdir(join(outside, 'deep', 'er'), { recursive: true });
    await writeFile(join(outside, 'deep', 'er', 'hidden-name.md'), '# Far\n\nBeyond the root.\n');
    await symlink(join(outside, 'deep'), join(allowed, 'notes', 'deep-link'));

    server = await startTestServer({
      allowRoots: [allowed],
      maxUploadMb: 1,
      indexDir: join(root, 'index'),
    });
  });

  after(async () => {
    await server?.close();
  });

  test('a path outside the allowed root is refused, also through .. and symlinks', async () => {
    for (const path of [outside, join(allowed, '..', 'outside'), join(allowed, 'escape')]) {
      const response = await postJson(server, '/v1/ingest', { path });
      assert.equal(response.status, 403, path);
      assert.equal((await errorOf(response)).code, 'FORBIDDEN');
    }
    const relative = await postJson(server, '/v1/ingest', { path: 'notes' });
    assert.equal(relative.status, 400);
  });

  test('a link inside an allowed folder that leads out is skipped, the rest indexed', async () => {
    const response = await postJson(server, '/v1/ingest', { path: join(allowed, 'notes') });
    assert.equal(response.status, 202);
    const { jobId } = (await response.json()) as { jobId: string };
    const job = await waitForJob(server, jobId);
    assert.equal(job.status, 'done');
    const files = job.report!.files;
    const link = files.find((file) => file.path.endsWith('secret-link.md'));
    assert.equal(link?.status, 'skipped');
    assert.match(link?.reason ?? '', /outside/);
    assert.equal(job.report!.counts.indexed, 1);
    const folderLink = files.filter((file) => file.path.includes('deep-link'));
    assert.deepEqual(
      folderLink.map((file) => [file.path, file.status]),
      [[join(allowed, 'notes', 'deep-link'), 'skipped']],
      'the folder behind the link was walked',
    );
    assert.ok(files.every((file) => !file.path.includes('hidden-name')));

    const search = await server.request('/v1/search?q=vault+code+swordfish');
    const { results } = (await search.json()) as { results: { path: string }[] };
    assert.ok(results.every((hit) => !hit.path.includes('secret')));
  });

  test('media and static paths cannot be pointed at files by traversal', async () => {
    for (const path of [
      '/v1/media/..%2F..%2F..%2Fetc%2Fpasswd/file',
      '/v1/media/%2Fetc%2Fpasswd/file',
      '/v1/media/../../etc/passwd/file',
      '/../../../../etc/passwd',
      '/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
      '/assets/..%2f..%2f..%2f..%2fetc%2fpasswd',
    ]) {
      const response = await rawGet(server.url, path);
      assert.doesNotMatch(response.body, /root:.*:0:0:/, path);
      // The web UI answers unknown page paths with its index.html; anything else is an error.
      if (response.status === 200) assert.match(response.body, /^<!doctype html>/i, path);
      else assert.ok(response.status === 404 || response.status === 400, path);
    }
  });

  test('an upload over the size limit is refused with 413', async () => {
    const form = new FormData();
    form.append('files', new Blob([new Uint8Array(2 * 2 ** 20).fill(0x61)]), 'big.txt');
    const response = await server.request('/v1/ingest', { method: 'POST', body: form });
    assert.equal(response.status, 413);
    assert.equal((await errorOf(response)).code, 'TOO_LARGE');
  });

  test('a file whose name lies about its type is refused with 415, and nothing is saved', async () => {
    const form = new FormData();
    form.append('files', new Blob(['# Notes\n\nplain words\n']), 'holiday.png');
    form.append(
      'files',
      new Blob([new Uint8Array(await textPng({ lines: ['real picture'] }))]),
      'real.png',
    );
    const response = await server.request('/v1/ingest', { method: 'POST', body: form });
    assert.equal(response.status, 415);
    const error = await errorOf(response);
    assert.equal(error.code, 'UNSUPPORTED_TYPE');
    assert.match(error.message, /holiday\.png/);

    const binary = new FormData();
    binary.append(
      'files',
      new Blob([new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0])]),
      'tool',
    );
    const refused = await server.request('/v1/ingest', { method: 'POST', body: binary });
    assert.equal(refused.status, 415);
    assert.equal(existsSync(join(server.indexDir, 'uploads', 'real.png')), false);
  });

  test('upload names cannot leave the uploads folder', async () => {
    const form = new FormData();
    form.append('files', new Blob(['# Escape\n\nclimbing out of the folder\n']), '../../evil.md');
    const response = await server.request('/v1/ingest', { method: 'POST', body: form });
    assert.equal(response.status, 202);
    const job = await waitForJob(server, ((await response.json()) as { jobId: string }).jobId);
    assert.equal(job.status, 'done');
    assert.deepEqual(await readdir(join(server.indexDir, 'uploads')), ['evil.md']);
    assert.equal(existsSync(join(root, 'evil.md')), false);
  });

  test('a Host header naming another site is refused (DNS rebinding)', async () => {
    const response = await rawGet(server.url, '/v1/health', { host: 'evil.example:7700' });
    assert.equal(response.status, 403);
    const ok = await rawGet(server.url, '/v1/health', { host: 'localhost:7700' });
    assert.equal(ok.status, 200);
  });

  test('CORS is off unless configured', async () => {
    const response = await server.request('/v1/health', {
      headers: { origin: 'https://elsewhere.example' },
    });
    assert.equal(response.headers.get('access-control-allow-origin'), null);
  });

  test('errors are JSON with a code and never a stack', async () => {
    const malformed = await server.request('/v1/search', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{ not json',
    });
    assert.equal(malformed.status, 400);
    const error = await errorOf(malformed);
    assert.equal(error.code, 'USAGE');
    assert.doesNotMatch(error.message, /\n\s+at /);

    const empty = await postJson(server, '/v1/search', {});
    assert.equal(empty.status, 400);
  });

  describe('with an API key', () => {
    let keyed: TestServer;

    before(async () => {
      keyed = await startTestServer({
        apiKey: KEY,
        corsOrigins: ['https://app.example'],
        indexDir: join(root, 'keyed-index'),
      });
    });

    after(async () => {
      await keyed?.close();
    });

    test('every API request needs the key; a wrong one is refused', async () => {
      const missing = await keyed.request('/v1/health');
      assert.equal(missing.status, 401);
      assert.equal((await errorOf(missing)).code, 'UNAUTHORIZED');

      const wrong = await keyed.request('/v1/health', {
        headers: { authorization: 'Bearer not-the-key-at-all' },
      });
      assert.equal(wrong.status, 401);
      const short = await keyed.request('/v1/sources', { headers: { 'x-api-key': 'x' } });
      assert.equal(short.status, 401);

      for (const headers of [
        { authorization: `Bearer ${KEY}` },
        { 'x-api-key': KEY },
      ] as HeadersInit[]) {
        assert.equal((await keyed.request('/v1/health', { headers })).status, 200);
      }
      // A key in the URL is taken for media only (tags cannot send headers), never for the API.
      assert.equal((await keyed.request(`/v1/health?key=${KEY}`)).status, 401);
      assert.equal((await keyed.request(`/v1/media/no-such-segment/file?key=${KEY}`)).status, 404);
      assert.equal((await keyed.request('/v1/media/no-such-segment/file?key=wrong')).status, 401);
    });

    test('a configured origin gets CORS headers', async () => {
      const response = await keyed.request('/v1/health', {
        headers: { origin: 'https://app.example', 'x-api-key': KEY },
      });
      assert.equal(response.headers.get('access-control-allow-origin'), 'https://app.example');
      const other = await keyed.request('/v1/health', {
        headers: { origin: 'https://evil.example', 'x-api-key': KEY },
      });
      assert.notEqual(other.headers.get('access-control-allow-origin'), 'https://evil.example');
    });
  });

  test('mmrag serve --host 0.0.0.0 without a key exits 2 with the reason', () => {
    const bin = join(import.meta.dirname, '..', 'src', 'interfaces', 'cli', 'bin.ts');
    const run = spawnSync(
      process.execPath,
      ['--import', import.meta.resolve('tsx'), bin, 'serve', '--host', '0.0.0.0', '--port', '0'],
      { cwd: root, env: { ...process.env, MMRAG_API_KEY: '' }, encoding: 'utf8', timeout: 60_000 },
    );
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, /Refusing to listen on 0\.0\.0\.0 without an API key/);
    assert.equal(run.stdout, '');
  });

  test('listening beyond loopback without an API key is refused', async () => {
    const engine = await createEngine(await fixtureEngineOptions(join(root, 'open-index')));
    try {
      await assert.rejects(
        startServer({ engine, host: '0.0.0.0', port: 0 }),
        (error: Error & { code?: string }) =>
          error.code === 'USAGE' && /without an API key/.test(error.message),
      );
    } finally {
      await engine.close();
    }
  });
});
