/**
 * Indexing one file: read, hash, sniff, extract, chunk, embed, and commit the result in one
 * store write. Any failure is turned into an outcome for this file alone.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { chunkText } from '../chunk/index.js';
import type { Limits } from '../config/options.js';
import { type ErrorCode, MmragError } from '../errors.js';
import type { ExtractContext, SniffedType } from '../extract/extractor.js';
import type { ModelProvider } from '../models/model-provider.js';
import { fsPathFromDisplay } from '../sources/display-path.js';
import { hashBytes } from '../sources/hash.js';
import { sniffType } from '../sources/sniff.js';
import type { WalkedFile } from '../sources/walk.js';
import type { SourceRecord, Store } from '../store/store.js';
import type { EmbeddedSegment, ExtractedSegment, Modality, SourceFile } from '../types.js';
import { extractorFor } from './extractors.js';
import { describeKeyChange } from './pipeline-key.js';
import type { FileOutcome } from './report.js';

/** Bump when extraction or chunking changes what gets stored, so old content is redone. */
export const PIPELINE_VERSION = 1;

export interface IndexFileContext {
  store: Store;
  models: ModelProvider;
  pipelineKey: string;
  limits: Limits;
  signal?: AbortSignal;
  /** The index being replaced by a re-embed, whose records say why each file is redone. */
  previousIndex?: Store;
}

/**
 * Characters a piece may hold per token of the window. Subword tokenizers bound pieces by their
 * counts; a word-level one (the lite GloVe model) counts a 10 MB run without spaces as a single
 * token, and this ceiling still cuts it into pieces a person can read and a snippet can show.
 */
const MAX_CHARS_PER_TOKEN = 16;

/** Errors that mean "nothing to index here" rather than "something is wrong". */
const SKIP_CODES: ReadonlySet<ErrorCode> = new Set(['FILE_UNSUPPORTED', 'NO_SPEECH', 'FILE_EMPTY']);

/** Name endings that promise a type; bytes that break the promise are a corrupt file. */
const PROMISED_TYPES: Record<string, string> = {
  '.pdf': 'PDF',
  '.jpg': 'JPEG image',
  '.jpeg': 'JPEG image',
  '.png': 'PNG image',
  '.webp': 'WebP image',
  '.gif': 'GIF image',
  '.tif': 'TIFF image',
  '.tiff': 'TIFF image',
  '.wav': 'WAV recording',
  '.mp3': 'MP3 recording',
  '.flac': 'FLAC recording',
  '.ogg': 'Ogg recording',
  '.m4a': 'M4A recording',
};

export async function indexFile(file: SourceFile, context: IndexFileContext): Promise<FileOutcome> {
  const { store, pipelineKey, limits } = context;
  const previous = await store.getSource(file.path);
  let contentHash = '';
  let modality: Modality | undefined;

  try {
    if (file.size > limits.maxFileBytes) {
      throw new MmragError(
        'FILE_TOO_LARGE',
        `${file.size} bytes is over the limit of ${limits.maxFileBytes}.`,
        { subject: file.path, hint: 'Raise limits.maxFileBytes (or --max-file-mb) to index it.' },
      );
    }

    const bytes = await readSource(file);
    if (bytes.length === 0) {
      throw new MmragError('FILE_EMPTY', 'The file is empty.', { subject: file.path });
    }
    contentHash = hashBytes(bytes);

    // Unchanged: same bytes through the same pipeline and models.
    if (
      previous &&
      previous.contentHash === contentHash &&
      previous.pipelineKey === pipelineKey &&
      previous.status !== 'failed'
    ) {
      // A file skipped before is still skipped, for the same recorded reason.
      if (previous.status === 'skipped') {
        return { path: file.path, status: 'skipped', segments: 0, reason: previous.reason };
      }
      return {
        path: file.path,
        status: 'unchanged',
        modality: previous.modality === 'unknown' ? undefined : previous.modality,
        segments: previous.segmentCount,
      };
    }

    const type = await sniffType(bytes, file.path);
    if (!type) throw unsupported(file.path);
    modality = type.modality;
    if (modality === 'text' && bytes.length > limits.maxTextBytes) {
      throw new MmragError(
        'FILE_TOO_LARGE',
        `${bytes.length} bytes of text is over the limit of ${limits.maxTextBytes}.`,
        { subject: file.path, hint: 'Raise limits.maxTextBytes (or --max-text-mb) to index it.' },
      );
    }

    // The same content under another name is stored once; this path only gets a source row.
    const duplicateOf = await store.hasContent(contentHash, pipelineKey);
    if (duplicateOf) {
      const segments = await segmentCountOf(store, contentHash);
      await store.commit({
        upsertSources: [sourceRecord(file, { contentHash, pipelineKey, modality, segments })],
        removeContent: await staleContent(store, previous, contentHash),
      });
      return {
        path: file.path,
        status: 'indexed',
        modality,
        segments,
        notes: ['same content as an indexed file'],
      };
    }

    const notes: string[] = [];
    const earlier = previous ?? (await context.previousIndex?.getSource(file.path));
    if (
      earlier?.status === 'indexed' &&
      earlier.contentHash === contentHash &&
      earlier.pipelineKey !== pipelineKey
    ) {
      notes.push(`re-embedded: ${describeKeyChange(earlier.pipelineKey, pipelineKey)}`);
    }

    // The time limit aborts the work itself, so a file over it stops using the CPU too.
    const deadline = new AbortController();
    const segments = await withTimeout(
      extractAndEmbed(
        file,
        bytes,
        contentHash,
        type,
        { ...context, signal: deadline.signal },
        notes,
      ),
      { seconds: limits.maxSecondsPerFile, path: file.path, controller: deadline },
    );

    await store.commit({
      removeContent: await staleContent(store, previous, contentHash, { includeSame: true }),
      addSegments: segments,
      upsertSources: [
        sourceRecord(file, {
          contentHash,
          pipelineKey,
          modality,
          segments: segments.length,
          reason: notes.join('; '),
        }),
      ],
    });
    return { path: file.path, status: 'indexed', modality, segments: segments.length, notes };
  } catch (error) {
    // An abort is the caller's decision, not this file's fault: nothing is recorded.
    if (context.signal?.aborted) throw error;
    const outcome = failureOutcome(file.path, modality, error);
    await store.commit({
      removeContent: await staleContent(store, previous, contentHash),
      upsertSources: [
        sourceRecord(file, {
          contentHash,
          pipelineKey,
          modality,
          segments: 0,
          status: outcome.status === 'skipped' ? 'skipped' : 'failed',
          reason: outcome.reason ?? '',
        }),
      ],
    });
    return outcome;
  }
}

