/**
 * The engine as MCP tools for an assistant (stdio, the official TypeScript SDK): `search`,
 * `ask`, `ingest` (a path below an allowed root) and `list_sources`. Every result carries the
 * citations a person needs to check it: path, page or time, and the matched text.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { neutralizeText } from '../../answer/prompt.js';
import type { Engine } from '../../engine.js';
import type { IngestReport } from '../../ingest/report.js';
import { MODALITIES, type Modality } from '../../types.js';
import { allowedFilesUnder, checkAllowedPath, resolveRoots } from '../http/allowed-paths.js';
import { describeError } from '../http/http-error.js';
import { describeHit, describeLocator } from './describe-hit.js';

export interface McpServerOptions {
  engine: Engine;
  /** Folders below which `ingest` may read. */
  allowRoots: string[];
  version: string;
}

/** Sources listed by name in `list_sources`; the counts always cover all of them. */
const LISTED_SOURCES = 200;

const modality = z.enum(MODALITIES as [Modality, ...Modality[]]);

export async function createMcpServer(options: McpServerOptions): Promise<McpServer> {
  const { engine } = options;
  const roots = await resolveRoots(options.allowRoots);
  const server = new McpServer({ name: 'mmrag', version: options.version });

  // Calls run one at a time: an ingest switches the engine to its writer store, and a search
  // must not be reading the old one at that moment.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = (work: () => Promise<CallToolResult>): Promise<CallToolResult> => {
    const run = queue.then(work).catch(failure);
    queue = run;
    return run;
  };

  server.registerTool(
    'search',
    {
      title: 'Search the index',
      description:
        'Search indexed notes, PDFs, images and recordings by words. Returns numbered hits, ' +
        'each with its file, page or time range, and the matched text.',
      inputSchema: {
        query: z.string().min(1).describe('what to look for, in plain words'),
        k: z.number().int().min(1).max(100).optional().describe('how many hits (default 10)'),
        modalities: z.array(modality).optional().describe('only these kinds of file'),
        pathPrefixes: z.array(z.string()).optional().describe('only files under these paths'),
      },
    },
    ({ query, k, modalities, pathPrefixes }) =>
      serial(async () => {
        const { results } = await engine.search(query, { k: k ?? 10, modalities, pathPrefixes });
        const text = results.length
          ? results.map((hit, index) => describeHit(hit, index + 1)).join('\n')
          : 'No matches.';
        const citations = results.map((hit, index) => ({
          n: index + 1,
          path: hit.path,
          modality: hit.modality,
          kind: hit.kind,
          locator: hit.locator,
          snippet: neutralizeText(hit.snippet),
          score: hit.score,
          segmentId: hit.segmentId,
        }));
        return { content: [{ type: 'text', text }], structuredContent: { results: citations } };
      }),
  );

  server.registerTool(
    'ask',
    {
      title: 'Answer from the index',
      description:
        'Answer a question from the indexed files only, citing each claim with [n] markers ' +
        'that point at a file and place.',
      inputSchema: {
        question: z.string().min(1),
        k: z.number().int().min(1).max(50).optional().describe('how many passages to read'),
      },
    },
    ({ question, k }) =>
      serial(async () => {
        const result = await engine.ask(question, { k, stream: false }).result;
        const sources = result.citations
          .map((cite) => {
            const place = describeLocator(cite.locator);
            return `[${cite.n}] ${cite.path}${place ? ` (${place})` : ''}`;
          })
          .join('\n');
        const text = sources ? `${result.answer}\n\nSources:\n${sources}` : result.answer;
        return { content: [{ type: 'text', text }], structuredContent: { ...result } };
      }),
  );

  server.registerTool(
    'ingest',
    {
      title: 'Index a file or folder',
      description:
        'Index a file or folder (absolute path) below one of the folders this server may read; ' +
        'unchanged files are skipped.',
      inputSchema: { path: z.string().min(1).describe('absolute path of a file or folder') },
    },
    ({ path }) =>
      serial(async () => {
        await checkAllowedPath(path, roots);
        const { files, refused } = await allowedFilesUnder(path, roots, {});
        const report: Pick<IngestReport, 'files' | 'counts'> = files.length
          ? await engine.ingest(files)
          : { files: [], counts: { indexed: 0, unchanged: 0, skipped: 0, failed: 0, removed: 0 } };
        report.files.push(...refused);
        report.counts.skipped += refused.length;

        const { counts } = report;
        const lines = [
          `Indexed ${counts.indexed}, unchanged ${counts.unchanged}, skipped ${counts.skipped}, ` +
            `failed ${counts.failed}.`,
          ...report.files
            .filter((file) => file.status === 'failed' || file.status === 'skipped')
            .map((file) => `${file.status}: ${file.path}: ${file.reason ?? ''}`),
        ];
        return {
          content: [{ type: 'text', text: lines.join('\n') }],
          structuredContent: { counts, files: report.files },
        };
      }),
  );

  server.registerTool(
    'list_sources',
    {
      title: 'What is indexed',
      description: 'Files per modality, and the files that failed or were skipped, with reasons.',
      inputSchema: {},
    },
    () =>
      serial(async () => {
        const status = await engine.status().catch(() => undefined);
        if (!status) return { content: [{ type: 'text', text: 'The index is empty.' }] };
        const sources = (await engine.listSources()).filter((s) => s.status === 'indexed');
        const counts = Object.entries(status.files).map(([kind, count]) => `${kind} ${count}`);
        const lines = [
          `Indexed files: ${counts.join(', ') || 'none'}.`,
          ...sources.slice(0, LISTED_SOURCES).map((source) => `- ${source.path}`),
          ...(sources.length > LISTED_SOURCES
            ? [`... and ${sources.length - LISTED_SOURCES} more`]
            : []),
          ...status.failed.map((file) => `failed: ${file.path}: ${file.reason}`),
          ...status.skipped.map((file) => `skipped: ${file.path}: ${file.reason}`),
        ];
        return {
          content: [{ type: 'text', text: lines.join('\n') }],
          structuredContent: {
            files: status.files,
            sources: sources.map((source) => source.path),
            failed: status.failed,
            skipped: status.skipped,
          },
        };
      }),
  );

  return server;
}

/** A tool error the assistant can read and act on, never a stack. */
function failure(error: unknown): CallToolResult {
  const { error: described } = describeError(error).body;
  return {
    isError: true,
    content: [{ type: 'text', text: `${described.code}: ${described.message}` }],
  };
}
