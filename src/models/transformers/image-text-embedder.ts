/**
 * An `ImageTextEmbedder` on a Transformers.js joint image-text model: CLIP layout
 * (`onnx/text_model.onnx` → `text_embeds`, `onnx/vision_model.onnx` → `image_embeds`) or SigLIP
 * layout (both towers → `pooler_output`). The two towers load separately, so a search that only
 * embeds query text still needs both files in the folder but runs only the text tower.
 */
import {
  AutoConfig,
  AutoImageProcessor,
  AutoTokenizer,
  CLIPTextModelWithProjection,
  CLIPVisionModelWithProjection,
  type PreTrainedModel,
  SiglipTextModel,
  SiglipVisionModel,
  type Tensor,
} from '@huggingface/transformers';
import { MmragError } from '../../errors.js';
import type { RgbImage } from '../../types.js';
import type { CallOptions, ImageTextEmbedder } from '../roles.js';
import { toRawImage } from './raw-image.js';
import { loadModelPart, pretrainedOptions } from './runtime.js';
import { throwIfAborted, unitRows } from './vectors.js';

export interface TransformersImageTextEmbedderOptions {
  /** A hub id (`Xenova/clip-vit-base-patch32`), a folder under the models folder, or a path. */
  model: string;
  /** `fp32` loads `onnx/<tower>.onnx`, `q8` loads `onnx/<tower>_quantized.onnx`. @default 'fp32' */
  dtype?: 'fp32' | 'q8';
  /** Images or texts per model run. @default 16 */
  batchSize?: number;
}

/** How one architecture family is loaded and read. */
interface Family {
  text: typeof CLIPTextModelWithProjection;
  vision: typeof CLIPVisionModelWithProjection;
  textOutput: string;
  imageOutput: string;
  /** SigLIP was trained on texts padded to a fixed length and needs that padding. */
  padding: true | 'max_length';
}

const CLIP: Family = {
  text: CLIPTextModelWithProjection,
  vision: CLIPVisionModelWithProjection,
  textOutput: 'text_embeds',
  imageOutput: 'image_embeds',
  padding: true,
};

const SIGLIP: Family = {
  text: SiglipTextModel,
  vision: SiglipVisionModel,
  textOutput: 'pooler_output',
  imageOutput: 'pooler_output',
  padding: 'max_length',
};

export async function createTransformersImageTextEmbedder(
  options: TransformersImageTextEmbedderOptions,
): Promise<ImageTextEmbedder> {
  const { model: id, dtype = 'fp32', batchSize = 16 } = options;
  const loadOptions = pretrainedOptions();

  const config = await loadModelPart(id, () => AutoConfig.from_pretrained(id, loadOptions));
  const family = familyOf((config as { model_type?: string }).model_type, id);
  const modelOptions = { ...loadOptions, config, dtype, device: 'cpu' as const };

  const [tokenizer, processor, textModel, visionModel] = await loadModelPart(id, () =>
    Promise.all([
      AutoTokenizer.from_pretrained(id, loadOptions),
      AutoImageProcessor.from_pretrained(id, loadOptions),
      family.text.from_pretrained(id, modelOptions),
      family.vision.from_pretrained(id, modelOptions),
    ]),
  );

  async function runText(texts: string[]): Promise<Float32Array[]> {
    const inputs = tokenizer(texts, { padding: family.padding, truncation: true });
    return rows(await run(textModel, inputs, family.textOutput, id));
  }

  async function runImages(images: RgbImage[]): Promise<Float32Array[]> {
    const { pixel_values } = await processor(images.map(toRawImage));
    return rows(await run(visionModel, { pixel_values }, family.imageOutput, id));
  }

  const dimension = (await runText(['a'])).at(0)!.length;

  return {
    id,
    dimension,

    embedTexts: (texts, callOptions) => inBatches(texts, batchSize, runText, id, callOptions),
    embedImages: (images, callOptions) => inBatches(images, batchSize, runImages, id, callOptions),

    async dispose() {
      await Promise.all([textModel.dispose(), visionModel.dispose()]);
    },
  };
}

function familyOf(modelType: string | undefined, id: string): Family {
  if (modelType === 'clip') return CLIP;
  if (modelType === 'siglip') return SIGLIP;
  throw new MmragError(
    'CONFIG',
    `Model ${id} has model_type "${modelType}"; the vision space needs a CLIP or SigLIP model.`,
    { subject: id, hint: 'Name a CLIP or SigLIP model, e.g. Xenova/clip-vit-base-patch32.' },
  );
}

async function run(
  model: PreTrainedModel,
  inputs: Record<string, unknown>,
  outputName: string,
  id: string,
): Promise<Tensor> {
  let outputs: Record<string, Tensor>;
  try {
    outputs = (await model(inputs)) as Record<string, Tensor>;
  } catch (error) {
    throw new MmragError('MODEL_FAILED', `Image-text model ${id} failed to run.`, {
      subject: id,
      hint: 'Check that the model folder holds matching text and vision towers.',
      cause: error,
    });
  }

  const output = outputs[outputName];
  if (!output) {
    throw new MmragError('MODEL_FAILED', `Image-text model ${id} has no ${outputName} output.`, {
      subject: id,
      hint: `Its outputs are ${Object.keys(outputs).join(', ')}; use a CLIP or SigLIP export.`,
    });
  }
  return output;
}

function rows(tensor: Tensor): Float32Array[] {
  const [count, dimension] = tensor.dims as [number, number];
  return unitRows(tensor.data as Float32Array, count, dimension);
}

async function inBatches<T>(
  items: T[],
  batchSize: number,
  embed: (batch: T[]) => Promise<Float32Array[]>,
  id: string,
  options: CallOptions = {},
): Promise<Float32Array[]> {
  const vectors: Float32Array[] = [];
  for (let start = 0; start < items.length; start += batchSize) {
    throwIfAborted(options.signal, id);
    vectors.push(...(await embed(items.slice(start, start + batchSize))));
  }
  return vectors;
}
