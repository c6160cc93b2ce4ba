/**
 * The lite text model: GloVe word vectors turned into a BERT-layout model folder that
 * Transformers.js loads offline. Its "encoder" is one Gather from a baked token table, so mean
 * pooling plus normalisation (the stock sentence-embedding recipe) yields SIF sentence vectors.
 * Quality is that of weighted averaged GloVe: real, well below a transformer sentence embedder.
 */
import { access, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { GraphBuilder } from '../onnx/graph-builder.js';
import { GLOVE_PACKAGE, readGloveWords } from './glove-source.js';
import { sifTable } from './sif-table.js';
import { isWholeBertWord, wordPieceTokenizer } from './wordpiece-tokenizer.js';

/** The model id of the lite text model, relative to the models folder. */
export const GLOVE_MODEL_ID = 'mmrag/glove-sif-100d';

/** What `mmrag-model.json` in a built folder says, so tools can recognise the model. */
export interface MmragModelInfo {
  builtFrom: string;
  vocabSize: number;
  pipelineHint: { pooling: 'mean'; normalize: true };
}

export interface BuildGloveModelOptions {
  /** The model folder to write; replaced if it exists. */
  outDir: string;
  /** How many words to keep, most frequent first (special tokens come on top). @default 30000 */
  vocabSize?: number;
}

const SPECIALS = { pad: '[PAD]', unk: '[UNK]', start: '[CLS]', end: '[SEP]' };
const MAX_TOKENS = 512;

/**
 * Builds the model folder and returns its path. Deterministic: the same package version and
 * options give byte-identical files.
 */
export async function buildGloveModel(options: BuildGloveModelOptions): Promise<string> {
  const { outDir, vocabSize = 30000 } = options;

  // Words the BERT pre-tokeniser would split ("u.s.", "e-mail") could never be matched.
  const glove = await readGloveWords({ count: vocabSize, accept: isWholeBertWord });
  const rows = sifTable(glove.words, glove.totalWords);
  const tokenizer = wordPieceTokenizer({
    specials: SPECIALS,
    words: glove.words.map((w) => w.word),
  });
  const specialCount = tokenizer.vocab.size - glove.words.length;

  // Special tokens and [UNK] keep zero rows: they carry no meaning, and mean pooling followed by
  // normalisation is unaffected by zero rows.
  const table = new Float32Array(tokenizer.vocab.size * glove.dimension);
  rows.forEach((row, i) => {
    table.set(row, (specialCount + i) * glove.dimension);
  });

  const graph = new GraphBuilder('glove_sif');
  const inputIds = graph.input('input_ids', 'int64', ['batch_size', 'sequence_length']);
  const weights = graph.constant({
    dtype: 'float',
    dims: [tokenizer.vocab.size, glove.dimension],
    values: table,
  });
  const hidden = graph.op('Gather', [weights, inputIds], { axis: 0 });
  graph.output('last_hidden_state', hidden, 'float', [
    'batch_size',
    'sequence_length',
    glove.dimension,
  ]);

  const info: MmragModelInfo = {
    builtFrom: `${GLOVE_PACKAGE}@${await gloveVersion()}`,
    vocabSize: glove.words.length,
    pipelineHint: { pooling: 'mean', normalize: true },
  };

  // Write into a side folder and swap it in, so a crash never leaves a half model at `outDir`.
  const partial = `${outDir}.partial-${process.pid}`;
  await rm(partial, { recursive: true, force: true });
  await graph.save(join(partial, 'onnx', 'model.onnx'));
  await writeJson(join(partial, 'tokenizer.json'), tokenizer.json);
  await writeJson(join(partial, 'tokenizer_config.json'), tokenizerConfig());
  await writeJson(join(partial, 'config.json'), bertConfig(tokenizer.vocab.size, glove.dimension));
  await writeJson(join(partial, 'mmrag-model.json'), info);

  await mkdir(dirname(outDir), { recursive: true });
  await rm(outDir, { recursive: true, force: true });
  await rename(partial, outDir);
  return outDir;
}

export interface EnsureGloveModelOptions {
  /** The models folder; the model lands in `<modelsDir>/mmrag/glove-sif-100d`. */
  modelsDir: string;
}

/** Builds the lite text model unless it is already there; returns its folder. */
export async function ensureGloveModel(options: EnsureGloveModelOptions): Promise<string> {
  const folder = join(options.modelsDir, GLOVE_MODEL_ID);
  try {
    await access(join(folder, 'mmrag-model.json'));
    await access(join(folder, 'onnx', 'model.onnx'));
    return folder;
  } catch {
    return buildGloveModel({ outDir: folder });
  }
}

function bertConfig(vocabSize: number, hiddenSize: number) {
  return {
    architectures: ['BertModel'],
    model_type: 'bert',
    hidden_size: hiddenSize,
    vocab_size: vocabSize,
    max_position_embeddings: MAX_TOKENS,
    num_hidden_layers: 0,
    num_attention_heads: 1,
    intermediate_size: hiddenSize,
    type_vocab_size: 1,
    pad_token_id: 0,
  };
}

function tokenizerConfig() {
  return {
    tokenizer_class: 'BertTokenizer',
    model_max_length: MAX_TOKENS,
    do_lower_case: true,
    pad_token: SPECIALS.pad,
    unk_token: SPECIALS.unk,
    cls_token: SPECIALS.start,
    sep_token: SPECIALS.end,
    clean_up_tokenization_spaces: true,
  };
}

async function gloveVersion(): Promise<string> {
  const require = createRequire(import.meta.url);
  const manifest = join(dirname(require.resolve(GLOVE_PACKAGE)), 'package.json');
  return (JSON.parse(await readFile(manifest, 'utf8')) as { version: string }).version;
}

async function writeJson(path: string, value: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(value, null, 1)}\n`);
}
