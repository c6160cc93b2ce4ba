/**
 * The request and response shapes of the HTTP API. The same zod schemas validate requests and
 * generate the OpenAPI document (`GET /v1/openapi.json`), so the two cannot drift apart.
 */
import { z } from '@hono/zod-openapi';
import { MODALITIES } from '../../types.js';

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'USAGE' }),
      message: z.string(),
    }),
  })
  .openapi('Error');

export const HealthSchema = z
  .object({
    status: z.literal('ok'),
    version: z.string(),
    index: z.string(),
    models: z.string(),
  })
  .openapi('Health');

const modality = z.enum(MODALITIES as [string, ...string[]]);

/** A list given as repeated fields, one comma-separated field, or both. */
function listOf<T extends z.ZodType>(item: T) {
  return z.preprocess((value) => {
    if (value === undefined || value === '') return undefined;
    const values = Array.isArray(value) ? value : [value];
    return values.flatMap((entry) =>
      typeof entry === 'string' ? entry.split(',').filter((part) => part !== '') : [entry],
    );
  }, z.array(item).optional());
}

const k = z.coerce.number().int().min(1).max(1000).optional().openapi({ example: 10 });
const date = z.iso
  .datetime({ offset: true, local: true })
  .or(z.iso.date())
  .optional()
  .openapi({ description: 'ISO date or date-time' });

export const SearchQuerySchema = z.object({
  q: z.string().min(1).openapi({ example: 'budget meeting' }),
  k,
  modality: listOf(modality).openapi({ description: 'text, pdf, image, audio; comma-separated' }),
  path: listOf(z.string().min(1)).openapi({ description: 'only files under these paths' }),
  after: date,
  before: date,
});

const searchFields = {
  q: z.string().optional(),
  k,
  modalities: listOf(modality),
  pathPrefixes: listOf(z.string().min(1)),
  after: date,
  before: date,
};

export const SearchBodySchema = z.object(searchFields).openapi('SearchRequest');

export const SearchFormSchema = z.object({
  ...searchFields,
  image: z
    .instanceof(File)
    .optional()
    .openapi({ type: 'string', format: 'binary', description: 'a query picture' }),
});

const LocatorSchema = z
  .object({
    page: z.number().optional(),
    bbox: z.array(z.number()).length(4).optional(),
    start: z.number().optional(),
    end: z.number().optional(),
    charStart: z.number().optional(),
    charEnd: z.number().optional(),
    headingPath: z.array(z.string()).optional(),
  })
  .openapi('Locator');

export const MediaLinksSchema = z
  .object({
    file: z.string().openapi({ description: 'the original file, with HTTP Range' }),
    thumbnail: z.string().optional().openapi({ description: 'image/webp, image segments' }),
    page: z.string().optional().openapi({ description: 'the PDF page as image/png' }),
  })
  .openapi('MediaLinks');

export const SearchResultSchema = z
  .object({
    path: z.string(),
    paths: z.array(z.string()),
    modality,
    kind: z.string(),
    locator: LocatorSchema,
    snippet: z.string(),
    score: z.number(),
    segmentId: z.string(),
    matchedBy: z.record(z.string(), z.number()),
    media: MediaLinksSchema,
  })
  .openapi('SearchResult');

export const SearchResponseSchema = z
  .object({
    query: z.object({ text: z.string(), image: z.enum(['upload']).nullable() }),
    results: z.array(SearchResultSchema),
    retrievers: z.record(z.string(), z.number()),
    imageText: z.string().optional(),
  })
  .openapi('SearchResponse');

export const AskBodySchema = z
  .object({ ...searchFields, q: z.string().min(1) })
  .openapi('AskRequest');

const CitationSchema = z
  .object({
    n: z.number(),
    path: z.string(),
    modality,
    locator: LocatorSchema,
    quote: z.string(),
    segmentId: z.string(),
  })
  .openapi('Citation');

const EvidenceSchema = z
  .object({
    n: z.number(),
    path: z.string(),
    modality,
    kind: z.string(),
    locator: LocatorSchema,
    text: z.string(),
    segmentId: z.string(),
    score: z.number(),
    image: z.boolean(),
  })
  .openapi('Evidence');

export const AskResultSchema = z
  .object({
    question: z.string(),
    answer: z.string(),
    citations: z.array(CitationSchema),
    evidence: z.array(EvidenceSchema),
    model: z.string(),
    usage: z.object({ promptTokens: z.number(), completionTokens: z.number() }),
    supported: z.boolean(),
    removedCitations: z.array(z.number()),
    mode: z.enum(['generated', 'extractive', 'no-evidence']),
    truncated: z.boolean(),
    timings: z.object({ retrievalMs: z.number(), packingMs: z.number(), generationMs: z.number() }),
  })
  .openapi('AskResult');

export const IngestBodySchema = z
  .object({ path: z.string().min(1).openapi({ example: '/home/me/notes' }) })
  .openapi('IngestPathRequest');

const uploadFile = z.instanceof(File).openapi({ type: 'string', format: 'binary' });

export const IngestFormSchema = z.object({
  files: z
    .preprocess((value) => (Array.isArray(value) ? value : [value]), z.array(uploadFile).min(1))
    .openapi({ description: 'one or more files (field repeated)' }),
});

export const JobAcceptedSchema = z.object({ jobId: z.string() }).openapi('JobAccepted');

export const JobSchema = z
  .object({
    id: z.string(),
    status: z.enum(['queued', 'running', 'done', 'failed']),
    done: z.number(),
    total: z.number(),
    current: z.string().optional(),
    report: z.unknown().optional(),
    error: z.object({ code: z.string(), message: z.string() }).optional(),
  })
  .openapi('Job');

export const JobParamsSchema = z.object({
  id: z.string().openapi({ param: { name: 'id', in: 'path' } }),
});

const SourceSchema = z
  .object({
    path: z.string(),
    contentHash: z.string(),
    modality: z.string(),
    size: z.number(),
    mtimeMs: z.number(),
    indexedAt: z.number(),
    status: z.enum(['indexed', 'skipped', 'failed']),
    reason: z.string(),
    segmentCount: z.number(),
  })
  .openapi('Source');

const PathReasonSchema = z.object({ path: z.string(), reason: z.string() });

export const SourcesResponseSchema = z
  .object({
    sources: z.array(SourceSchema),
    files: z.record(z.string(), z.number()),
    failed: z.array(PathReasonSchema),
    skipped: z.array(PathReasonSchema),
  })
  .openapi('Sources');

export const RemoveQuerySchema = z.object({ path: z.string().min(1) });

export const RemoveResponseSchema = z
  .object({
    removed: z.array(
      z.object({ path: z.string(), status: z.string(), reason: z.string().optional() }),
    ),
  })
  .openapi('Removed');

export const MediaParamsSchema = z.object({
  segmentId: z
    .string()
    .min(1)
    .openapi({ param: { name: 'segmentId', in: 'path' } }),
});

export const PageQuerySchema = z.object({
  width: z.coerce.number().int().min(16).max(2000).optional(),
});
