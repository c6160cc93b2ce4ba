/**
 * The ask flow: retrieve (the fused search), gather evidence, then either answer with the
 * generator from evidence packed into its window, or, with no generator, quote the best
 * passages. Citations are checked against what was sent. Text streams while it is written.
 */
import { MmragError } from '../errors.js';
import type { ChatPart, Generator } from '../models/roles.js';
import type { SearchOptions, SearchResponse } from '../retrieve/search.js';
import { checkCitations } from './citations.js';
import { type EvidenceCandidate, type GatherOptions, gatherEvidence } from './evidence.js';
import { extractiveAnswer, shorten } from './extractive.js';
import { packEvidence } from './pack-evidence.js';
import { createTextChannel } from './text-channel.js';
import type { AskOptions, AskResult, AskStream, Citation, Evidence } from './types.js';

export interface AskInput {
  /** The question's words (may be empty when only an image was given). */
  question: string;
}

type EncodedImage = { bytes: Uint8Array; mimeType: string };

export interface AskDependencies {
  search(options: SearchOptions): Promise<SearchResponse>;
  store(): Promise<GatherOptions['store']>;
  generator(): Promise<Generator | undefined>;
  /** The picture the question is about, encoded; undefined when there is none. */
  queryImage(): Promise<EncodedImage | undefined>;
}

export const DEFAULT_ASK_K = 8;
const DEFAULT_ANSWER_TOKENS = 512;
const QUOTE_CHARS = 300;
const QUERY_IMAGE_LABEL_TOKENS = 16;

export const NO_EVIDENCE_ANSWER =
  'I do not know: nothing in the indexed files is relevant enough to answer this.';

export function ask(input: AskInput, options: AskOptions, deps: AskDependencies): AskStream {
  const channel = createTextChannel();
  const result = runAsk(input, options, deps, (text) => channel.push(text)).then(
    (value) => {
      channel.end();
      return value;
    },
    (error: unknown) => {
      channel.fail(error);
      throw error;
    },
  );
  // A caller that only iterates still sees the failure there; it must not also go unhandled.
  result.catch(() => {});
  return { result, [Symbol.asyncIterator]: () => channel[Symbol.asyncIterator]() };
}

