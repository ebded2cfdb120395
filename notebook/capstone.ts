/**
 * The MNIST capstone in the notebook: {@linkcode trainModel} trains the MLP
 * or the CNN of `deno task train` (same architectures, defaults, split and
 * loop, from `train/`) with the classes the notebook defines, and shows its
 * progress in the cell, updated in place; the returned
 * {@linkcode TrainedModel} shows its curves, confusion matrix and
 * misclassified digits; {@linkcode compareRuns} overlays several runs.
 *
 * Every function shows what it has to show itself (see `show` in
 * `display.ts`) and never throws for the student's code: an unfinished
 * lesson, a diverging run or an error in a module ends the run with a
 * message that says what to do, and the later cells say the model was not
 * trained.
 *
 * @module
 */

import { CLASSES, IMAGE_PIXELS, IMAGE_SIDE, loadMnist, type Mnist } from "../data/mnist.ts";
import { architectureOf, describeArchitecture, kitNamesOf } from "../train/architecture.ts";
import {
  type Activation,
  DEFAULTS,
  type ModelName,
  type Optimizer,
  type TrainOptions,
} from "../train/cli.ts";
import { isNotImplemented, type Kit, type KitName, TrainError } from "../train/kit.ts";
import { epochSteps, evaluateModel } from "../train/loop.ts";
import { comparisonSvg, confusionSvg, curvesSvg } from "../train/plot_svg.ts";
import { formatDuration } from "../train/progress.ts";
import { confusionMatrix, formatConfusion, terminalCharts } from "../train/report.ts";
import { parameterCount, prepareRun } from "../train/run.ts";
import { LESSONS } from "../grader/manifest.ts";
import { escapeHtml, LiveDisplay, Rich, show } from "./display.ts";
import { base64, grayPng } from "./png.ts";

/** What {@linkcode trainModel} takes: the model, and any option of `deno task train` to change. */
export interface TrainModelOptions {
  model: ModelName;
  /** A few hundred digits and at most two epochs, to try the cells in seconds. */
  quick?: boolean;
  /** The run's name in plots (default: the model). */
  label?: string;
  /** What the cell shows at the end: the curves (default), or one line (for runs compared afterwards). */
  report?: "curves" | "line";
  epochs?: number;
  batchSize?: number;
  optimizer?: Optimizer;
  learningRate?: number;
  momentum?: number;
  seed?: number;
  hidden?: number;
  activation?: Activation;
  batchNorm?: boolean;
  dropout?: number;
  train?: number;
  validation?: number;
  test?: number;
}

/** The split sizes and epochs of a quick run. */
export const QUICK = { train: 400, validation: 100, test: 200, epochs: 2 } as const;

const BOX = "font-family:system-ui,-apple-system,'Segoe UI',sans-serif;font-size:13px;line-height:1.45;" +
  "color:#1f2328;background:#f6f8fa;border:1px solid #d0d7de;border-radius:6px;padding:8px 12px;max-width:940px";

function _box(inner: string): string {
  return `<div style="${BOX}">${inner}</div>`;
}

/** A trained model (or a run that could not train, with {@linkcode TrainedModel.problem}). */
export class TrainedModel {
  /** The run's name. */
  readonly label: string;
  /** Why the run did not finish (an unfinished lesson, divergence, an error), if it did not. */
  readonly problem?: string;
  /** The options it ran with. */
  readonly options: TrainOptions;
  /** Mean training loss per epoch. */
  readonly trainLoss: number[] = [];
  /** Validation loss and accuracy per epoch. */
  readonly validationLoss: number[] = [];
  /** Validation accuracy (0–1) per epoch. */
  readonly validationAccuracy: number[] = [];
  /** The loss of every training batch. */
  readonly batchLoss: number[] = [];
  /** Test accuracy (0–1) at the end; NaN when the run did not finish. */
  testAccuracy = NaN;
  /** The predicted digit of each test sample. */
  testPredicted: Int32Array = new Int32Array();
  /** Seconds in the training epochs. */
  seconds = 0;
  /** Parameters (scalars) of the model. */
  parameters = 0;
  /** The data it was trained and tested on. */
  readonly data?: Mnist;

  /** @param label the run's name; @param options its options; @param data its splits; @param problem why it stopped */
  constructor(label: string, options: TrainOptions, data?: Mnist, problem?: string) {
    this.label = label;
    this.options = options;
    this.data = data;
    this.problem = problem;
  }

