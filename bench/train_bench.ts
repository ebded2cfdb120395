/**
 * Training speed against the seed course's numpy: seconds per epoch of the
 * reference solutions and of `bench/numpy_train.py`, side by side in one run,
 * on the same 8,000 MNIST training digits (data/mnist.ts, split seed 0), the
 * same models and batch 32, and the ratios against the capstone's targets:
 *
 * | model | ours vs numpy | target |
 * | --- | --- | --- |
 * | MLP 784-100-10 ReLU | ours / numpy | ≤ 2 |
 * | CNN Conv 1→8, MaxPool, Conv 8→16, MaxPool, Linear 784→10 | ours / numpy im2col | ≤ 1.5 |
 * | the same CNN | numpy `correlate2d` loops / ours | ≥ 10 |
 *
 * numpy runs single-threaded (OPENBLAS_NUM_THREADS=1, with OPENBLAS_CORETYPE
 * and OPENBLAS_L2_SIZE removed for that child only); where python3 or numpy
 * is missing the numpy columns are skipped with a note. Each figure is the
 * fastest of a few epochs after a warm-up; the loops CNN is timed on a part
 * of an epoch and scaled to 8,000 samples (it takes ~30 s per epoch).
 *
 * Run: `deno run --allow-read --allow-run --allow-env bench/train_bench.ts [--strict] [--quick] [--profile]`
 * (`--strict`: exit status 1 when a target is missed; `--quick`: fewer epochs; `--profile`: where
 * the time of one training step goes, per module, forward and backward).
 *
 * @module
 */

import { seed } from "../lib/random.ts";
import { loadMnist, type MnistSplit } from "../data/mnist.ts";
import * as solutions from "../solutions/mod.ts";
import { type Architecture, buildModel, type LayerSpec } from "../train/architecture.ts";
import type { Kit } from "../train/kit.ts";
import { trainEpoch } from "../train/loop.ts";
import { runNumpyScript } from "./_numpy.ts";

/** Samples per epoch, batch size and SGD settings shared by both sides. */
export const BENCH = { samples: 8000, batch: 32, learningRate: 0.01, momentum: 0.9 } as const;

/** The speed targets of the capstone issue. */
export const TARGETS = { mlpVsNumpy: 2, cnnVsIm2col: 1.5, loopsVsCnn: 10 } as const;

/** The issue's numpy figures on its machine, for scale (s/epoch). */
export const ISSUE_NUMPY = { mlp: 0.14, cnn_im2col: 2.1, cnn_loops: 29 } as const;

/** The benchmark MLP: 784-100-10 ReLU. */
export const MLP: Architecture = {
  model: "mlp",
  input: [784],
  layers: [
    { type: "Linear", nIn: 784, nOut: 100 },
    { type: "ReLU" },
    { type: "Linear", nIn: 100, nOut: 10 },
    { type: "LogSoftMax" },
  ],
};

/** The benchmark CNN: Conv 1→8 3×3, ReLU, MaxPool 2, Conv 8→16 3×3, ReLU, MaxPool 2, Flatten, Linear 784→10. */
export const CNN: Architecture = {
  model: "cnn",
  input: [1, 28, 28],
  layers: [
    { type: "Conv2d", inChannels: 1, outChannels: 8, kernelSize: 3 },
    { type: "ReLU" },
    { type: "MaxPool2d", kernelSize: 2 },
    { type: "Conv2d", inChannels: 8, outChannels: 16, kernelSize: 3 },
    { type: "ReLU" },
    { type: "MaxPool2d", kernelSize: 2 },
    { type: "Flatten" },
    { type: "Linear", nIn: 784, nOut: 10 },
    { type: "LogSoftMax" },
  ] as LayerSpec[],
};

/** Seconds per epoch of our side, and the mean loss of each timed epoch. */
export interface OursResult {
  seconds: number[];
  secondsPerEpoch: number;
  loss: number[];
}

