/**
 * Turns any picture sharp can decode into what every later stage expects: upright (EXIF
 * orientation applied), 8-bit sRGB with 3 channels, alpha flattened on white, at a bounded size.
 */
import sharp, { type Metadata, type OutputInfo, type ResizeOptions } from 'sharp';

import { MmragError } from '../../errors.js';
import type { RgbImage } from '../../types.js';

export interface NormalizeImageOptions {
  /** Largest picture, in pixels (width × height), that is decoded at all. */
  maxPixels: number;
  /**
   * The longest side of the returned pixels; larger pictures are shrunk, smaller ones kept.
   * @default 1600
   */
  maxSide?: number;
  /**
   * The longest side of the WebP thumbnail.
   * @default 320
   */
  thumbnailSide?: number;
  /** Named in errors: the file the bytes came from. */
  subject?: string;
}

export interface NormalizedImage {
  image: RgbImage;
  /** A small WebP for display. */
  thumbnail: Uint8Array;
  /** The upright size of the picture before shrinking. */
  original: { width: number; height: number };
}

/** EXIF orientations 5 to 8 turn the picture a quarter, swapping width and height. */
function uprightSize(meta: Metadata): { width: number; height: number } {
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  return (meta.orientation ?? 1) >= 5 ? { width: height, height: width } : { width, height };
}

function corrupt(subject: string | undefined, cause: unknown): MmragError {
  const reason = (cause instanceof Error ? cause.message : String(cause)).replace(/\.+$/, '');
  return new MmragError('FILE_CORRUPT', `The image cannot be decoded: ${reason}.`, {
    subject,
    hint: 'The file may be truncated or damaged; open it in an image viewer to check.',
    cause,
  });
}

/**
 * The formats this build of sharp decodes from memory (`raw` is not a file format). Its HEIF
 * decoder reads AV1 only, so it is named AVIF: an iPhone's HEIC (HEVC) is not decoded.
 */
function decodableFormats(): string {
  return Object.entries(sharp.format)
    .filter(([name, format]) => format.input.buffer && name !== 'raw')
    .map(([name]) => (name === 'heif' ? 'AVIF' : name.toUpperCase()))
    .join(', ');
}

/** Vector pictures are drawn at most this many times their stated size (72 dpi). */
const MAX_SVG_SCALE = 4;

/**
 * The density (dpi) to draw an SVG at: large enough that its longest side reaches `maxSide` and
 * small print stays readable, small enough to stay within the pixel limit. sharp draws it at
 * its stated size at 72 dpi.
 */
function svgDensity(size: { width: number; height: number }, maxSide: number, maxPixels: number) {
  const longest = Math.max(size.width, size.height, 1);
  const pixels = Math.max(size.width * size.height, 1);
  const scale = Math.min(MAX_SVG_SCALE, maxSide / longest, Math.sqrt(maxPixels / pixels));
  return 72 * scale;
}

/** Reads the header only, so an oversized picture is refused before any pixel is decoded. */
async function readMetadata(bytes: Uint8Array, subject?: string): Promise<Metadata> {
  if (bytes.length === 0) {
    throw new MmragError('FILE_EMPTY', 'The image file is empty.', { subject });
  }
  try {
    return await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (cause) {
    // sharp names no format when it recognises none: a BMP, an ICO, a JPEG XL.
    if (cause instanceof Error && /unsupported image format/i.test(cause.message)) {
      throw new MmragError('FILE_UNSUPPORTED', 'The picture is in a format mmrag cannot decode.', {
        subject,
        hint: `Convert it to one of ${decodableFormats()}.`,
        cause,
      });
    }
    throw corrupt(subject, cause);
  }
}

/** Decodes, orients and converts a picture; see {@link NormalizeImageOptions}. */
export async function normalizeImage(
  bytes: Uint8Array,
  options: NormalizeImageOptions,
): Promise<NormalizedImage> {
  const { maxPixels, maxSide = 1600, thumbnailSide = 320, subject } = options;

  const meta = await readMetadata(bytes, subject);
  const original = uprightSize(meta);
  const pixels = original.width * original.height;
  // A vector picture has no pixels of its own: it is drawn at a size within the limits.
  const vector = meta.format === 'svg';
  const density = vector ? svgDensity(original, maxSide, maxPixels) : undefined;
  if (pixels > maxPixels && !vector) {
    throw new MmragError(
      'LIMIT_EXCEEDED',
      `The image is ${original.width}×${original.height} (${pixels} pixels), more than the limit of ${maxPixels}.`,
      { subject, hint: 'Raise limits.maxImagePixels if this picture should be indexed.' },
    );
  }

  let decoded: { data: Buffer; info: OutputInfo };
  try {
    // `failOn: 'warning'` (sharp's default, spelled out) turns a truncated file into an error
    // instead of a picture with a grey lower half. Only the first frame of a GIF or TIFF is read.
    // Drawn sizes are rounded up, so a drawn SVG may come a few pixels over the limit.
    const limitInputPixels = vector ? Math.ceil(maxPixels * 1.01) + 4096 : maxPixels;
    decoded = await sharp(bytes, { limitInputPixels, failOn: 'warning', pages: 1, density })
      .rotate()
      .flatten({ background: '#ffffff' })
      .resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true })
      .toColourspace('srgb')
      .removeAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
  } catch (cause) {
    throw corrupt(subject, cause);
  }

  const { data, info } = decoded;
  if (info.channels !== 3) {
    throw corrupt(subject, new Error(`decoded to ${info.channels} channels instead of 3`));
  }
  const image: RgbImage = {
    width: info.width,
    height: info.height,
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
  };
  const thumbnail = await makeThumbnail(image, thumbnailSide);
  return { image, thumbnail, original };
}

/** A small WebP of decoded pixels. */
export async function makeThumbnail(image: RgbImage, side = 320): Promise<Uint8Array> {
  const webp = await sharp(image.data, {
    raw: { width: image.width, height: image.height, channels: 3 },
  })
    .resize({ width: side, height: side, fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 75 })
    .toBuffer();
  return new Uint8Array(webp.buffer, webp.byteOffset, webp.length);
}

/** Shrinks decoded pixels so the longest side is at most `side`; smaller images are returned as is. */
export async function shrinkImage(image: RgbImage, side: number): Promise<RgbImage> {
  if (Math.max(image.width, image.height) <= side) return image;
  return resizeRgb(image, { width: side, height: side, fit: 'inside' });
}

/** Resizes decoded 3-channel pixels with sharp, keeping them decoded. */
export async function resizeRgb(image: RgbImage, resize: ResizeOptions): Promise<RgbImage> {
  const { data, info } = await sharp(image.data, {
    raw: { width: image.width, height: image.height, channels: 3 },
  })
    .resize(resize)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    width: info.width,
    height: info.height,
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
  };
}
