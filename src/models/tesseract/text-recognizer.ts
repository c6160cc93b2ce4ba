/**
 * OCR through tesseract.js, strictly offline: the trained data comes from the
 * `@tesseract.js-data/<lang>` npm packages, never from the CDN that tesseract.js falls back to.
 */
import { createRequire } from 'node:module';
import path from 'node:path';

import sharp from 'sharp';
import type Tesseract from 'tesseract.js';

import { MmragError } from '../../errors.js';
import type { BoundingBox, RgbImage } from '../../types.js';
import type { CallOptions, Recognition, RecognizedText, TextRecognizer } from '../roles.js';

export interface TesseractRecognizerOptions {
  /**
   * Tesseract language codes; each needs its `@tesseract.js-data/<code>` package installed.
   * @default ['eng']
   */
  languages?: string[];
  /**
   * Folder holding `<code>.traineddata.gz` for every language.
   * @default the `4.0.0_best_int` folder of `@tesseract.js-data/<first language>`
   */
  langPath?: string;
}

const require = createRequire(import.meta.url);

/** Resolves the integer-quantised "best" LSTM data shipped in the npm data package. */
function defaultLangPath(language: string): string {
  const packageName = `@tesseract.js-data/${language}`;
  try {
    return path.join(
      path.dirname(require.resolve(`${packageName}/package.json`)),
      '4.0.0_best_int',
    );
  } catch (cause) {
    throw new MmragError('MODEL_MISSING', `The OCR data for "${language}" is not installed.`, {
      subject: packageName,
      hint: `Run \`npm install ${packageName}\`, or pass langPath.`,
      cause,
    });
  }
}

function toFractions(box: Tesseract.Bbox, width: number, height: number): BoundingBox {
  const clamp = (value: number) => Math.min(1, Math.max(0, value));
  return [
    clamp(box.x0 / width),
    clamp(box.y0 / height),
    clamp(box.x1 / width),
    clamp(box.y1 / height),
  ];
}

/** Tesseract reads encoded pictures; decoded pixels are wrapped as a lossless PNG first. */
async function toEncoded(image: Uint8Array | RgbImage): Promise<Buffer> {
  if (image instanceof Uint8Array) return Buffer.from(image.buffer, image.byteOffset, image.length);
  const { width, height, data } = image;
  return sharp(data, { raw: { width, height, channels: 3 } })
    .png({ compressionLevel: 1 })
    .toBuffer();
}

/** The size Tesseract saw, which the boxes it returns are measured against. */
async function sizeOf(encoded: Buffer, image: Uint8Array | RgbImage) {
  if (!(image instanceof Uint8Array)) return { width: image.width, height: image.height };
  const meta = await sharp(encoded).metadata();
  return { width: meta.width ?? 1, height: meta.height ?? 1 };
}

function collect(page: Tesseract.Page, width: number, height: number): Recognition {
  const lines: RecognizedText[] = [];
  const words: RecognizedText[] = [];

  for (const block of page.blocks ?? []) {
    for (const paragraph of block.paragraphs) {
      for (const line of paragraph.lines) {
        const text = line.text.trim();
        if (text) {
          lines.push({
            text,
            bbox: toFractions(line.bbox, width, height),
            confidence: line.confidence,
          });
        }
        for (const word of line.words) {
          if (!word.text.trim()) continue;
          words.push({
            text: word.text,
            bbox: toFractions(word.bbox, width, height),
            confidence: word.confidence,
          });
        }
      }
    }
  }

  // Tesseract's page confidence is 0 for an empty page; the mean over words says the same.
  const confidence = words.length
    ? words.reduce((sum, word) => sum + word.confidence, 0) / words.length
    : 0;
  return { text: page.text.trim(), confidence, lines, words };
}

/**
 * Creates a `TextRecognizer` on tesseract.js. The worker starts on the first `recognize` and is
 * reused; `dispose()` ends it.
 */
export function createTesseractRecognizer(
  options: TesseractRecognizerOptions = {},
): TextRecognizer {
  const { languages = ['eng'], langPath: langPathOption } = options;
  const id = `tesseract.js/${languages.join('+')}`;
  let worker: Promise<Tesseract.Worker> | undefined;

  async function start(): Promise<Tesseract.Worker> {
    const langPath = langPathOption ?? defaultLangPath(languages[0] ?? 'eng');
    const { createWorker, OEM } = await import('tesseract.js');
    try {
      const worker = await createWorker(languages, OEM.LSTM_ONLY, {
        langPath,
        gzip: true,
        // Caching would write `<lang>.traineddata` into the working directory.
        cacheMethod: 'none',
        // Progress messages are not wanted, and without an error handler tesseract.js rethrows
        // a failed job inside its message listener, which crashes the process.
        logger: () => {},
        errorHandler: () => {},
      });
      // Without a resolution Tesseract guesses one from the picture and prints a warning
      // ("Invalid resolution 25 dpi") straight to stderr from its worker thread.
      await worker.setParameters({ user_defined_dpi: '300' });
      return worker;
    } catch (cause) {
      throw new MmragError('MODEL_MISSING', 'The OCR engine could not start.', {
        subject: langPath,
        hint: `Check that ${languages.map((l) => `${l}.traineddata.gz`).join(', ')} is in it.`,
        cause,
      });
    }
  }

  async function recognize(
    image: Uint8Array | RgbImage,
    callOptions: CallOptions = {},
  ): Promise<Recognition> {
    callOptions.signal?.throwIfAborted();
    const encoded = await toEncoded(image);
    const { width, height } = await sizeOf(encoded, image);

    worker ??= start();
    let ready: Tesseract.Worker;
    try {
      ready = await worker;
    } catch (error) {
      // Let the next call try again rather than keep a failed start forever.
      worker = undefined;
      throw error;
    }

    callOptions.signal?.throwIfAborted();
    try {
      const result = await ready.recognize(encoded, {}, { text: true, blocks: true });
      return collect(result.data, width, height);
    } catch (cause) {
      throw new MmragError('MODEL_FAILED', 'OCR failed on an image.', { subject: id, cause });
    }
  }

  async function dispose(): Promise<void> {
    const pending = worker;
    worker = undefined;
    if (!pending) return;
    const ready = await pending.catch(() => undefined);
    await ready?.terminate();
  }

  return { id, recognize, dispose };
}