/** Times `epochs` epochs of `arch` with the reference solutions (after one warm-up batch pass). */
export function timeOurs(arch: Architecture, split: MnistSplit, epochs: number): OursResult {
  const kit = solutions as unknown as Kit;
  seed(0);
  const { model } = buildModel(kit, arch);
  const criterion = new kit.ClassNLLCriterion();
  const optimizer = {
    fn: kit.sgdMomentum,
    config: { learningRate: BENCH.learningRate, momentum: BENCH.momentum },
    state: {},
  };
  const images = arch.model === "cnn" ? split.images.reshape([-1, 1, 28, 28]) : split.images;
  // Warm up (JIT, WebAssembly tier-up) on a few batches, so the first timed epoch is not penalised.
  const warm = Array.from({ length: 8 * BENCH.batch }, (_, i) => i % split.digits.length);
  trainEpoch(model, criterion, optimizer, images.take(warm, 0), split.labels.take(warm, 0), BENCH.batch);
  const seconds: number[] = [];
  const loss: number[] = [];
  for (let e = 0; e < epochs; e++) {
    const start = performance.now();
    loss.push(trainEpoch(model, criterion, optimizer, images, split.labels, BENCH.batch));
    seconds.push((performance.now() - start) / 1000);
  }
  return { seconds, secondsPerEpoch: Math.min(...seconds), loss };
}

/** Where the time of a training step goes: per module, forward and backward, in ms per batch. */
export interface ModuleProfile {
  module: string;
  forwardMs: number;
  backwardMs: number;
}

/**
 * Times each module's forward and backward (and the criterion and optimizer)
 * over `batches` training batches of `arch` with the reference solutions.
 */
export function profileModules(arch: Architecture, split: MnistSplit, batches: number): ModuleProfile[] {
  const kit = solutions as unknown as Kit;
  seed(0);
  const { model } = buildModel(kit, arch);
  const rows = model.modules.map((m) => ({ module: String(m), forwardMs: 0, backwardMs: 0 }));
  model.modules.forEach((m, i) => {
    const forward = m.forward.bind(m);
    const backward = m.backward.bind(m);
    m.forward = (x) => {
      const t = performance.now();
      const out = forward(x);
      rows[i].forwardMs += performance.now() - t;
      return out;
    };
    m.backward = (x, g) => {
      const t = performance.now();
      const out = backward(x, g);
      rows[i].backwardMs += performance.now() - t;
      return out;
    };
  });
  const criterion = new kit.ClassNLLCriterion();
  const other = { module: "criterion + zeroGrad + sgdMomentum + batch copy", forwardMs: 0, backwardMs: 0 };
  const images = arch.model === "cnn" ? split.images.reshape([-1, 1, 28, 28]) : split.images;
  const config = { learningRate: BENCH.learningRate, momentum: BENCH.momentum };
  const state = {};
  const run = (count: number) => {
    for (let b = 0; b < count; b++) {
      const idx = Array.from({ length: BENCH.batch }, (_, i) => (b * BENCH.batch + i) % split.digits.length);
      let t = performance.now();
      const x = images.take(idx, 0);
      const y = split.labels.take(idx, 0);
      model.zeroGradParameters();
      other.forwardMs += performance.now() - t;
      const out = model.forward(x);
      t = performance.now();
      criterion.forward(out, y);
      const g = criterion.backward(out, y);
      other.forwardMs += performance.now() - t;
      model.backward(x, g);
      t = performance.now();
      kit.sgdMomentum(model.getParameters(), model.getGradParameters(), config, state);
      other.backwardMs += performance.now() - t;
    }
  };
  run(10); // warm-up
  for (const r of [...rows, other]) r.forwardMs = r.backwardMs = 0;
  run(batches);
  return [...rows, other].map((r) => ({
    module: r.module,
    forwardMs: r.forwardMs / batches,
    backwardMs: r.backwardMs / batches,
  }));
}