  /** True when the run finished. */
  get ok(): boolean {
    return this.problem === undefined;
  }

  /** A one-line summary. */
  summaryLine(): string {
    if (!this.ok) return `${this.label}: not trained: ${this.problem}`;
    return `${this.label}: test accuracy ${(100 * this.testAccuracy).toFixed(2)}% on ${
      this.data!.test.ids.length
    } digits, validation ${(100 * (this.validationAccuracy.at(-1) ?? NaN)).toFixed(2)}%, ` +
      `${this.options.epochs} epoch${this.options.epochs === 1 ? "" : "s"} in ${
        formatDuration(this.seconds)
      }`;
  }

  /** The run's summary line, as rich output. */
  line(): Rich {
    return new Rich(_box(`<b>${escapeHtml(this.summaryLine())}</b>`), this.summaryLine());
  }

  /** The run's result: summary and curves (what the training cell ends with). */
  report(): Rich {
    if (!this.ok) return _problem(this.label, this.problem!);
    const svg = curvesSvg({
      title: `${this.label}: test accuracy ${(100 * this.testAccuracy).toFixed(2)}% (${
        this.data!.test.ids.length
      } digits)`,
      subtitle:
        `${
          describeArchitecture(architectureOf(this.options.model, this.options))
        }; ${this.options.optimizer}, ` +
        `batch ${this.options.batchSize}, seed ${this.options.seed}`,
      batchLoss: this.batchLoss,
      batchesPerEpoch: Math.ceil(this.options.train / this.options.batchSize),
      trainLoss: this.trainLoss,
      validationLoss: this.validationLoss,
      validationAccuracy: this.validationAccuracy,
      testAccuracy: this.testAccuracy,
    });
    const text = [this.summaryLine(), terminalCharts(this.batchLoss, this.validationAccuracy)].join("\n");
    const size = `<div style="color:#57606a">${
      this.parameters.toLocaleString("en")
    } parameters, trained on ${this.options.train} digits</div>`;
    return new Rich(_box(`<div><b>${escapeHtml(this.summaryLine())}</b></div>${size}${svg}`), text);
  }

  /** Shows the confusion matrix on the test digits. */
  async confusion(): Promise<void> {
    if (!this.ok) return await show(_problem(this.label, `the model was not trained: ${this.problem}`));
    const matrix = confusionMatrix(this.testPredicted, this.data!.test.digits, CLASSES);
    const title = `${this.label}: confusion matrix on ${this.data!.test.ids.length} test digits`;
    await show(new Rich(_box(confusionSvg(matrix, title)), `${title}\n${formatConfusion(matrix)}`));
  }

  /** Shows up to `count` misclassified test digits, each with its true and predicted digit. */
  async mistakes(count = 12): Promise<void> {
    if (!this.ok) return await show(_problem(this.label, `the model was not trained: ${this.problem}`));
    const test = this.data!.test;
    const wrong: number[] = [];
    for (let i = 0; i < this.testPredicted.length && wrong.length < count; i++) {
      if (this.testPredicted[i] !== test.digits[i]) wrong.push(i);
    }
    const total = this.testPredicted.reduce((n, p, i) => n + (p === test.digits[i] ? 0 : 1), 0);
    const title = `${this.label}: ${total} of ${test.ids.length} test digits misclassified` +
      (wrong.length ? `; the first ${wrong.length}` : "");
    const figures = wrong.map((i) => {
      const pixels = test.images.data.subarray(i * IMAGE_PIXELS, (i + 1) * IMAGE_PIXELS);
      const src = `data:image/png;base64,${base64(grayPng(pixels, IMAGE_SIDE, IMAGE_SIDE, true))}`;
      return `<figure style="margin:4px;text-align:center;display:inline-block"><img src="${src}" width="84" ` +
        `height="84" alt="a ${test.digits[i]}" style="image-rendering:pixelated;border:1px solid #d0d7de"/>` +
        `<figcaption style="font-size:12px">true <b>${test.digits[i]}</b> → <b style="color:#cf222e">${
          this.testPredicted[i]
        }</b></figcaption></figure>`;
    });
    const text = `${title}\n` +
      wrong.map((i) => `  test digit ${i}: true ${test.digits[i]}, predicted ${this.testPredicted[i]}`).join(
        "\n",
      );
    await show(new Rich(_box(`<div><b>${escapeHtml(title)}</b></div><div>${figures.join("")}</div>`), text));
  }
}