async function extractAndEmbed(
  file: SourceFile,
  bytes: Uint8Array,
  contentHash: string,
  type: SniffedType,
  context: IndexFileContext,
  notes: string[],
): Promise<EmbeddedSegment[]> {
  const { models, limits, signal } = context;
  const textEmbedder = await models.textEmbedder();
  const imageTextEmbedder = await models.imageTextEmbedder();

  // Only the models this modality uses are loaded.
  const extractContext: ExtractContext = {
    recognizer: type.modality === 'text' ? undefined : await models.recognizer(),
    transcriber: type.modality === 'audio' ? await models.transcriber() : undefined,
    wantImages: imageTextEmbedder !== undefined,
    limits,
    signal,
  };
  const extraction = await extractorFor(type).extract(
    { path: file.path, bytes, type },
    extractContext,
  );
  notes.push(...extraction.notes);

  const pieces = await chunkText(extraction.segments, {
    maxTokens: textEmbedder.maxTokens,
    maxChars: textEmbedder.maxTokens * MAX_CHARS_PER_TOKEN,
    countTokens: (texts) => textEmbedder.countTokens(texts),
  });
  const textPieces = pieces.filter((piece) => piece.kind !== 'image' && piece.text?.trim());
  const imagePieces = pieces.filter((piece) => piece.kind === 'image' && piece.image);

  if (textPieces.length === 0 && (imagePieces.length === 0 || !imageTextEmbedder)) {
    throw nothingFound(file.path, type, imageTextEmbedder !== undefined);
  }

  const textVectors = await textEmbedder.embed(
    textPieces.map((piece) => piece.text ?? ''),
    { signal },
  );
  const imageVectors = imageTextEmbedder
    ? await imageTextEmbedder.embedImages(
        imagePieces.map((piece) => piece.image!),
        { signal },
      )
    : [];

  const stored: EmbeddedSegment[] = [];
  const add = (piece: ExtractedSegment, vector: Float32Array, space: 'text' | 'vision') => {
    stored.push({
      id: `${contentHash.slice(0, 20)}-${stored.length}`,
      contentHash,
      modality: type.modality,
      kind: piece.kind,
      text: piece.text ?? '',
      locator: piece.locator,
      space,
      vector,
      thumbnail: piece.thumbnail,
    });
  };
  for (const [i, piece] of textPieces.entries()) add(piece, textVectors[i]!, 'text');
  for (const [i, piece] of imagePieces.entries()) {
    if (imageVectors[i]) add(piece, imageVectors[i], 'vision');
  }
  return stored;
}

