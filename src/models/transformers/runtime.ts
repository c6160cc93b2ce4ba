/**
 * The one place that configures Transformers.js for mmrag: where model folders live, whether the
 * hub may be reached, and how download progress reaches the caller. Every Transformers-backed role
 * loads through `pretrainedOptions()` and maps load failures through `toModelLoadError()`.
 */
import { access } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { env, LogLevel, type ProgressInfo } from '@huggingface/transformers';
import { MmragError } from '../../errors.js';

/** One step of fetching a model file; `loaded` and `total` are bytes (0 when unknown). */
export interface ModelFileProgress {
  /** The model id as given to the loader. */
  model: string;
  /** The file inside the model folder, e.g. `onnx/model.onnx`. */
  file: string;
  /** `download` while a file is read or fetched (bytes so far), `done` once it is complete. */
  status: 'download' | 'done';
  loaded: number;
  total: number;
}

export interface TransformersRuntimeOptions {
  /** Folder holding `<model id>/config.json`, tokenizer files and `onnx/*.onnx`. */
  modelsDir: string;
  /** When true, nothing is fetched from the hub; models must already be in `modelsDir`. */
  offline: boolean;
  /** Called for every file a model load opens or downloads. */
  onProgress?: (event: ModelFileProgress) => void;
  /**
   * Where hub ids are downloaded from: the Hugging Face hub or a mirror with the same URL layout
   * (`<host>/<id>/resolve/<revision>/<file>`). @default 'https://huggingface.co/'
   */
  remoteHost?: string;
}

const DEFAULT_REMOTE_HOST = 'https://huggingface.co/';

interface RuntimeState {
  modelsDir: string;
  offline: boolean;
  onProgress?: (event: ModelFileProgress) => void;
}

let state: RuntimeState | undefined;

/**
 * Points Transformers.js at `modelsDir` and sets whether remote models are allowed. The library's
 * `env` is global, so the last call wins; call it once at start-up (calling again with the same
 * folder is harmless, and the CLI and tests do that).
 */
export function configureTransformers(options: TransformersRuntimeOptions): void {
  const { modelsDir, offline, onProgress, remoteHost = DEFAULT_REMOTE_HOST } = options;

  env.localModelPath = modelsDir;
  env.allowLocalModels = true;
  env.allowRemoteModels = !offline;
  env.remoteHost = remoteHost.endsWith('/') ? remoteHost : `${remoteHost}/`;

  // The file cache keys a download by `<id>/<file>`, so with the cache rooted at `modelsDir` a hub
  // download lands exactly where offline loading looks (`<modelsDir>/<id>/<file>`): pulling once
  // where the hub is reachable is all an offline machine needs, and no file is stored twice.
  env.cacheDir = modelsDir;
  env.useFSCache = true;

  // The library is silent: failures surface as thrown errors, not as console warnings.
  env.logLevel = LogLevel.ERROR;

  state = { modelsDir, offline, onProgress };
}

/** The configuration in force, or an error that says `configureTransformers` was never called. */
export function runtimeState(): RuntimeState {
  if (!state) {
    throw new MmragError('CONFIG', 'Transformers.js is not configured.', {
      hint: 'Call configureTransformers({ modelsDir, offline }) before loading a model.',
    });
  }
  return state;
}

/** Options every `from_pretrained` call gets: the progress callback, when one is set. */
export function pretrainedOptions(): { progress_callback?: (info: ProgressInfo) => void } {
  const { onProgress } = runtimeState();
  if (!onProgress) return {};
  return { progress_callback: (info) => forwardProgress(info, onProgress) };
}

function forwardProgress(info: ProgressInfo, onProgress: (event: ModelFileProgress) => void) {
  switch (info.status) {
    case 'initiate':
      onProgress({ model: info.name, file: info.file, status: 'download', loaded: 0, total: 0 });
      return;
    case 'progress':
      onProgress({
        model: info.name,
        file: info.file,
        status: 'download',
        loaded: info.loaded,
        total: info.total,
      });
      return;
    case 'done':
      onProgress({ model: info.name, file: info.file, status: 'done', loaded: 0, total: 0 });
      return;
    default:
      // `download`, `progress_total` and `ready` add nothing a progress bar needs.
      return;
  }
}

/** The folder a model id resolves to: an absolute path as is, a hub id under `modelsDir`. */
export function modelFolder(modelsDir: string, id: string): string {
  return isAbsolute(id) ? id : join(modelsDir, id);
}

/** True when the model's folder holds a `config.json`, i.e. it can load without the hub. */
export async function modelFolderExists(modelsDir: string, id: string): Promise<boolean> {
  try {
    await access(join(modelFolder(modelsDir, id), 'config.json'));
    return true;
  } catch {
    return false;
  }
}

const MISSING_HINT =
  'Run `mmrag models pull` where the hub is reachable, or put the model folder there, ' +
  'or use `--models lite`.';

/**
 * Turns an error from loading `id` into an `MmragError`. A missing local file, or a hub that
 * cannot be reached, becomes `MODEL_MISSING` naming the folder and file expected; anything else
 * becomes `MODEL_FAILED`. Already-mapped errors pass through.
 */
export function toModelLoadError(error: unknown, id: string): MmragError {
  if (MmragError.isInstance(error)) return error;

  const folder = modelFolder(state?.modelsDir ?? env.localModelPath, id);
  const message = error instanceof Error ? error.message : String(error);

  const missing = /not found locally at "([^"]+)"|Local file missing at "([^"]+)"/.exec(message);
  if (missing) {
    const file = missing[1] ?? missing[2];
    return new MmragError(
      'MODEL_MISSING',
      `Model ${id} is not available offline: expected ${file} in the folder ${folder}.`,
      { subject: folder, hint: MISSING_HINT, cause: error },
    );
  }

  if (isNetworkFailure(error) || /Could not locate file|status 404|status 401/i.test(message)) {
    return new MmragError(
      'MODEL_MISSING',
      `Model ${id} is not in ${folder} and could not be downloaded (${message}).`,
      { subject: folder, hint: MISSING_HINT, cause: error },
    );
  }

  return new MmragError('MODEL_FAILED', `Model ${id} could not be loaded: ${message}`, {
    subject: folder,
    hint: 'Check that the folder holds a whole Transformers.js model (config, tokenizer, onnx/).',
    cause: error,
  });
}

function isNetworkFailure(error: unknown): boolean {
  return error instanceof TypeError && /fetch failed/i.test(error.message);
}

/**
 * Runs a model load and maps its failure. A local folder without `config.json` is reported up
 * front when remote loading is off, since that is the commonest mistake and the clearest message.
 */
export async function loadModelPart<T>(id: string, load: () => Promise<T>): Promise<T> {
  const { modelsDir, offline } = runtimeState();
  if (offline && !(await modelFolderExists(modelsDir, id))) {
    const folder = modelFolder(modelsDir, id);
    throw new MmragError(
      'MODEL_MISSING',
      `Model ${id} is not available offline: expected ${join(folder, 'config.json')} in the ` +
        `folder ${folder}.`,
      { subject: folder, hint: MISSING_HINT },
    );
  }

  try {
    return await load();
  } catch (error) {
    throw toModelLoadError(error, id);
  }
}