async function runAsk(
  input: AskInput,
  options: AskOptions,
  deps: AskDependencies,
  emit: (text: string) => void,
): Promise<AskResult> {
  const { signal, stream = true } = options;
  const question = input.question.trim();
  const timings = { retrievalMs: 0, packingMs: 0, generationMs: 0 };
  stopIfAborted(signal);

  // Retrieval.
  let started = performance.now();
  const response = await deps.search({ ...options, k: options.k ?? DEFAULT_ASK_K });
  const image = await deps.queryImage();
  const generator = await deps.generator();
  const candidates = await gatherEvidence({
    results: response.results,
    question: [question, response.imageText].filter(Boolean).join(' '),
    store: await deps.store(),
    images: generator?.acceptsImages ?? false,
    imageQuery: image !== undefined,
  });
  timings.retrievalMs = performance.now() - started;
  stopIfAborted(signal);

  const base = { question, timings, removedCitations: [] as number[], truncated: false };
  if (candidates.length === 0) {
    emit(NO_EVIDENCE_ANSWER);
    return {
      ...base,
      answer: NO_EVIDENCE_ANSWER,
      citations: [],
      evidence: [],
      model: generator?.id ?? 'extractive',
      usage: { promptTokens: 0, completionTokens: 0 },
      supported: false,
      mode: 'no-evidence',
    };
  }

  if (!generator) {
    const answer = extractiveAnswer(candidates);
    emit(answer);
    const evidence = toEvidence(candidates);
    const { cited } = checkCitations(
      answer,
      evidence.map((piece) => piece.n),
    );
    return {
      ...base,
      answer,
      citations: toCitations(cited, evidence),
      evidence,
      model: 'extractive',
      usage: { promptTokens: 0, completionTokens: 0 },
      supported: cited.length > 0,
      mode: 'extractive',
    };
  }

  // Packing.
  started = performance.now();
  const answerTokens =
    options.maxAnswerTokens ??
    Math.min(DEFAULT_ANSWER_TOKENS, Math.floor(generator.contextTokens / 4));
  const queryImage = image && generator.acceptsImages ? image : undefined;
  const packed = await packEvidence({
    question: question || 'What does this picture show?',
    candidates,
    generator,
    // The question's own picture goes in after packing; its room is kept with the answer's.
    answerTokens:
      answerTokens + (queryImage ? generator.imageTokens + QUERY_IMAGE_LABEL_TOKENS : 0),
  });
  if (packed.evidence.length === 0) {
    throw new MmragError(
      'CONFIG',
      `The generator ${generator.id} has a window of ${generator.contextTokens} tokens: too ` +
        `small for the prompt, one passage and an answer of ${answerTokens} tokens.`,
      { subject: generator.id, hint: 'Set a larger contextTokens, or a smaller maxAnswerTokens.' },
    );
  }
  if (queryImage) addQueryImage(packed.messages, queryImage);
  timings.packingMs = performance.now() - started;

  // Generation.
  started = performance.now();
  const generation = await generator.generate(packed.messages, {
    maxTokens: answerTokens,
    signal,
    stream,
    onText: stream ? emit : undefined,
  });
  timings.generationMs = performance.now() - started;

  const evidence = toEvidence(packed.evidence);
  const check = checkCitations(
    generation.text,
    evidence.map((piece) => piece.n),
  );
  if (!stream) emit(check.answer);
  return {
    ...base,
    answer: check.answer,
    citations: toCitations(check.cited, evidence),
    evidence,
    model: generator.id,
    usage: {
      promptTokens: generation.usage.promptTokens || packed.promptTokens,
      completionTokens: generation.usage.completionTokens,
    },
    supported: check.cited.length > 0,
    removedCitations: check.removed,
    mode: 'generated',
    truncated: generation.finishReason === 'length',
  };
}

function toEvidence(candidates: EvidenceCandidate[]): Evidence[] {
  return candidates.map((candidate, i) => ({
    n: i + 1,
    path: candidate.path,
    modality: candidate.modality,
    kind: candidate.kind,
    locator: candidate.locator,
    text: candidate.text,
    segmentId: candidate.segmentId,
    score: candidate.score,
    image: candidate.image !== undefined,
  }));
}

function toCitations(cited: number[], evidence: Evidence[]): Citation[] {
  return cited.flatMap((n) => {
    const piece = evidence[n - 1];
    if (!piece) return [];
    return [
      {
        n,
        path: piece.path,
        modality: piece.modality,
        locator: piece.locator,
        quote: quoteOf(piece),
        segmentId: piece.segmentId,
      },
    ];
  });
}

function quoteOf(piece: Evidence): string {
  if (piece.kind === 'image') {
    const picture = piece.locator.page ? `[picture of page ${piece.locator.page}]` : '[picture]';
    return piece.text ? `${picture} ${shorten(piece.text, QUOTE_CHARS)}` : picture;
  }
  return shorten(piece.text, QUOTE_CHARS);
}

/** The question's own picture goes first in the user turn, for a model that reads images. */
function addQueryImage(
  messages: { role: string; content: string | ChatPart[] }[],
  image: EncodedImage,
): void {
  const user = messages.find((message) => message.role === 'user');
  if (!user) return;
  const parts: ChatPart[] =
    typeof user.content === 'string' ? [{ type: 'text', text: user.content }] : user.content;
  user.content = [
    { type: 'text', text: 'The picture my question is about:\n' },
    { type: 'image', image: image.bytes, mimeType: image.mimeType },
    ...parts,
  ];
}

function stopIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw new MmragError('ABORTED', 'Stopped before the answer was written.', {
      cause: signal.reason,
    });
  }
}
