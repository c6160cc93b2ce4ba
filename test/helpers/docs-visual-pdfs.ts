/**
 * PDFs for the PDF extractor tests, written with pdf-lib: a text-layer document, a "scanned"
 * one (a picture of text and no text layer), and password-protected ones. pdf-lib cannot
 * encrypt, so `encryptPdf` applies the PDF standard security handler (revision 2, 40-bit RC4,
 * ISO 32000-1 §7.6.3) itself; that needs nothing beyond node:crypto.
 */
import { createHash, randomBytes } from 'node:crypto';

import {
  PDFArray,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFNumber,
  PDFRawStream,
  PDFStream,
  StandardFonts,
} from 'pdf-lib';

/** A4 in points. */
const PAGE: [number, number] = [595, 842];

/**
 * One page per entry, each entry the lines on that page; an empty entry is a blank page.
 * Text is Helvetica 18 pt from the top left margin.
 */
export async function textPdf(pages: string[][]): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const lines of pages) {
    const page = doc.addPage(PAGE);
    lines.forEach((line, i) => {
      page.drawText(line, { x: 72, y: PAGE[1] - 100 - i * 26, size: 18, font });
    });
  }
  return doc.save({ useObjectStreams: false });
}

/** Pages that each hold only a PNG covering the page, as a scanner writes them. */
export async function scannedPdf(pngs: Uint8Array[]): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  for (const png of pngs) {
    const image = await doc.embedPng(png);
    const page = doc.addPage(PAGE);
    const scale = Math.min(PAGE[0] / image.width, PAGE[1] / image.height);
    const width = image.width * scale;
    const height = image.height * scale;
    page.drawImage(image, { x: 0, y: PAGE[1] - height, width, height });
  }
  return doc.save({ useObjectStreams: false });
}

/** The 32 bytes every password is padded with (ISO 32000-1, 7.6.3.3, step a). */
const PADDING = Buffer.from(
  '28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a',
  'hex',
);

function padded(password: string): Buffer {
  return Buffer.concat([Buffer.from(password, 'latin1'), PADDING]).subarray(0, 32);
}

function md5(...parts: Uint8Array[]): Buffer {
  const hash = createHash('md5');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

/** RC4 is not in OpenSSL 3's default provider, so it is written out here; it is short. */
function rc4(key: Uint8Array, data: Uint8Array): Uint8Array {
  const s = Array.from({ length: 256 }, (_, i) => i);
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i]! + key[i % key.length]!) & 255;
    [s[i], s[j]] = [s[j]!, s[i]!];
  }
  const out = new Uint8Array(data.length);
  for (let n = 0, i = 0, j = 0; n < data.length; n++) {
    i = (i + 1) & 255;
    j = (j + s[i]!) & 255;
    [s[i], s[j]] = [s[j]!, s[i]!];
    out[n] = data[n]! ^ s[(s[i]! + s[j]!) & 255]!;
  }
  return out;
}

export interface EncryptPdfOptions {
  /** Needed to open the file; empty means anyone can open it (pdf.js tries that by itself). */
  userPassword: string;
  /** @default 'owner-secret' */
  ownerPassword?: string;
}

/** Encrypts every stream of a PDF written by pdf-lib (one without strings or object streams). */
export async function encryptPdf(
  bytes: Uint8Array,
  options: EncryptPdfOptions,
): Promise<Uint8Array> {
  const { userPassword, ownerPassword = 'owner-secret' } = options;
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  const context = doc.context;

  // Algorithms 3, 2 and 4 of the standard: owner entry, file key, user entry.
  const permissions = -4; // every permission bit set
  const permissionBytes = Buffer.alloc(4);
  permissionBytes.writeInt32LE(permissions);
  const fileId = randomBytes(16);
  const owner = rc4(md5(padded(ownerPassword)).subarray(0, 5), padded(userPassword));
  const fileKey = md5(padded(userPassword), owner, permissionBytes, fileId).subarray(0, 5);
  const user = rc4(fileKey, PADDING);

  // Algorithm 1: each object's streams under a key salted with its number and generation.
  for (const [ref, object] of context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFStream)) continue;
    const salt = Buffer.alloc(5);
    salt.writeUIntLE(ref.objectNumber, 0, 3);
    salt.writeUInt16LE(ref.generationNumber, 3);
    const key = md5(fileKey, salt).subarray(0, 10);
    context.assign(ref, PDFRawStream.of(object.dict, rc4(key, object.getContents())));
  }

  const encrypt = context.obj({
    Filter: PDFName.of('Standard'),
    V: PDFNumber.of(1),
    R: PDFNumber.of(2),
    Length: PDFNumber.of(40),
    P: PDFNumber.of(permissions),
    O: PDFHexString.of(Buffer.from(owner).toString('hex')),
    U: PDFHexString.of(Buffer.from(user).toString('hex')),
  });
  context.trailerInfo.Encrypt = context.register(encrypt);
  const id = PDFHexString.of(fileId.toString('hex'));
  const ids = PDFArray.withContext(context);
  ids.push(id);
  ids.push(id);
  context.trailerInfo.ID = ids;

  return doc.save({ useObjectStreams: false, updateFieldAppearances: false });
}
