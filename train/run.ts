/**
 * The two things `deno task train` does: train a model (progress, epoch
 * summaries, test accuracy, confusion matrix, misclassified digits, curves,
 * saved weights) and evaluate saved weights. Output goes through `log`, so
 * tests capture it.
 *
 * @module
 */

import type { Criterion, Module } from "../lib/module.ts";
import { seed } from "../lib/random.ts";
import type { Tensor } from "../lib/tensor.ts";
import { describeSplits, IMAGE_PIXELS, loadMnist, type Mnist } from "../data/mnist.ts";
import {
  type Architecture,
  architectureOf,
  buildModel,
  describeArchitecture,
  kitNamesOf,
} from "./architecture.ts";
import type { TrainOptions } from "./cli.ts";
import { type Kit, type KitName, type KitSource, loadKit, type SequentialLike, TrainError } from "./kit.ts";
import { evaluateModel, type OptimizerRun, trainEpoch } from "./loop.ts";
import { curvesSvg } from "./plot_svg.ts";
import { EpochProgress, formatDuration } from "./progress.ts";
import { confusionMatrix, drawMistakes, formatConfusion, type Mistake, terminalCharts } from "./report.ts";
import { captureWeights, parseWeightsFile, restoreWeights } from "./weights.ts";

/** Where the command writes. */
export interface RunIo {
  /** Prints one or more lines. */
  log: (text: string) => void;
}

/** What a training run measured. */
export interface TrainResult {
  architecture: Architecture;
  trainLoss: number[];
  validationLoss: number[];
  validationAccuracy: number[];
  batchLoss: number[];
  testAccuracy: number;
  testPredicted: Int32Array;
  /** Seconds spent in the training epochs (not loading or reporting). */
  trainSeconds: number;
  weightsPath: string;
  plotPath: string;
}

/** The optimizer configuration of SPEC.md for the options. */
export function optimizerConfig(o: TrainOptions): Record<string, number> {
  return o.optimizer === "sgdMomentum"
    ? { learningRate: o.learningRate, momentum: o.momentum }
    : { learningRate: o.learningRate, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };
}

/** Checks that `dir` may be written (Deno permissions) and creates it. */
async function _prepareOut(dir: string): Promise<void> {
  const status = await Deno.permissions.query({ name: "write", path: dir });
  if (status.state !== "granted") {
    throw new TrainError(
      `Cannot write to "${dir}": deno task train may write under out/ only; choose --out out/NAME ` +
        `(or run deno run --allow-read --allow-write=${dir} train/main.ts yourself)`,
    );
  }
  await Deno.mkdir(dir, { recursive: true });
}

function _source(solutions: boolean): KitSource {
  return solutions ? "solutions" : "lessons";
}

/** The number of parameters (scalars) of some layers. */
export function parameterCount(layers: { getParameters(): unknown }[]): number {
  return layers.flatMap((m) => m.getParameters() as Tensor[]).reduce((s, t) => s + t.size, 0);
}

/**
 * Runs one tiny training step and an evaluation-mode forward on a throwaway
 * model, so that an unfinished lesson shows up at once rather than after an
 * epoch. Reseeds afterwards, so the real run is unaffected.
 */
function _smokeTest(kit: Kit, arch: Architecture, data: Mnist, o: TrainOptions): void {
  const { model } = buildModel(kit, arch);
  const criterion = new kit.ClassNLLCriterion();
  const n = Math.min(2, data.train.ids.length);
  const idx = Array.from({ length: n }, (_, i) => i);
  const x = data.train.images.take(idx, 0);
  const y = data.train.labels.take(idx, 0);
  trainEpoch(model, criterion, { fn: kit[o.optimizer], config: optimizerConfig(o), state: {} }, x, y, n);
  evaluateModel(model, criterion, x, y);
}

/** A model ready to train: built from `kit`, with its criterion and optimizer. */
export interface PreparedRun {
  model: SequentialLike;
  /** Each layer's module (see `buildModel`). */
  layers: Module[];
  criterion: Criterion;
  optimizer: OptimizerRun;
}

/**
 * Seeds, runs a smoke test (one tiny step: an unfinished lesson throws here, before
 * any epoch), seeds again and builds the model, its criterion and optimizer,
 * so the same seed gives the same run.
 */
