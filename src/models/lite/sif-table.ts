/**
 * Smooth inverse frequency (SIF) word weighting with common-component removal, baked into a word
 * table so that plain mean pooling of the table's rows gives SIF-style sentence vectors.
 * See Arora, Liang and Ma, "A Simple but Tough-to-Beat Baseline for Sentence Embeddings" (2017):
 * https://openreview.net/forum?id=SyK00v5xx
 */

export interface SifOptions {
  /** The SIF smoothing constant `a` in a / (a + p(w)). @default 1e-3 */
  smoothing?: number;
  /** Power-iteration steps for the first principal component. @default 100 */
  iterations?: number;
}

export interface SifWord {
  rank: number;
  vector: Float64Array;
}

/**
 * Returns the weighted, de-projected rows, in input order.
 *
 * The package has no word counts, only GloVe's frequency order, so p(w) is estimated from the
 * 0-based rank r with Zipf's law (exponent 1): p(r) = 1 / ((r + 1) · H(N)), H(N) the N-th harmonic
 * number over the whole GloVe vocabulary of N words.
 */
export function sifTable(
  words: SifWord[],
  totalWords: number,
  options: SifOptions = {},
): Float64Array[] {
  const { smoothing = 1e-3, iterations = 100 } = options;

  const harmonic = harmonicNumber(totalWords);
  const weighted = words.map(({ rank, vector }) => {
    const probability = 1 / ((rank + 1) * harmonic);
    const weight = smoothing / (smoothing + probability);
    return vector.map((value) => value * weight);
  });

  const component = firstPrincipalComponent(weighted, iterations);
  return weighted.map((row) => {
    const projection = dot(row, component);
    return row.map((value, i) => value - projection * component[i]);
  });
}

function harmonicNumber(n: number): number {
  let sum = 0;
  for (let k = n; k >= 1; k -= 1) sum += 1 / k;
  return sum;
}

/**
 * The top right singular vector of the rows (uncentred, as in the SIF paper), by power iteration
 * on the d×d Gram matrix. Starts from a fixed vector, so the result is deterministic; the sign is
 * irrelevant because only the projection on it is removed.
 */
function firstPrincipalComponent(rows: Float64Array[], iterations: number): Float64Array {
  const dimension = rows[0]?.length ?? 0;
  const gram = new Float64Array(dimension * dimension);
  for (const row of rows) {
    for (let i = 0; i < dimension; i += 1) {
      const ri = row[i];
      for (let j = 0; j < dimension; j += 1) gram[i * dimension + j] += ri * row[j];
    }
  }

  let vector = new Float64Array(dimension).fill(1 / Math.sqrt(dimension));
  for (let step = 0; step < iterations; step += 1) {
    const next = new Float64Array(dimension);
    for (let i = 0; i < dimension; i += 1) {
      let sum = 0;
      for (let j = 0; j < dimension; j += 1) sum += gram[i * dimension + j] * vector[j];
      next[i] = sum;
    }
    const norm = Math.sqrt(dot(next, next));
    if (norm === 0) return vector;
    vector = next.map((value) => value / norm);
  }
  return vector;
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i += 1) sum += a[i] * b[i];
  return sum;
}
