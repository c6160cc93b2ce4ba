/**
 * `mmrag mcp` driven by the MCP SDK's own client over stdio, as an assistant would: list the
 * tools, ingest a folder, search it, list sources, and be refused a path outside the roots.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CLI_BIN, TSX_LOADER, writeFixtureConfig } from './helpers/cli-process.js';
import { textPng } from './helpers/docs-visual-images.js';

interface ToolResult {
  isError?: boolean;
  content: { type: string; text: string }[];
  structuredContent?: Record<string, unknown>;
}

describe('mmrag mcp', () => {
  let client: Client;
  let docs: string;
  let work: string;

  const call = async (name: string, args: Record<string, unknown> = {}) =>
    (await client.callTool({ name, arguments: args })) as ToolResult;

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'mmrag-mcp-'));
    docs = join(work, 'docs');
    await mkdir(docs);
    await writeFile(
      join(docs, 'garden.md'),
      '# Garden\n\nThe tomatoes need water every evening.\n',
    );
    await writeFile(join(docs, 'sign.png'), await textPng({ lines: ['Fire exit', 'Keep clear'] }));
    await writeFixtureConfig(work);

    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [
        '--import',
        TSX_LOADER,
        CLI_BIN,
        'mcp',
        '--index',
        join(work, 'index'),
        '--allow-root',
        docs,
      ],
      cwd: work,
      stderr: 'pipe',
    });
    client = new Client({ name: 'mmrag-test', version: '1.0.0' });
    await client.connect(transport);
  });

  after(async () => {
    await client?.close();
  });

  test('offers search, ask, ingest and list_sources', async () => {
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((tool) => tool.name).sort(), [
      'ask',
      'ingest',
      'list_sources',
      'search',
    ]);
    const search = tools.find((tool) => tool.name === 'search')!;
    assert.ok((search.inputSchema.required as string[]).includes('query'));
  });

  test('ingest indexes a folder below the allowed root', async () => {
    const result = await call('ingest', { path: docs });
    assert.ok(!result.isError, result.content[0]?.text);
    assert.match(result.content[0]!.text, /Indexed 2, unchanged 0, skipped 0, failed 0/);
  });

  test('search returns numbered hits with path and place', async () => {
    const result = await call('search', { query: 'tomatoes water', k: 3 });
    assert.ok(!result.isError);
    const text = result.content[0]!.text;
    assert.ok(text.startsWith(`[1] ${join(docs, 'garden.md')} (Garden)`), text);
    const { results } = result.structuredContent as { results: { n: number; path: string }[] };
    assert.equal(results[0]!.n, 1);
    assert.equal(results[0]!.path, join(docs, 'garden.md'));

    const picture = await call('search', { query: 'fire exit', modalities: ['image'] });
    const hits = (picture.structuredContent as { results: { path: string; locator: object }[] })
      .results;
    assert.equal(hits[0]!.path, join(docs, 'sign.png'));
    assert.ok('bbox' in hits[0]!.locator);
  });

  test('list_sources counts files per modality', async () => {
    const result = await call('list_sources');
    assert.match(result.content[0]!.text, /Indexed files: .*text 1/);
    const { files } = result.structuredContent as { files: Record<string, number> };
    assert.deepEqual(files, { text: 1, image: 1 });
  });

  test('a path outside the allowed root is an error the assistant can read', async () => {
    const result = await call('ingest', { path: work });
    assert.equal(result.isError, true);
    assert.match(result.content[0]!.text, /^FORBIDDEN: /);
  });

  test('ask answers with numbered citations to the files used', async () => {
    const result = await call('ask', { question: 'When do the tomatoes need water?' });
    assert.ok(!result.isError, result.content[0]?.text);
    assert.match(result.content[0]!.text, /Sources:\n\[1\] /);
    const { citations } = result.structuredContent as { citations: { path: string }[] };
    assert.ok(citations.some((cite) => cite.path === join(docs, 'garden.md')));
  });
});
