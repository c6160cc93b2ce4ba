/** Small vector and call helpers shared by the Transformers.js embedders. */
import { MmragError } from '../../errors.js';

/**
 * Scales `vector` to unit length. A zero vector (a text with no known token, in a model that
 * gives unknown tokens zero rows) becomes the fixed vector with all components equal, so every
 * output is storable. That placeholder matches every other one with similarity 1, so it must
 * never count as a dense match: the text embedder's `informative` names such texts, and search
 * drops them from dense lists (src/retrieve/search.ts).
 */
export function toUnitVector(vector: Float32Array, dimension = vector.length): Float32Array {
  let sum = 0;
  for (let i = 0; i < vector.length; i += 1) sum += vector[i]! * vector[i]!;
  const norm = Math.sqrt(sum);

  if (!(norm > 1e-12) || !Number.isFinite(norm)) {
    return new Float32Array(dimension).fill(1 / Math.sqrt(dimension));
  }
  const unit = new Float32Array(vector.length);
  for (let i = 0; i < vector.length; i += 1) unit[i] = vector[i]! / norm;
  return unit;
}

/** Splits rows of a `[rows, dimension]` tensor's data into unit vectors. */
export function unitRows(data: Float32Array, rows: number, dimension: number): Float32Array[] {
  const vectors: Float32Array[] = [];
  for (let r = 0; r < rows; r += 1) {
    vectors.push(toUnitVector(data.slice(r * dimension, (r + 1) * dimension)));
  }
  return vectors;
}

export function throwIfAborted(signal: AbortSignal | undefined, subject: string): void {
  if (signal?.aborted) {
    throw new MmragError('ABORTED', `Stopped before ${subject} finished.`, {
      subject,
      cause: signal.reason,
    });
  }
}