/** One run of numpy_train.py. */
export interface NumpyRun {
  model: "mlp" | "cnn_im2col" | "cnn_loops";
  samples: number;
  seconds: number[];
  seconds_per_epoch: number;
  loss: number[];
}

/** What numpy_train.py reports, or why it did not run. */
export type NumpyResult =
  | { ok: true; numpy: string; scipy: boolean; blas: Record<string, unknown>; results: NumpyRun[] }
  | { ok: false; reason: string };

/** Runs bench/numpy_train.py on `split` with the given runs, under `python` (default `python3`). */
export async function timeNumpy(
  split: MnistSplit,
  runs: { model: NumpyRun["model"]; samples?: number; epochs: number }[],
  python = "python3",
): Promise<NumpyResult> {
  const n = split.digits.length;
  const header = new TextEncoder().encode(
    JSON.stringify({
      n,
      batch: BENCH.batch,
      learning_rate: BENCH.learningRate,
      momentum: BENCH.momentum,
      seed: 0,
      runs,
    }) + "\n",
  );
  const pixels = new Uint8Array(split.images.data.buffer, split.images.data.byteOffset, n * 784 * 8);
  const run = await runNumpyScript("numpy_train.py", [header, pixels, Uint8Array.from(split.digits)], python);
  if (!run.ok) return { ok: false, reason: run.reason };
  const report = JSON.parse(run.stdout);
  return { ok: true, ...report };
}

/** The bench's findings: our times, numpy's, and each target's ratio. */
export interface TrainBenchResult {
  ours: { mlp: OursResult; cnn: OursResult };
  numpy: NumpyResult;
  checks: { name: string; ratio: number; target: string; pass: boolean }[];
}

