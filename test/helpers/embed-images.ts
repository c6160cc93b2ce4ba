/** Paints small RGB test pictures for the embedding tests: flat colours and noisy "photos". */
import type { RgbImage } from '../../src/types.js';

type Rgb = readonly [number, number, number];

export function solidImage(rgb: Rgb, width = 48, height = 36): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i += 1) data.set(rgb, i * 3);
  return { width, height, data };
}

export interface PhotoOptions {
  /** The colour most of the picture has. */
  base: Rgb;
  /** A smaller object of another colour, in the lower right. */
  patch: Rgb;
  /** Seed for the pixel noise, so each photo differs but runs are repeatable. */
  seed: number;
  width?: number;
  height?: number;
}

/**
 * A picture that is mostly `base`, with a vertical brightness gradient, per-pixel noise and a
 * `patch`-coloured rectangle covering about a sixth of it: unlike a flat swatch, but one colour
 * dominates, as in a photo of the sea or of a red car.
 */
export function photoImage(options: PhotoOptions): RgbImage {
  const { base, patch, seed, width = 64, height = 48 } = options;
  const random = lcg(seed);
  const data = new Uint8Array(width * height * 3);

  for (let y = 0; y < height; y += 1) {
    const shade = 0.85 + (0.3 * y) / height;
    for (let x = 0; x < width; x += 1) {
      const inPatch = x > width * 0.6 && y > height * 0.6;
      const color = inPatch ? patch : base;
      for (let c = 0; c < 3; c += 1) {
        const noisy = color[c]! * shade + (random() - 0.5) * 40;
        data[(y * width + x) * 3 + c] = Math.max(0, Math.min(255, Math.round(noisy)));
      }
    }
  }
  return { width, height, data };
}

function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

export function cosine(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i += 1) sum += a[i]! * b[i]!;
  return sum;
}

export function norm(a: Float32Array): number {
  return Math.sqrt(cosine(a, a));
}
