/**
 * Opens a PDF with pdf.js (the legacy build, which runs in Node) so that nothing is fetched,
 * evaluated or printed: fonts, CMaps, colour profiles and image decoders come from the
 * pdfjs-dist package folder.
 */
import { createRequire } from 'node:module';
import path from 'node:path';

import type { PDFDocumentProxy } from 'pdfjs-dist/types/src/display/api.js';

import { MmragError } from '../../errors.js';

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');

const require = createRequire(import.meta.url);
let pdfjs: Promise<PdfJs> | undefined;

/** pdf.js is large; it loads on the first PDF, once. */
export function loadPdfJs(): Promise<PdfJs> {
  pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  return pdfjs;
}

/** pdf.js reads these as URLs or paths ending in a slash; in Node it reads them from disk. */
function assetFolder(name: string): string {
  const root = path.dirname(require.resolve('pdfjs-dist/package.json'));
  return `${path.join(root, name)}${path.sep}`;
}

/** The decoder's reason, without its closing full stop, to fit inside our sentence. */
function describe(cause: unknown): string {
  return (cause instanceof Error ? cause.message : String(cause)).replace(/\.+$/, '');
}

function openError(cause: unknown, subject: string): MmragError {
  const name = (cause as { name?: string } | null)?.name;
  if (name === 'PasswordException') {
    return new MmragError(
      'FILE_ENCRYPTED',
      'The PDF is password-protected; mmrag cannot read it.',
      {
        subject,
        hint: 'Save an unprotected copy (print to PDF, or `qpdf --decrypt`) and index that.',
        cause,
      },
    );
  }
  return new MmragError('FILE_CORRUPT', `The PDF cannot be opened: ${describe(cause)}.`, {
    subject,
    hint: 'The file may be truncated or damaged; open it in a PDF viewer to check.',
    cause,
  });
}

/**
 * Opens the bytes as a PDF. A PDF encrypted with an empty user password (common: "no
 * printing" restrictions only) opens, as pdf.js tries that password itself.
 */
export async function openPdf(bytes: Uint8Array, subject: string): Promise<PDFDocumentProxy> {
  if (bytes.length === 0) {
    throw new MmragError('FILE_EMPTY', 'The PDF file is empty.', { subject });
  }
  const { getDocument, VerbosityLevel } = await loadPdfJs();

  // A copy, as a plain Uint8Array: pdf.js refuses Node Buffers, and it takes ownership of
  // the memory it is given.
  const task = getDocument({
    data: new Uint8Array(bytes),
    verbosity: VerbosityLevel.ERRORS,
    disableFontFace: true,
    useSystemFonts: false,
    isEvalSupported: false,
    useWorkerFetch: false,
    standardFontDataUrl: assetFolder('standard_fonts'),
    cMapUrl: assetFolder('cmaps'),
    cMapPacked: true,
    iccUrl: assetFolder('iccs'),
    wasmUrl: assetFolder('wasm'),
  });
  try {
    return await task.promise;
  } catch (cause) {
    await task.destroy().catch(() => {});
    throw openError(cause, subject);
  }
}