export function prepareRun(kit: Kit, arch: Architecture, data: Mnist, o: TrainOptions): PreparedRun {
  seed(o.seed);
  _smokeTest(kit, arch, data, o);
  seed(o.seed);
  const { model, layers } = buildModel(kit, arch);
  const criterion = new kit.ClassNLLCriterion();
  const optimizer: OptimizerRun = { fn: kit[o.optimizer], config: optimizerConfig(o), state: {} };
  return { model, layers, criterion, optimizer };
}

/**
 * Trains `o.model` as the options say; see the module doc. `kitOverride`
 * replaces the kit `o.solutions` chooses (tests use it).
 */
export async function runTrain(o: TrainOptions, io: RunIo, kitOverride?: Kit): Promise<TrainResult> {
  const source = _source(o.solutions);
  const arch = architectureOf(o.model, o);
  await _prepareOut(o.out);
  const kit = kitOverride ?? await loadKit(source, [...kitNamesOf(arch), o.optimizer as KitName]);
  const data = loadMnist({
    train: o.train,
    validation: o.validation,
    test: o.test,
    seed: o.splitSeed,
    layout: o.model === "cnn" ? "image" : "flat",
  });
  io.log(describeSplits(data));

  const { model, layers, criterion, optimizer } = prepareRun(kit, arch, data, o);
  io.log(
    `model (${source}/): ${describeArchitecture(arch)}; ${
      parameterCount(layers).toLocaleString("en")
    } parameters`,
  );
  io.log(
    `training ${o.epochs} epoch${o.epochs === 1 ? "" : "s"}, batch ${o.batchSize}, ${o.optimizer} ${
      JSON.stringify(optimizer.config)
    }, ` +
      `seed ${o.seed}`,
  );

  const result = {
    architecture: arch,
    trainLoss: [] as number[],
    validationLoss: [] as number[],
    validationAccuracy: [] as number[],
    batchLoss: [] as number[],
  };
  const progress = new EpochProgress(!o.quiet);
  const batchesPerEpoch = Math.ceil(o.train / o.batchSize);
  const started = performance.now();
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    const epochStart = performance.now();
    progress.start(epoch, o.epochs, batchesPerEpoch);
    let loss: number;
    try {
      loss = trainEpoch(
        model,
        criterion,
        optimizer,
        data.train.images,
        data.train.labels,
        o.batchSize,
        (r) => {
          result.batchLoss.push(r.loss);
          progress.update(r);
        },
      );
    } finally {
      progress.stop();
    }
    const seconds = (performance.now() - epochStart) / 1000;
    result.trainLoss.push(loss);
    let validation = "";
    if (data.validation.ids.length > 0) {
      const v = evaluateModel(model, criterion, data.validation.images, data.validation.labels);
      result.validationLoss.push(v.loss);
      result.validationAccuracy.push(v.accuracy);
      validation = ` | validation loss ${v.loss.toFixed(4)}, accuracy ${(100 * v.accuracy).toFixed(2)}%`;
    }
    io.log(
      `epoch ${String(epoch).padStart(String(o.epochs).length)}/${o.epochs}: train loss ${loss.toFixed(4)}` +
        `${validation} | ${seconds.toFixed(1)} s (${(o.train / seconds).toFixed(0)} samples/s)`,
    );
  }
  const trainSeconds = (performance.now() - started) / 1000;

  const test = evaluateModel(model, criterion, data.test.images, data.test.labels);
  io.log(
    `\ntest accuracy: ${(100 * test.accuracy).toFixed(2)}% on ${data.test.ids.length} held-out digits ` +
      `(test loss ${test.loss.toFixed(4)}); training took ${formatDuration(trainSeconds)} (${
        trainSeconds.toFixed(1)
      } s)`,
  );
  _report(io, o.quiet, data, test.predicted, result.batchLoss, result.validationAccuracy);

  const plotPath = `${o.out}/curves.svg`;
  await Deno.writeTextFile(
    plotPath,
    curvesSvg({
      title: `${o.model} on MNIST: test accuracy ${
        (100 * test.accuracy).toFixed(2)
      }% (${data.test.ids.length} digits)`,
      subtitle: `${describeArchitecture(arch)}; ${o.optimizer}, batch ${o.batchSize}, seed ${o.seed}`,
      batchLoss: result.batchLoss,
      batchesPerEpoch,
      trainLoss: result.trainLoss,
      validationLoss: result.validationLoss,
      validationAccuracy: result.validationAccuracy,
      testAccuracy: test.accuracy,
    }),
  );
  const weightsPath = `${o.out}/weights.json`;
  const file = captureWeights(
    arch,
    layers,
    { train: o.train, validation: o.validation, test: o.test, splitSeed: o.splitSeed },
    {
      source,
      epochs: o.epochs,
      batchSize: o.batchSize,
      optimizer: o.optimizer,
      config: optimizer.config,
      seed: o.seed,
      trainSeconds,
      trainLoss: result.trainLoss,
      validationAccuracy: result.validationAccuracy,
      testAccuracy: test.accuracy,
    },
  );
  await Deno.writeTextFile(weightsPath, JSON.stringify(file));
  io.log(`\ncurves: ${plotPath}\nweights: ${weightsPath}`);
  io.log(
    `evaluate them later: deno task train evaluate --weights ${weightsPath}${
      o.solutions ? " --solutions" : ""
    }`,
  );
  return {
    ...result,
    testAccuracy: test.accuracy,
    testPredicted: test.predicted,
    trainSeconds,
    weightsPath,
    plotPath,
  };
}