async function readSource(file: SourceFile): Promise<Uint8Array> {
  try {
    // Names that are not UTF-8 only open through the walker's byte path.
    const fsPath = (file as Partial<WalkedFile>).fsPath ?? fsPathFromDisplay(file.realPath);
    return await readFile(fsPath);
  } catch (error) {
    throw new MmragError('FILE_UNREADABLE', `Cannot read the file: ${(error as Error).message}.`, {
      subject: file.path,
      hint: 'Check that it exists and that you may read it.',
      cause: error,
    });
  }
}

function nothingFound(path: string, type: SniffedType, canEmbedImages: boolean): MmragError {
  if (!canEmbedImages && (type.modality === 'image' || type.modality === 'pdf')) {
    return new MmragError(
      'FILE_EMPTY',
      'OCR found no words, and finding pictures by what they show needs an image-text model.',
      {
        subject: path,
        hint:
          'Pictures need the full model set: index into a new folder with `--models full` (after ' +
          '`mmrag models pull --models full --index <new>` where the hub is reachable), or switch ' +
          'this index with `mmrag ingest --models full --reembed`.',
      },
    );
  }
  return new MmragError('FILE_EMPTY', 'No text, speech or picture was found in the file.', {
    subject: path,
  });
}

function unsupported(path: string): MmragError {
  const promised = PROMISED_TYPES[extname(path).toLowerCase()];
  if (promised) {
    return new MmragError(
      'FILE_CORRUPT',
      `The name says ${promised}, but the bytes are not one (damaged, or misnamed).`,
      { subject: path, hint: 'Open it in another program to check it.' },
    );
  }
  return new MmragError(
    'FILE_UNSUPPORTED',
    'Not a type mmrag indexes (text, Markdown, HTML, PDF, images, audio).',
    { subject: path },
  );
}

/**
 * Content the path pointed to before that nothing else points to now. `includeSame` also
 * drops the current hash, for a re-embed under a new pipeline.
 */
async function staleContent(
  store: Store,
  previous: SourceRecord | undefined,
  currentHash: string,
  { includeSame = false } = {},
): Promise<string[]> {
  const stale: string[] = [];
  if (previous?.contentHash && (previous.contentHash !== currentHash || includeSame)) {
    const others = (await store.pathsForContent(previous.contentHash)).filter(
      (path) => path !== previous.path,
    );
    if (others.length === 0) stale.push(previous.contentHash);
  }
  if (includeSame && currentHash && !stale.includes(currentHash)) stale.push(currentHash);
  return stale;
}

async function segmentCountOf(store: Store, contentHash: string): Promise<number> {
  for (const path of await store.pathsForContent(contentHash)) {
    const source = await store.getSource(path);
    if (source?.status === 'indexed') return source.segmentCount;
  }
  return 0;
}

function sourceRecord(
  file: SourceFile,
  fields: {
    contentHash: string;
    pipelineKey: string;
    modality: Modality | undefined;
    segments: number;
    status?: SourceRecord['status'];
    reason?: string;
  },
): SourceRecord {
  return {
    path: file.path,
    contentHash: fields.contentHash,
    pipelineKey: fields.pipelineKey,
    modality: fields.modality ?? 'unknown',
    size: file.size,
    mtimeMs: file.mtimeMs,
    indexedAt: Date.now(),
    status: fields.status ?? 'indexed',
    reason: fields.reason ?? '',
    segmentCount: fields.segments,
  };
}

function failureOutcome(path: string, modality: Modality | undefined, error: unknown): FileOutcome {
  if (MmragError.isInstance(error)) {
    return {
      path,
      modality,
      status: SKIP_CODES.has(error.code) ? 'skipped' : 'failed',
      segments: 0,
      code: error.code,
      // The report already names the file; a message that starts with its path need not.
      reason: error.message.startsWith(`${path}: `)
        ? error.message.slice(path.length + 2)
        : error.message,
    };
  }
  // An error nobody planned for is still this file's alone; keep what it said.
  const message = error instanceof Error ? error.message : String(error);
  return { path, modality, status: 'failed', segments: 0, reason: `unexpected error: ${message}` };
}

async function withTimeout<T>(
  work: Promise<T>,
  { seconds, path, controller }: { seconds: number; path: string; controller: AbortController },
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new MmragError('LIMIT_EXCEEDED', `Processing took longer than ${seconds} s.`, {
        subject: path,
        hint: 'Raise limits.maxSecondsPerFile (or --max-seconds-per-file) to give it more time.',
      });
      controller.abort(error);
      reject(error);
    }, seconds * 1000);
  });
  // The abandoned work rejects once it sees the abort; that rejection is expected.
  work.catch(() => undefined);
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
