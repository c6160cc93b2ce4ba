/**
 * Turns the bytes of a text file into a string, whatever its encoding, with line ends made LF.
 * Every character offset mmrag stores for text refers to the string this returns.
 */
import * as chardet from 'chardet';
import iconv from 'iconv-lite';

export interface DecodedText {
  /** The text, BOM removed, CRLF and lone CR turned into LF, NUL characters removed. */
  text: string;
  /** The encoding used, as iconv-lite names it (`utf8`, `utf16le`, `windows-1252`, ...). */
  encoding: string;
}

/** How much of a file the encoding guess looks at; enough for a confident guess, and fast. */
const GUESS_SAMPLE_BYTES = 64 * 1024;

/** Below this confidence (0–100) the guess is a coin toss on short texts; Latin-1 is safer. */
const MIN_GUESS_CONFIDENCE = 50;

/** Used when nothing better is known: decodes any byte, and is what most legacy text is. */
const FALLBACK_ENCODING = 'windows-1252';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decodes text bytes: BOM first, then strict UTF-8, then a guess, then windows-1252. */
export function decodeText(bytes: Uint8Array): DecodedText {
  const bom = bomEncoding(bytes);
  if (bom) return decodeAs(bytes.subarray(bom.length), bom.encoding);

  try {
    return { text: normalizeText(strictUtf8.decode(bytes)), encoding: 'utf8' };
  } catch {
    // Not UTF-8: guess below.
  }

  return decodeAs(bytes, guessEncoding(bytes));
}

/**
 * Decodes with a declared encoding (an HTML `<meta charset>`, say), falling back to `decodeText`
 * when the label is unknown or the bytes contradict a declared UTF-8.
 */
export function decodeDeclared(bytes: Uint8Array, label: string): DecodedText {
  const bom = bomEncoding(bytes);
  if (bom) return decodeAs(bytes.subarray(bom.length), bom.encoding);

  const encoding = canonicalEncoding(label);
  if (encoding === undefined) return decodeText(bytes);
  if (encoding === 'utf8') {
    try {
      return { text: normalizeText(strictUtf8.decode(bytes)), encoding };
    } catch {
      return decodeText(bytes);
    }
  }
  return decodeAs(bytes, encoding);
}

/** Line ends to LF, NUL characters out: the form every offset refers to. */
export function normalizeText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/\0/g, '');
}

/** The encoding a byte order mark announces, and the mark's length. */
export function bomEncoding(bytes: Uint8Array): { encoding: string; length: number } | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { encoding: 'utf8', length: 3 };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf16le', length: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf16be', length: 2 };
  return undefined;
}

function decodeAs(bytes: Uint8Array, encoding: string): DecodedText {
  const text = iconv.decode(
    Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    encoding,
    {
      stripBOM: false,
    },
  );
  return { text: normalizeText(text), encoding };
}

function guessEncoding(bytes: Uint8Array): string {
  const sample = bytes.subarray(0, GUESS_SAMPLE_BYTES);
  const [best] = chardet.analyse(sample);
  if (!best || best.confidence < MIN_GUESS_CONFIDENCE) return FALLBACK_ENCODING;
  return canonicalEncoding(best.name) ?? FALLBACK_ENCODING;
}

/**
 * The iconv-lite name for an encoding label, or undefined when it has none. As browsers do
 * (WHATWG Encoding), Latin-1 and ASCII labels mean windows-1252, which agrees with them on every
 * printable character and also maps 0x80–0x9F (curly quotes, the euro sign).
 */
function canonicalEncoding(label: string): string | undefined {
  const name = label.trim().toLowerCase();
  if (['utf-8', 'utf8', 'unicode-1-1-utf-8'].includes(name)) return 'utf8';
  if (['iso-8859-1', 'iso8859-1', 'latin1', 'latin-1', 'l1', 'us-ascii', 'ascii'].includes(name)) {
    return FALLBACK_ENCODING;
  }
  if (name === 'utf-16' || name === 'utf-16le') return 'utf16le';
  if (name === 'utf-16be') return 'utf16be';
  return iconv.encodingExists(name) ? name : undefined;
}