function _report(
  io: RunIo,
  quiet: boolean,
  data: Mnist,
  predicted: Int32Array,
  batchLoss: number[],
  validationAccuracy: number[],
): void {
  io.log(
    `\nconfusion matrix (test; rows: true digit, columns: predicted)\n${
      formatConfusion(confusionMatrix(predicted, data.test.digits))
    }`,
  );
  if (quiet) return;
  const mistakes: Mistake[] = [];
  for (let i = 0; i < predicted.length && mistakes.length < 8; i++) {
    if (predicted[i] !== data.test.digits[i]) {
      mistakes.push({
        pixels: data.test.images.data.subarray(i * IMAGE_PIXELS, (i + 1) * IMAGE_PIXELS),
        actual: data.test.digits[i],
        predicted: predicted[i],
      });
    }
  }
  if (mistakes.length > 0) io.log(`\nsome misclassified test digits\n${drawMistakes(mistakes)}`);
  const charts = terminalCharts(batchLoss, validationAccuracy);
  if (charts) io.log(`\n${charts}`);
}

/** What an evaluation measured. */
export interface EvaluateResult {
  architecture: Architecture;
  testAccuracy: number;
  testPredicted: Int32Array;
}

/**
 * Loads saved weights, rebuilds the model with the chosen kit and evaluates
 * it on the test split it was held out from.
 *
 * @throws {TrainError} for a missing or unreadable file, a file for another
 *   model than `expected`, or shapes that do not match the architecture.
 */
export async function runEvaluate(
  path: string,
  expected: TrainOptions["model"] | undefined,
  solutions: boolean,
  io: RunIo,
  kitOverride?: Kit,
): Promise<EvaluateResult> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new TrainError(`Weights file not found: "${path}" (train first: deno task train mlp)`);
    }
    if (error instanceof Deno.errors.IsADirectory) {
      throw new TrainError(`Weights file expected, received the folder "${path}"`);
    }
    throw error;
  }
  const file = parseWeightsFile(text, path, expected);
  const source = _source(solutions);
  const kit = kitOverride ?? await loadKit(source, kitNamesOf(file.architecture));
  const { model, layers } = buildModel(kit, file.architecture);
  restoreWeights(file, layers, path);
  const data = loadMnist({
    ...file.data,
    seed: file.data.splitSeed,
    layout: file.architecture.model === "cnn" ? "image" : "flat",
  });
  io.log(`model (${source}/): ${describeArchitecture(file.architecture)}`);
  const criterion: Criterion = new kit.ClassNLLCriterion();
  const test = evaluateModel(model, criterion, data.test.images, data.test.labels);
  io.log(
    `test accuracy: ${(100 * test.accuracy).toFixed(2)}% on ${data.test.ids.length} held-out digits ` +
      `(split seed ${file.data.splitSeed}; test loss ${test.loss.toFixed(4)})`,
  );
  io.log(`\nconfusion matrix (test)\n${formatConfusion(confusionMatrix(test.predicted, data.test.digits))}`);
  return { architecture: file.architecture, testAccuracy: test.accuracy, testPredicted: test.predicted };
}
