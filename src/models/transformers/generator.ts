/**
 * A `Generator` on a Transformers.js chat model: the model's own chat template, greedy decoding,
 * text streamed as it forms, and an `AbortSignal` that stops generation at the next token.
 *
 * Two layouts: a causal LM (`onnx/model.onnx`, e.g. Qwen2.5, SmolLM2, Llama) reads text only;
 * a vision-language model (SmolVLM / Idefics3: vision encoder, embed tokens, decoder) also reads
 * evidence pictures.
 */

import { access } from 'node:fs/promises';
import { join } from 'node:path';
import {
  AutoModelForCausalLM,
  AutoModelForVision2Seq,
  AutoProcessor,
  AutoTokenizer,
  InterruptableStoppingCriteria,
  type PreTrainedModel,
  type PreTrainedTokenizer,
  type Processor,
  RawImage,
  type Tensor,
  TextStreamer,
} from '@huggingface/transformers';
import { MmragError } from '../../errors.js';
import type { ChatMessage, GenerateOptions, Generation, Generator } from '../roles.js';
import { loadModelPart, modelFolder, pretrainedOptions, runtimeState } from './runtime.js';

export interface TransformersGeneratorOptions {
  /** A hub id or a folder in hub layout whose tokenizer has a chat template. */
  model: string;
  /** Which weights to load. @default 'q4' */
  dtype?: 'fp32' | 'fp16' | 'q8' | 'q4' | 'q4f16';
  /** Load as a vision-language model that reads image parts. @default false */
  vision?: boolean;
  /**
   * Prompt plus answer, in tokens.
   * @default the model's `max_position_embeddings`, at most 4096
   */
  contextTokens?: number;
}

// Attention cost grows with the prompt; on a CPU, prompts past a few thousand tokens take
// longer to read than a user waits, whatever window the model was trained for.
const CPU_CONTEXT_CAP = 4096;

/** Image tokens of one SmolVLM picture without splitting (its `image_seq_len`), plus markers. */
const DEFAULT_IMAGE_TOKENS = 80;

type TemplateMessage = { role: string; content: string | { type: string; text?: string }[] };

export async function createTransformersGenerator(
  options: TransformersGeneratorOptions,
): Promise<Generator> {
  const { model: id, vision = false } = options;
  const dtype = await availableDtype(id, options.dtype ?? 'q4', vision);
  const loadOptions = pretrainedOptions();

  const loaded = await loadModelPart(id, async () => {
    if (vision) {
      const [processor, model] = await Promise.all([
        AutoProcessor.from_pretrained(id, loadOptions),
        AutoModelForVision2Seq.from_pretrained(id, { ...loadOptions, dtype, device: 'cpu' }),
      ]);
      return { processor, tokenizer: processor.tokenizer as PreTrainedTokenizer, model };
    }
    const [tokenizer, model] = await Promise.all([
      AutoTokenizer.from_pretrained(id, loadOptions),
      AutoModelForCausalLM.from_pretrained(id, { ...loadOptions, dtype, device: 'cpu' }),
    ]);
    return { processor: undefined, tokenizer, model };
  });
  const { processor, tokenizer, model } = loaded;

  if (!tokenizer.chat_template && !processor) {
    throw new MmragError('MODEL_FAILED', `Model ${id} has no chat template.`, {
      subject: id,
      hint: 'Use an instruct (chat) model: its tokenizer_config.json holds a chat_template.',
    });
  }

  const config = model.config as { max_position_embeddings?: number; text_config?: object };
  const windowTokens =
    config.max_position_embeddings ??
    (config.text_config as { max_position_embeddings?: number } | undefined)
      ?.max_position_embeddings ??
    tokenizer.model_max_length;
  const contextTokens =
    options.contextTokens ?? Math.min(Number(windowTokens) || CPU_CONTEXT_CAP, CPU_CONTEXT_CAP);
  const imageTokens = vision ? DEFAULT_IMAGE_TOKENS : 0;

  const promptText = (messages: ChatMessage[]): string => {
    const templated = messages.map(toTemplateMessage);
    const owner = processor ?? tokenizer;
    return owner.apply_chat_template(templated as never, {
      add_generation_prompt: true,
      tokenize: false,
    }) as string;
  };

  const countTokens = async (text: string) =>
    tokenizer.encode(text, { add_special_tokens: false }).length;

  return {
    id,
    contextTokens,
    acceptsImages: vision,
    imageTokens,
    countTokens,

    async countPromptTokens(messages) {
      const images = messages.flatMap((m) => (typeof m.content === 'string' ? [] : m.content));
      const pictures = images.filter((part) => part.type === 'image').length;
      return (await countTokens(promptText(messages))) + pictures * imageTokens;
    },

    async generate(messages, generateOptions) {
      const prompt = promptText(messages);
      return generate({ model, tokenizer, processor, id, messages, prompt }, generateOptions);
    },

    async dispose() {
      await model.dispose();
    },
  };
}