/** Runs both sides and compares them. `quick` times fewer epochs. */
export async function runTrainBench(
  quick = false,
  log: (line: string) => void = console.log,
): Promise<TrainBenchResult> {
  const data = loadMnist({ train: BENCH.samples, validation: 0, test: 0, seed: 0 });
  log(`training speed, ${BENCH.samples} MNIST digits per epoch, batch ${BENCH.batch}, SGD with momentum`);
  log("ours (solutions/): timing the MLP…");
  const mlp = timeOurs(MLP, data.train, quick ? 2 : 3);
  log("ours (solutions/): timing the CNN…");
  const cnn = timeOurs(CNN, data.train, quick ? 1 : 2);
  log("numpy (bench/numpy_train.py, single-thread OpenBLAS): timing MLP, CNN im2col, CNN loops…");
  const numpy = await timeNumpy(data.train, [
    { model: "mlp", epochs: quick ? 2 : 3 },
    { model: "cnn_im2col", epochs: quick ? 1 : 2 },
    { model: "cnn_loops", samples: quick ? 160 : 640, epochs: 1 },
  ]);
  const checks: TrainBenchResult["checks"] = [];
  const rows: string[][] = [[
    "model",
    "ours s/epoch",
    "numpy s/epoch",
    "(issue's numpy)",
    "ratio",
    "target",
    "",
  ]];
  const fmt = (x: number) => x.toFixed(3);
  if (numpy.ok) {
    const by = (m: NumpyRun["model"]) => numpy.results.find((r) => r.model === m)!;
    const [npMlp, npIm2col, npLoops] = [by("mlp"), by("cnn_im2col"), by("cnn_loops")];
    const add = (
      name: string,
      ours: number,
      np: NumpyRun,
      issue: number,
      ratio: number,
      target: string,
      pass: boolean,
    ) => {
      checks.push({ name, ratio, target, pass });
      const scaled = np.samples < BENCH.samples ? ` (from ${np.samples})` : "";
      rows.push([
        name,
        fmt(ours),
        fmt(np.seconds_per_epoch) + scaled,
        fmt(issue),
        ratio.toFixed(2),
        target,
        pass ? "ok" : "MISSED",
      ]);
    };
    add(
      "MLP 784-100-10",
      mlp.secondsPerEpoch,
      npMlp,
      ISSUE_NUMPY.mlp,
      mlp.secondsPerEpoch / npMlp.seconds_per_epoch,
      `ours/numpy ≤ ${TARGETS.mlpVsNumpy}`,
      mlp.secondsPerEpoch / npMlp.seconds_per_epoch <= TARGETS.mlpVsNumpy,
    );
    add(
      "CNN vs numpy im2col",
      cnn.secondsPerEpoch,
      npIm2col,
      ISSUE_NUMPY.cnn_im2col,
      cnn.secondsPerEpoch / npIm2col.seconds_per_epoch,
      `ours/numpy ≤ ${TARGETS.cnnVsIm2col}`,
      cnn.secondsPerEpoch / npIm2col.seconds_per_epoch <= TARGETS.cnnVsIm2col,
    );
    add(
      "CNN vs numpy loops",
      cnn.secondsPerEpoch,
      npLoops,
      ISSUE_NUMPY.cnn_loops,
      npLoops.seconds_per_epoch / cnn.secondsPerEpoch,
      `numpy/ours ≥ ${TARGETS.loopsVsCnn}`,
      npLoops.seconds_per_epoch / cnn.secondsPerEpoch >= TARGETS.loopsVsCnn,
    );
    log(
      `numpy ${numpy.numpy}, scipy ${
        numpy.scipy ? "yes (correlate2d loops)" : "missing (numpy-only loops)"
      }, BLAS ${JSON.stringify(numpy.blas)}`,
    );
  } else {
    rows.push(["MLP 784-100-10", fmt(mlp.secondsPerEpoch), "skipped", fmt(ISSUE_NUMPY.mlp), "-", "-", ""]);
    rows.push([
      "CNN 8/16 channels",
      fmt(cnn.secondsPerEpoch),
      "skipped",
      fmt(ISSUE_NUMPY.cnn_im2col),
      "-",
      "-",
      "",
    ]);
    log(`numpy skipped: ${numpy.reason}; ours only (the issue's numpy figures are shown for scale)`);
  }
  const widths = rows[0].map((_, j) => Math.max(...rows.map((r) => r[j].length)));
  for (const r of rows) {
    log(r.map((c, j) => (j === 0 ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join("  ").trimEnd());
  }
  return { ours: { mlp, cnn }, numpy, checks };
}

/** The profile as a table, with each row's share of the step. */
export function formatProfile(profile: ModuleProfile[]): string {
  const total = profile.reduce((s, r) => s + r.forwardMs + r.backwardMs, 0);
  const lines = [`${"module".padEnd(48)} forward ms  backward ms  share`];
  for (const r of profile) {
    lines.push(
      `${r.module.slice(0, 48).padEnd(48)} ${r.forwardMs.toFixed(3).padStart(10)}  ${
        r.backwardMs.toFixed(3).padStart(11)
      }  ${(100 * (r.forwardMs + r.backwardMs) / total).toFixed(1).padStart(4)}%`,
    );
  }
  lines.push(`${"total per batch".padEnd(48)} ${total.toFixed(3).padStart(10)} ms`);
  return lines.join("\n");
}

if (import.meta.main) {
  if (Deno.args.includes("--profile")) {
    const data = loadMnist({ train: BENCH.samples, validation: 0, test: 0, seed: 0 });
    for (const arch of [MLP, CNN]) {
      console.log(`\n${arch.model}, batch ${BENCH.batch}, ms per batch:`);
      console.log(formatProfile(profileModules(arch, data.train, arch.model === "cnn" ? 40 : 200)));
    }
    Deno.exit(0);
  }
  const result = await runTrainBench(Deno.args.includes("--quick"));
  if (Deno.args.includes("--strict") && result.checks.some((c) => !c.pass)) Deno.exit(1);
}