function _problem(label: string, message: string): Rich {
  return new Rich(
    `<div style="${BOX};border-left:4px solid #b35900"><b>${escapeHtml(label)}</b>: ${
      escapeHtml(message).replace(/\n/g, "<br>")
    }</div>`,
    `${label}: ${message}`,
  );
}

/** The message for an unfinished lesson, pointing at the notebook's cells. */
function _unfinished(task: string): string {
  const className = task.split(".")[0];
  const lesson = LESSONS.find((l) => l.exports.includes(className));
  if (!lesson) return `${task} is not written yet: finish it above, run its cell, then run this cell again`;
  return `this model needs ${className}, and ${task} is not written yet. Finish lesson ${lesson.order}, ` +
    `"${lesson.title}", in its cell above (its check cell tells when it passes), then run this cell again.`;
}

const _data = new Map<string, Mnist>();

/** The splits, loaded once per size and layout (the experiments reuse them). */
function _mnist(o: TrainOptions): Mnist {
  const layout = o.model === "cnn" ? "image" : "flat";
  const key = `${o.train}/${o.validation}/${o.test}/${o.splitSeed}/${layout}`;
  if (!_data.has(key)) {
    _data.set(
      key,
      loadMnist({ train: o.train, validation: o.validation, test: o.test, seed: o.splitSeed, layout }),
    );
  }
  return _data.get(key)!;
}

/** The options of a run: `deno task train`'s defaults for the model, then `options`, then `quick`. */
export function runOptions(options: TrainModelOptions): TrainOptions {
  const { model, quick, label: _label, report: _report, ...rest } = options;
  if (model !== "mlp" && model !== "cnn") {
    throw new TrainError(`Cannot train: expected model "mlp" or "cnn", received ${JSON.stringify(model)}`);
  }
  const o: TrainOptions = { ...DEFAULTS[model], ...rest, model, out: "", solutions: false, quiet: true };
  if (quick) {
    o.train = Math.min(o.train, QUICK.train);
    o.validation = Math.min(o.validation, QUICK.validation);
    o.test = Math.min(o.test, QUICK.test);
    o.epochs = Math.min(o.epochs, QUICK.epochs);
  }
  return o;
}

function _progressHtml(
  label: string,
  o: TrainOptions,
  epoch: number,
  done: number,
  total: number,
  running: string,
  rate: number,
  eta: number,
  rows: string[],
): Rich {
  const pct = total > 0 ? (100 * done) / total : 0;
  const bar =
    `<div style="background:#d0d7de;border-radius:4px;height:10px;width:360px;display:inline-block;` +
    `vertical-align:middle"><div style="background:#0969da;border-radius:4px;height:10px;width:${
      pct.toFixed(1)
    }%"></div></div>`;
  const line = `epoch ${epoch}/${o.epochs} · batch ${done}/${total} · loss ${running} · ${
    rate.toFixed(0)
  } samples/s · ETA ${formatDuration(eta)}`;
  const table = rows.length === 0
    ? ""
    : `<table style="border-collapse:collapse;margin-top:6px;font-size:12px">` +
      `<tr><th style="text-align:left;padding:0 10px 0 0">epoch</th><th style="padding:0 10px">train loss</th>` +
      `<th style="padding:0 10px">validation loss</th><th style="padding:0 10px">validation accuracy</th>` +
      `<th style="padding:0 10px">time</th></tr>${rows.join("")}</table>`;
  return new Rich(
    _box(
      `<div><b>Training ${escapeHtml(label)}</b> on ${o.train} digits</div><div>${bar} ${line}</div>${table}`,
    ),
    `training ${label}: ${line}`,
  );
}

/**
 * Trains `options.model` with the notebook's classes (`kit`: `{ Sequential,
 * Linear, … }`), showing the progress in the cell, then the curves. Resolves
 * to the {@linkcode TrainedModel}, which has a `problem` instead of results
 * when the run could not finish.
 */
