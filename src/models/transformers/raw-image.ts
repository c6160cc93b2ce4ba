/** Turns mmrag's decoded pixels into the image type Transformers.js processors take. */
import { RawImage } from '@huggingface/transformers';
import { MmragError } from '../../errors.js';
import type { RgbImage } from '../../types.js';

export function toRawImage(image: RgbImage): RawImage {
  const { width, height, data } = image;
  if (data.length !== width * height * 3) {
    throw new MmragError(
      'USAGE',
      `An RGB image of ${width}×${height} needs ${width * height * 3} bytes, got ${data.length}.`,
      { hint: 'Pass 8-bit sRGB pixels, 3 channels, row-major, no alpha.' },
    );
  }
  return new RawImage(data, width, height, 3);
}