interface GenerateInput {
  model: PreTrainedModel;
  tokenizer: PreTrainedTokenizer;
  processor: Processor | undefined;
  id: string;
  messages: ChatMessage[];
  prompt: string;
}

async function generate(input: GenerateInput, options: GenerateOptions): Promise<Generation> {
  const { model, tokenizer, processor, id, messages, prompt } = input;
  const { signal, maxTokens, onText, stream = true } = options;
  abortIfAsked(signal, id);

  const inputs = processor
    ? await processor(prompt, await imagesOf(messages), { do_image_splitting: false })
    : tokenizer(prompt, { add_special_tokens: false });
  const promptTokens = (inputs.input_ids as Tensor).dims.at(-1) ?? 0;

  // The stopping criterion is checked after every token, so an abort ends generation promptly
  // without tearing down the session mid-run.
  const stopper = new InterruptableStoppingCriteria();
  const onAbort = () => stopper.interrupt();
  signal?.addEventListener('abort', onAbort, { once: true });

  // The streamer holds back a partial word until it is whole; the decoded output is the answer.
  const streamer = new TextStreamer(tokenizer, {
    skip_prompt: true,
    skip_special_tokens: true,
    callback_function: (text: string) => {
      if (stream) onText?.(text);
    },
  });

  let output: Tensor;
  try {
    output = (await model.generate({
      ...inputs,
      max_new_tokens: maxTokens,
      // Grounded answers want the most likely reading of the evidence, not variety.
      do_sample: false,
      streamer,
      stopping_criteria: [stopper],
    } as never)) as Tensor;
  } catch (error) {
    throw new MmragError('MODEL_FAILED', `Model ${id} failed while writing an answer.`, {
      subject: id,
      cause: error,
    });
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  abortIfAsked(signal, id);

  const ids = (output.tolist() as bigint[][])[0] ?? [];
  const answerIds = ids.slice(promptTokens);
  const text = tokenizer.decode(answerIds, { skip_special_tokens: true });
  if (!stream) onText?.(text);
  const completionTokens = answerIds.length;
  return {
    text,
    usage: { promptTokens, completionTokens },
    finishReason: completionTokens >= maxTokens ? 'length' : 'stop',
  };
}

function abortIfAsked(signal: AbortSignal | undefined, id: string): void {
  if (signal?.aborted) {
    throw new MmragError('ABORTED', `Stopped before ${id} finished its answer.`, {
      subject: id,
      cause: signal.reason,
    });
  }
}

/** Text-only templates take a string; vision templates take parts with image placeholders. */
function toTemplateMessage(message: ChatMessage): TemplateMessage {
  if (typeof message.content === 'string') return { role: message.role, content: message.content };
  return {
    role: message.role,
    content: message.content.map((part) =>
      part.type === 'text' ? { type: 'text', text: part.text } : { type: 'image' },
    ),
  };
}

async function imagesOf(messages: ChatMessage[]): Promise<RawImage[] | undefined> {
  const parts = messages.flatMap((m) => (typeof m.content === 'string' ? [] : m.content));
  const images: RawImage[] = [];
  for (const part of parts) {
    if (part.type !== 'image') continue;
    const blob = new Blob([new Uint8Array(part.image)], { type: part.mimeType });
    images.push(await RawImage.fromBlob(blob));
  }
  return images.length ? images : undefined;
}

type Dtype = NonNullable<TransformersGeneratorOptions['dtype']>;

const DTYPE_SUFFIX: Record<Dtype, string> = {
  fp32: '',
  fp16: '_fp16',
  q8: '_quantized',
  q4: '_q4',
  q4f16: '_q4f16',
};

/**
 * The dtype to load: the one asked for, unless the model is already on disk without those
 * weights but with fp32 ones (a folder built or exported by hand usually has only those).
 */
async function availableDtype(id: string, dtype: Dtype, vision: boolean): Promise<Dtype> {
  const folder = modelFolder(runtimeState().modelsDir, id);
  const file = (suffix: string) =>
    join(folder, 'onnx', `${vision ? 'decoder_model_merged' : 'model'}${suffix}.onnx`);
  const has = (path: string) =>
    access(path).then(
      () => true,
      () => false,
    );
  if (await has(file(DTYPE_SUFFIX[dtype]))) return dtype;
  return (await has(file(''))) ? 'fp32' : dtype;
}
