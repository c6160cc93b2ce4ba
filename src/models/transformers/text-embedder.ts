/**
 * A `TextEmbedder` on any Transformers.js encoder (BERT, MiniLM, BGE, E5, the lite GloVe model):
 * tokenise with the model's own tokenizer, run the encoder, pool, normalise.
 */
import {
  AutoModel,
  AutoTokenizer,
  type PreTrainedModel,
  type PreTrainedTokenizer,
  type Tensor,
} from '@huggingface/transformers';
import { MmragError } from '../../errors.js';
import type { CallOptions, TextEmbedder } from '../roles.js';
import { loadModelPart, pretrainedOptions } from './runtime.js';
import { throwIfAborted, toUnitVector } from './vectors.js';

export interface TransformersTextEmbedderOptions {
  /** A hub id (`Xenova/bge-small-en-v1.5`), a folder under the models folder, or a path. */
  model: string;
  /**
   * Which weights to load: `fp32` is `onnx/model.onnx`, `q8` is `onnx/model_quantized.onnx`.
   * @default 'fp32'
   */
  dtype?: 'fp32' | 'q8';
  /** How token vectors become one vector: the masked mean, or the first token's. @default 'mean' */
  pooling?: 'mean' | 'cls';
  /** Scale every vector to unit length. @default true */
  normalize?: boolean;
  /**
   * Put before queries only, e.g. BGE's "Represent this sentence for searching relevant
   * passages: ". @default ''
   */
  queryPrefix?: string;
  /**
   * The most tokens one input may have; longer inputs are truncated.
   * @default the tokenizer's `model_max_length`, at most 512
   */
  maxTokens?: number;
  /** Inputs per model run. @default 32 */
  batchSize?: number;
}

const MAX_TOKENS_CAP = 512;

export async function createTransformersTextEmbedder(
  options: TransformersTextEmbedderOptions,
): Promise<TextEmbedder> {
  const {
    model: id,
    dtype = 'fp32',
    pooling = 'mean',
    normalize = true,
    queryPrefix = '',
    batchSize = 32,
  } = options;

  const loadOptions = pretrainedOptions();
  const [tokenizer, model] = await loadModelPart(id, () =>
    Promise.all([
      AutoTokenizer.from_pretrained(id, loadOptions),
      AutoModel.from_pretrained(id, { ...loadOptions, dtype, device: 'cpu' }),
    ]),
  );

  const maxTokens =
    options.maxTokens ?? Math.min(tokenizer.model_max_length || MAX_TOKENS_CAP, MAX_TOKENS_CAP);
  const dimension = await probeDimension({ tokenizer, model, pooling, id });

  const run = (texts: string[]) =>
    embedBatch({ tokenizer, model, texts, pooling, normalize, maxTokens, id, dimension });

  async function embed(texts: string[], callOptions: CallOptions = {}): Promise<Float32Array[]> {
    const vectors: Float32Array[] = new Array(texts.length);

    // Sorting by length keeps padding short inside each batch; results go back in input order.
    const order = texts.map((_, i) => i).sort((a, b) => texts[a]!.length - texts[b]!.length);
    for (let start = 0; start < order.length; start += batchSize) {
      throwIfAborted(callOptions.signal, id);
      const indices = order.slice(start, start + batchSize);
      const batch = await run(indices.map((i) => texts[i]!));
      indices.forEach((index, j) => {
        vectors[index] = batch[j]!;
      });
    }
    return vectors;
  }

  return {
    id,
    dimension,
    maxTokens,
    embed,

    async embedQuery(text, callOptions) {
      const [vector] = await embed([queryPrefix + text], callOptions);
      return vector!;
    },

    async informative(texts) {
      return texts.map((text) => hasKnownToken(tokenizer, text));
    },

    async countTokens(texts) {
      return texts.map((text) => tokenizer.encode(text, { add_special_tokens: true }).length);
    },

    async dispose() {
      await model.dispose();
    },
  };
}

/**
 * True when some token of `text` is neither unknown nor special. A word-level vocabulary (the
 * lite GloVe model) maps every word outside it to the unknown token, whose row is zero, so a
 * text of unknown words only pools to nothing and gets the placeholder vector.
 */
function hasKnownToken(tokenizer: PreTrainedTokenizer, text: string): boolean {
  const ignored = new Set([...tokenizer.all_special_ids, tokenizer.unk_token_id]);
  return tokenizer.encode(text, { add_special_tokens: false }).some((id) => !ignored.has(id));
}

interface BatchInput {
  tokenizer: PreTrainedTokenizer;
  model: PreTrainedModel;
  texts: string[];
  pooling: 'mean' | 'cls';
  normalize: boolean;
  maxTokens: number;
  id: string;
  dimension: number;
}

async function embedBatch(input: BatchInput): Promise<Float32Array[]> {
  const { tokenizer, model, texts, pooling, normalize, maxTokens, id, dimension } = input;

  try {
    const inputs = tokenizer(texts, { padding: true, truncation: true, max_length: maxTokens });
    const { last_hidden_state: hidden } = (await model(inputs)) as { last_hidden_state: Tensor };
    const pooled = pool(hidden, inputs.attention_mask as Tensor, pooling);
    return pooled.map((vector) => (normalize ? toUnitVector(vector, dimension) : vector));
  } catch (error) {
    throw new MmragError('MODEL_FAILED', `Text model ${id} failed on a batch of ${texts.length}.`, {
      subject: id,
      hint: 'Check that the model folder is a text encoder with a `last_hidden_state` output.',
      cause: error,
    });
  }
}

/** Pools `[batch, tokens, dim]` token vectors into one vector per text. */
function pool(hidden: Tensor, mask: Tensor, pooling: 'mean' | 'cls'): Float32Array[] {
  const [batch, tokens, dimension] = hidden.dims as [number, number, number];
  const data = hidden.data as Float32Array;
  const maskData = mask.data as BigInt64Array;
  const vectors: Float32Array[] = [];

  for (let b = 0; b < batch; b += 1) {
    const vector = new Float32Array(dimension);
    const base = b * tokens * dimension;
    if (pooling === 'cls') {
      vector.set(data.subarray(base, base + dimension));
    } else {
      let count = 0;
      for (let t = 0; t < tokens; t += 1) {
        if (maskData[b * tokens + t] === 0n) continue;
        count += 1;
        const offset = base + t * dimension;
        for (let d = 0; d < dimension; d += 1) vector[d] += data[offset + d]!;
      }
      if (count > 0) for (let d = 0; d < dimension; d += 1) vector[d] /= count;
    }
    vectors.push(vector);
  }
  return vectors;
}

/** The output width, read from one tiny run (configs name it differently per architecture). */
async function probeDimension(input: {
  tokenizer: PreTrainedTokenizer;
  model: PreTrainedModel;
  pooling: 'mean' | 'cls';
  id: string;
}): Promise<number> {
  const { tokenizer, model, id } = input;
  try {
    const inputs = tokenizer(['a'], { padding: true, truncation: true });
    const { last_hidden_state: hidden } = (await model(inputs)) as { last_hidden_state: Tensor };
    return hidden.dims.at(-1)!;
  } catch (error) {
    throw new MmragError('MODEL_FAILED', `Text model ${id} loaded but does not run.`, {
      subject: id,
      hint: 'Check that the model folder is a text encoder with a `last_hidden_state` output.',
      cause: error,
    });
  }
}