export async function trainModel(
  kit: Record<string, unknown>,
  options: TrainModelOptions,
): Promise<TrainedModel> {
  let o: TrainOptions;
  try {
    o = runOptions(options);
  } catch (e) {
    const stub = runOptions({ model: "mlp" });
    const run = new TrainedModel(
      options.label ?? String(options.model),
      stub,
      undefined,
      (e as Error).message,
    );
    await show(run.report());
    return run;
  }
  const arch = architectureOf(o.model, o);
  const label = options.label ?? o.model;
  const needed = [...kitNamesOf(arch), o.optimizer as KitName];
  const missing = needed.filter((name) => typeof kit[name] !== "function");
  if (missing.length > 0) {
    const run = new TrainedModel(
      label,
      o,
      undefined,
      `the kit passed to trainModel has no ${
        missing.join(", ")
      }: run the lessons' cells first (Run All does)`,
    );
    await show(run.report());
    return run;
  }
  const modules = kit as unknown as Kit;
  const data = _mnist(o);
  const live = new LiveDisplay();
  const rows: string[] = [];
  const result = new TrainedModel(label, o, data);
  let problem: string | undefined;
  try {
    const { model, layers, criterion, optimizer } = prepareRun(modules, arch, data, o);
    const started = performance.now();
    const total = Math.ceil(o.train / o.batchSize);
    for (let epoch = 1; epoch <= o.epochs; epoch++) {
      const epochStart = performance.now();
      let shown = -Infinity;
      const steps = epochSteps(
        model,
        criterion,
        optimizer,
        data.train.images,
        data.train.labels,
        o.batchSize,
      );
      let step = steps.next();
      for (; !step.done; step = steps.next()) {
        const r = step.value;
        result.batchLoss.push(r.loss);
        const now = performance.now();
        if (now - shown > 250 || r.batch === r.batches) {
          shown = now;
          const seconds = (now - epochStart) / 1000;
          await live.show(_progressHtml(
            label,
            o,
            epoch,
            r.batch,
            total,
            r.runningLoss.toFixed(4),
            r.samples / Math.max(seconds, 1e-9),
            (seconds / r.batch) * (r.batches - r.batch),
            rows,
          ));
        }
      }
      result.trainLoss.push(step.value);
      const v = evaluateModel(model, criterion, data.validation.images, data.validation.labels);
      result.validationLoss.push(v.loss);
      result.validationAccuracy.push(v.accuracy);
      const cell = (s: string) => `<td style="padding:0 10px;text-align:right">${s}</td>`;
      rows.push(
        `<tr><td>${epoch}</td>${cell(step.value.toFixed(4))}${cell(v.loss.toFixed(4))}${
          cell(`${(100 * v.accuracy).toFixed(2)}%`)
        }${cell(`${((performance.now() - epochStart) / 1000).toFixed(1)} s`)}</tr>`,
      );
    }
    result.seconds = (performance.now() - started) / 1000;
    const test = evaluateModel(model, criterion, data.test.images, data.test.labels);
    result.testAccuracy = test.accuracy;
    result.testPredicted = test.predicted;
    result.parameters = parameterCount(layers);
  } catch (e) {
    problem = isNotImplemented(e)
      ? _unfinished(e.task)
      : e instanceof TrainError
      ? e.message
      : `training stopped: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
  }
  const run = problem === undefined ? result : new TrainedModel(label, o, data, problem);
  await live.show(options.report === "line" && run.ok ? run.line() : run.report(), true);
  return run;
}

/** Shows the runs' curves overlaid in one plot (runs that did not train are named and left out). */
export async function compareRuns(runs: readonly TrainedModel[], title: string): Promise<void> {
  const trained = runs.filter((r) => r.ok);
  const skipped = runs.filter((r) => !r.ok).map((r) => r.label);
  if (trained.length === 0) {
    await show(_problem(title, `no run finished, so there is nothing to compare (${skipped.join(", ")})`));
    return;
  }
  const svg = comparisonSvg(
    title,
    trained.map((r) => ({ name: r.label, trainLoss: r.trainLoss, validationAccuracy: r.validationAccuracy })),
  );
  const lines = trained.map((r) => r.summaryLine());
  if (skipped.length) lines.push(`not trained: ${skipped.join(", ")}`);
  const list = lines.map((l) => `<li>${escapeHtml(l)}</li>`).join("");
  await show(new Rich(_box(`${svg}<ul style="margin:4px 0">${list}</ul>`), [title, ...lines].join("\n")));
}
