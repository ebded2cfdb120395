/**
 * Trained weights as a JSON file: the architecture (plain data, see
 * `architecture.ts`), every parameter tensor of every layer (shape and
 * values; JSON numbers round-trip float64 exactly), BatchNormalization's
 * moving statistics, the data split and the training summary. Loading
 * rebuilds the model from the architecture and checks every shape, so a file
 * for another architecture is a clear error, not garbage predictions.
 *
 * @example
 * ```ts
 * import { parseWeightsFile } from "./weights.ts";
 * try {
 *   parseWeightsFile("{}", "x.json");
 * } catch (e) {
 *   console.assert(String(e).includes("not a gradlings weights file"));
 * }
 * ```
 *
 * @module
 */

import type { Module } from "../lib/module.ts";
import { Tensor } from "../lib/tensor.ts";
import type { Architecture } from "./architecture.ts";
import { describeArchitecture } from "./architecture.ts";
import type { ModelName } from "./cli.ts";
import { TrainError } from "./kit.ts";

/** The `format` field of every weights file. */
export const WEIGHTS_FORMAT = "gradlings-weights";
/** The version this code writes and reads. */
export const WEIGHTS_VERSION = 1;

/** A tensor in a weights file. */
export interface SavedTensor {
  shape: number[];
  values: number[];
}

/** The split a model was trained on, so evaluation uses the same held-out test digits. */
export interface SavedData {
  train: number;
  validation: number;
  test: number;
  splitSeed: number;
}

/** The content of a weights file. */
export interface WeightsFile {
  format: typeof WEIGHTS_FORMAT;
  version: number;
  architecture: Architecture;
  /** Per layer, its parameter tensors in `getParameters()` order. */
  parameters: SavedTensor[][];
  /** Per layer, BatchNormalization's moving statistics (null for other layers or before training). */
  buffers: ({ movingMean: SavedTensor; movingVariance: SavedTensor } | null)[];
  data: SavedData;
  /** Free-form facts about the run (options, accuracies, time). */
  training: Record<string, unknown>;
}

/** "an mlp", "a cnn". */
const _article = (model: string) => `${model === "mlp" ? "an" : "a"} ${model}`;

function _save(t: Tensor): SavedTensor {
  return { shape: [...t.shape], values: Array.from(t.data) };
}

interface _BatchNormLike {
  movingMean?: Tensor;
  movingVariance?: Tensor;
}

/** Captures `layers` (as `buildModel` returns them) into a weights file object. */
export function captureWeights(
  arch: Architecture,
  layers: readonly Module[],
  data: SavedData,
  training: Record<string, unknown>,
): WeightsFile {
  return {
    format: WEIGHTS_FORMAT,
    version: WEIGHTS_VERSION,
    architecture: arch,
    parameters: layers.map((m) => (m.getParameters() as Tensor[]).map(_save)),
    buffers: layers.map((m, i) => {
      const bn = m as _BatchNormLike;
      if (arch.layers[i].type !== "BatchNormalization" || !bn.movingMean || !bn.movingVariance) return null;
      return { movingMean: _save(bn.movingMean), movingVariance: _save(bn.movingVariance) };
    }),
    data,
    training,
  };
}

/**
 * Parses and validates a weights file's text. `expected` is the model the
 * user asked for, if any.
 *
 * @throws {TrainError} when the text is not JSON, not a weights file, of an
 *   unknown version, or for another model than `expected`.
 */
export function parseWeightsFile(text: string, path: string, expected?: ModelName): WeightsFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new TrainError(
      `${path} is not a gradlings weights file: invalid JSON (${(error as Error).message})`,
    );
  }
  const file = raw as Partial<WeightsFile>;
  if (typeof raw !== "object" || raw === null || file.format !== WEIGHTS_FORMAT) {
    throw new TrainError(`${path} is not a gradlings weights file: expected "format": "${WEIGHTS_FORMAT}"`);
  }
  if (file.version !== WEIGHTS_VERSION) {
    throw new TrainError(
      `${path}: expected weights format version ${WEIGHTS_VERSION}, received ${file.version}`,
    );
  }
  const arch = file.architecture;
  if (
    !arch || !Array.isArray(arch.layers) || !Array.isArray(file.parameters) || !Array.isArray(file.buffers)
  ) {
    throw new TrainError(
      `${path} is not a gradlings weights file: architecture, parameters or buffers missing`,
    );
  }
  if (arch.model !== "mlp" && arch.model !== "cnn") {
    throw new TrainError(`${path}: expected a model "mlp" or "cnn", received ${JSON.stringify(arch.model)}`);
  }
  if (expected && arch.model !== expected) {
    throw new TrainError(
      `${path} holds weights for another architecture: expected ${_article(expected)}, received ${
        _article(arch.model)
      } ` +
        `(${describeArchitecture(arch)})`,
    );
  }
  if (file.parameters.length !== arch.layers.length || file.buffers.length !== arch.layers.length) {
    throw new TrainError(
      `${path}: expected parameters and buffers for ${arch.layers.length} layers, received ` +
        `${file.parameters.length} and ${file.buffers.length}`,
    );
  }
  return file as WeightsFile;
}

function _load(saved: SavedTensor, where: string): Tensor {
  if (!Array.isArray(saved?.shape) || !Array.isArray(saved?.values)) {
    throw new TrainError(
      `${where}: expected {shape, values}, received ${JSON.stringify(saved)?.slice(0, 60)}`,
    );
  }
  try {
    return new Tensor(Float64Array.from(saved.values), saved.shape);
  } catch (error) {
    throw new TrainError(`${where}: ${(error as Error).message}`);
  }
}

const _fmt = (shape: readonly number[]) => `[${shape.join(", ")}]`;

/**
 * Copies the file's tensors into `layers` (built from `file.architecture`) in
 * place, checking each shape.
 *
 * @throws {TrainError} when a layer has another number of parameters or a
 *   parameter another shape than the file (weights for another architecture).
 */
export function restoreWeights(file: WeightsFile, layers: readonly Module[], path: string): void {
  if (layers.length !== file.parameters.length) {
    throw new TrainError(
      `${path} holds weights for another architecture: expected ${layers.length} layers, received ${file.parameters.length}`,
    );
  }
  layers.forEach((m, i) => {
    const params = m.getParameters() as Tensor[];
    const saved = file.parameters[i];
    const name = `layer ${i} (${m})`;
    if (params.length !== saved.length) {
      throw new TrainError(
        `${path} holds weights for another architecture: ${name} has ${params.length} parameter tensors, ` +
          `the file ${saved.length}`,
      );
    }
    params.forEach((p, j) => {
      const t = _load(saved[j], `${path}, ${name}, parameter ${j}`);
      if (t.shape.join() !== p.shape.join()) {
        throw new TrainError(
          `${path} holds weights for another architecture: ${name} parameter ${j} should have shape ` +
            `${_fmt(p.shape)}, the file has ${_fmt(t.shape)}`,
        );
      }
      p.copyInPlace(t);
    });
    const buffers = file.buffers[i];
    if (buffers) {
      const bn = m as _BatchNormLike;
      bn.movingMean = _load(buffers.movingMean, `${path}, ${name}, movingMean`);
      bn.movingVariance = _load(buffers.movingVariance, `${path}, ${name}, movingVariance`);
    }
  });
}
