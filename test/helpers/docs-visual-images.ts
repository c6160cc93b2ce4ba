/**
 * Pictures for the image and OCR tests, drawn in Node: SVG text rendered by sharp (DejaVu Sans
 * from Debian's fonts-dejavu-core), then re-encoded in the formats users' files come in.
 */
import sharp from 'sharp';

export interface TextPictureOptions {
  /** One entry per line of text. */
  lines: string[];
  /** @default 900 */
  width?: number;
  /** @default 120 per line plus margins */
  height?: number;
  /** Left edge and first baseline of the text, in pixels. @default [60, 110] */
  origin?: [number, number];
  /** @default 56 */
  fontSize?: number;
  /** Leave the background transparent instead of white. @default false */
  transparent?: boolean;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An SVG of black lines of text, large and clear enough for OCR. */
export function textSvg(options: TextPictureOptions): string {
  const { lines, width = 900, fontSize = 56, transparent = false } = options;
  const [x, y] = options.origin ?? [60, 110];
  const step = Math.round(fontSize * 1.8);
  const height = options.height ?? y + step * lines.length;
  const background = transparent ? '' : '<rect width="100%" height="100%" fill="#ffffff"/>';
  const texts = lines
    .map(
      (line, i) =>
        `<text x="${x}" y="${y + i * step}" font-family="DejaVu Sans" font-size="${fontSize}" fill="#000000">${escapeXml(line)}</text>`,
    )
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${background}${texts}</svg>`;
}

/** A PNG of lines of text. */
export async function textPng(options: TextPictureOptions): Promise<Buffer> {
  return sharp(Buffer.from(textSvg(options)))
    .png()
    .toBuffer();
}

/**
 * A JPEG whose pixels are stored turned a quarter to the left, with EXIF orientation 6 ("turn
 * 90° clockwise to view"), as phones write them. It reads right only when the tag is applied.
 */
export async function sidewaysJpeg(options: TextPictureOptions): Promise<Buffer> {
  const upright = await textPng(options);
  return sharp(upright)
    .rotate(270)
    .jpeg({ quality: 92 })
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

/** A colourful picture with no text: gradients and shapes, the kind OCR should find nothing in. */
export async function photoLikePng(): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480">
    <defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#3b7dd8"/><stop offset="1" stop-color="#cfe6ff"/>
    </linearGradient></defs>
    <rect width="640" height="480" fill="url(#sky)"/>
    <circle cx="500" cy="110" r="60" fill="#ffd54a"/>
    <path d="M0 380 Q160 300 320 370 T640 350 V480 H0 Z" fill="#3f8f3a"/>
    <ellipse cx="200" cy="420" rx="90" ry="30" fill="#2d6b2a"/>
  </svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/**
 * The same picture in the encodings and colour layouts the normaliser must handle. `alphaPng`
 * is the input itself (transparent where nothing is drawn); the others are flattened on white.
 */
export async function pictureVariants(png: Buffer) {
  const flat = await sharp(png).flatten({ background: '#ffffff' }).removeAlpha().png().toBuffer();
  return {
    alphaPng: png,
    rgbPng: flat,
    grayPng: await sharp(flat).toColourspace('b-w').png().toBuffer(),
    grayJpeg: await sharp(flat).toColourspace('b-w').jpeg({ quality: 95 }).toBuffer(),
    rgbJpeg: await sharp(flat).jpeg({ quality: 95 }).toBuffer(),
    palettePng: await sharp(flat).png({ palette: true, colours: 16 }).toBuffer(),
    sixteenBitPng: await sharp(flat).toColourspace('rgb16').png().toBuffer(),
    cmykJpeg: await sharp(flat).toColourspace('cmyk').jpeg({ quality: 95 }).toBuffer(),
    webp: await sharp(flat).webp({ lossless: true }).toBuffer(),
    gif: await sharp(flat).gif().toBuffer(),
    tiff: await sharp(flat).tiff().toBuffer(),
  };
}

/** A JPEG cut off part way through its scan data, as an interrupted download leaves it. */
export async function truncatedJpeg(png: Buffer): Promise<Buffer> {
  const jpeg = await sharp(png).jpeg({ quality: 90 }).toBuffer();
  return jpeg.subarray(0, Math.floor(jpeg.length * 0.6));
}
