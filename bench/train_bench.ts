/**
 * Training speed against the seed course's numpy, at its best: seconds per epoch of the reference
 * solutions and of `bench/numpy_train.py`, measured in the same run, on the same 8,000 MNIST
 * training digits (data/mnist.ts, split seed 0), the same models and batch 32, and the ratios
 * against the targets:
 *
 * | model | ratio | target |
 * | --- | --- | --- |
 * | MLP 784-100-10 ReLU | ours / numpy | ≤ 1.0 |
 * | CNN Conv 1→8, MaxPool, Conv 8→16, MaxPool, Linear 784→10 | ours / numpy im2col | ≤ 0.8 |
 * | the same CNN | numpy `correlate2d` loops / ours | ≥ 10 |
 *
 * A fair baseline: numpy runs single-threaded (OPENBLAS_NUM_THREADS=1, with OPENBLAS_CORETYPE and
 * OPENBLAS_L2_SIZE removed for that child only) and with glibc's malloc told to reuse freed memory
 * (bench/_numpy.ts says why: on these machines a page fault costs ~11 µs, and numpy's temporaries
 * fault on every step otherwise). Both sides report their minor page faults per training step
 * (getrusage: numpy's `resource`, ours through `node:process`); a line warns when numpy's exceed 5.
 *
 * Each figure is the median of several epochs after a warm-up, taken over rounds that alternate
 * the two sides (ours, then numpy, then ours again…), so a noisy minute hits both. The loops CNN
 * is timed on a part of an epoch and scaled to 8,000 samples (it takes ~30 s per epoch). Then the
 * time of one training step is broken down per module (forward, backward, criterion, optimizer,
 * batch copy), for the MLP and the CNN.
 *
 * Run: `deno run --allow-read --allow-run --allow-env bench/train_bench.ts [--quick] [--profile]`
 * (`--quick`: one round of fewer epochs; `--profile`: only the breakdown). Exits with status 1
 * when a target is missed.
 *
 * @module
 */

import process from "node:process";
import { seed } from "../lib/random.ts";
import { loadMnist, type MnistSplit } from "../data/mnist.ts";
import * as solutions from "../solutions/mod.ts";
import { type Architecture, buildModel, type LayerSpec } from "../train/architecture.ts";
import type { Kit } from "../train/kit.ts";
import { trainEpoch } from "../train/loop.ts";
import { runNumpyScript } from "./_numpy.ts";

/** Samples per epoch, batch size and SGD settings shared by both sides. */
export const BENCH = { samples: 8000, batch: 32, learningRate: 0.01, momentum: 0.9 } as const;

/** The speed targets (issue 10): ours/numpy ratios for the MLP and CNN, numpy loops/ours for the loops. */
export const TARGETS = { mlpVsNumpy: 1.0, cnnVsIm2col: 0.8, loopsVsCnn: 10 } as const;

/** The issue's fair numpy figures on its machine, for scale (s/epoch). */
export const ISSUE_NUMPY = { mlp: 0.138, cnn_im2col: 2.5, cnn_loops: 29 } as const;

/** The median of `values` (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError("median of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * This process's minor page faults so far (getrusage, through `node:process`), or null where the
 * runtime cannot tell.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ownMinorFaults } from "./train_bench.ts";
 * const before = ownMinorFaults()!;
 * new Float64Array(1 << 20).fill(1); // 8 MiB of fresh pages
 * assert.ok(ownMinorFaults()! > before);
 * ```
 */
export function ownMinorFaults(): number | null {
  try {
    return process.resourceUsage().minorPageFault;
  } catch {
    return null;
  }
}

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

/** Seconds of each timed epoch of our side, their median, the faults per step, and the losses. */
export interface OursResult {
  seconds: number[];
  secondsPerEpoch: number;
  /** Minor page faults per training step in each timed epoch (null where the runtime cannot tell). */
  faultsPerStep: (number | null)[];
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
  const faultsPerStep: (number | null)[] = [];
  const steps = Math.ceil(split.digits.length / BENCH.batch);
  for (let e = 0; e < epochs; e++) {
    const faults = ownMinorFaults();
    const start = performance.now();
    loss.push(trainEpoch(model, criterion, optimizer, images, split.labels, BENCH.batch));
    seconds.push((performance.now() - start) / 1000);
    const after = ownMinorFaults();
    faultsPerStep.push(faults === null || after === null ? null : (after - faults) / steps);
  }
  return { seconds, secondsPerEpoch: median(seconds), faultsPerStep, loss };
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
  faults_per_step: number[];
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

/** One target's verdict. */
export interface TrainCheck {
  name: string;
  ratio: number;
  target: string;
  pass: boolean;
}

/** The bench's findings: our times, numpy's, and each target's ratio. */
export interface TrainBenchResult {
  ours: { mlp: OursResult; cnn: OursResult };
  numpy: NumpyResult;
  checks: TrainCheck[];
}

/** Several results of one side, pooled: every epoch's seconds and faults, the median recomputed. */
function _poolOurs(runs: OursResult[]): OursResult {
  const seconds = runs.flatMap((r) => r.seconds);
  return {
    seconds,
    secondsPerEpoch: median(seconds),
    faultsPerStep: runs.flatMap((r) => r.faultsPerStep),
    loss: runs.flatMap((r) => r.loss),
  };
}

/** numpy's runs of one model over several rounds, pooled the same way. */
function _poolNumpy(runs: NumpyRun[], samples: number): NumpyRun {
  const seconds = runs.flatMap((r) => r.seconds);
  return {
    model: runs[0].model,
    samples: runs[0].samples,
    seconds,
    seconds_per_epoch: median(seconds) * samples / runs[0].samples,
    faults_per_step: runs.flatMap((r) => r.faults_per_step ?? []),
    loss: runs.flatMap((r) => r.loss),
  };
}

/** Judges the pooled times against {@link TARGETS}. */
export function judge(
  ours: { mlp: number; cnn: number },
  numpy: { mlp: number; cnn_im2col: number; cnn_loops: number },
): TrainCheck[] {
  const mlp = ours.mlp / numpy.mlp, cnn = ours.cnn / numpy.cnn_im2col, loops = numpy.cnn_loops / ours.cnn;
  return [
    {
      name: "MLP 784-100-10",
      ratio: mlp,
      target: `ours/numpy ≤ ${TARGETS.mlpVsNumpy}`,
      pass: mlp <= TARGETS.mlpVsNumpy,
    },
    {
      name: "CNN vs numpy im2col",
      ratio: cnn,
      target: `ours/numpy ≤ ${TARGETS.cnnVsIm2col}`,
      pass: cnn <= TARGETS.cnnVsIm2col,
    },
    {
      name: "CNN vs numpy loops",
      ratio: loops,
      target: `numpy/ours ≥ ${TARGETS.loopsVsCnn}`,
      pass: loops >= TARGETS.loopsVsCnn,
    },
  ];
}

function _faults(values: readonly (number | null)[]): string {
  const known = values.filter((v): v is number => v !== null);
  return known.length === 0 ? "n/a" : median(known).toFixed(1);
}

/**
 * Runs both sides in alternating rounds and compares the medians. `quick` runs one round of fewer
 * epochs.
 */
export async function runTrainBench(
  quick = false,
  log: (line: string) => void = console.log,
): Promise<TrainBenchResult> {
  const data = loadMnist({ train: BENCH.samples, validation: 0, test: 0, seed: 0 });
  const rounds = quick ? 1 : 2;
  const epochs = { mlp: quick ? 2 : 3, cnn: quick ? 1 : 2 };
  log(
    `training speed, ${BENCH.samples} MNIST digits per epoch, batch ${BENCH.batch}, SGD with momentum; ` +
      `${rounds} round(s) of ours then numpy, medians of ${rounds * epochs.mlp} MLP and ${
        rounds * epochs.cnn
      } CNN epochs per side`,
  );
  const ours: { mlp: OursResult[]; cnn: OursResult[] } = { mlp: [], cnn: [] };
  const numpyRuns: NumpyRun[][] = [];
  let numpyFailure: string | null = null;
  let numpyAbout: Omit<Extract<NumpyResult, { ok: true }>, "results" | "ok"> | null = null;
  for (let round = 1; round <= rounds; round++) {
    log(`round ${round}/${rounds}: ours (solutions/), MLP and CNN…`);
    ours.mlp.push(timeOurs(MLP, data.train, epochs.mlp));
    ours.cnn.push(timeOurs(CNN, data.train, epochs.cnn));
    if (numpyFailure !== null) continue;
    log(
      `round ${round}/${rounds}: numpy (bench/numpy_train.py), MLP, CNN im2col${
        round === 1 ? ", CNN loops" : ""
      }…`,
    );
    const runs: { model: NumpyRun["model"]; samples?: number; epochs: number }[] = [
      { model: "mlp", epochs: epochs.mlp },
      { model: "cnn_im2col", epochs: epochs.cnn },
    ];
    if (round === 1) runs.push({ model: "cnn_loops", samples: quick ? 160 : 640, epochs: 1 });
    const result = await timeNumpy(data.train, runs);
    if (!result.ok) {
      numpyFailure = result.reason;
      continue;
    }
    const { results, ok: _, ...about } = result;
    numpyAbout = about;
    numpyRuns.push(results);
  }
  const mlp = _poolOurs(ours.mlp), cnn = _poolOurs(ours.cnn);
  const fmt = (x: number) => x.toFixed(3);
  const rows: string[][] = [[
    "model",
    "ours s/epoch",
    "numpy s/epoch",
    "(issue's numpy)",
    "ratio",
    "target",
    "",
  ]];
  let checks: TrainCheck[] = [];
  let numpy: NumpyResult;
  if (numpyFailure === null && numpyAbout !== null) {
    const pooled = (m: NumpyRun["model"]) =>
      _poolNumpy(numpyRuns.flatMap((rs) => rs.filter((r) => r.model === m)), BENCH.samples);
    const [npMlp, npIm2col, npLoops] = [pooled("mlp"), pooled("cnn_im2col"), pooled("cnn_loops")];
    numpy = { ok: true, ...numpyAbout, results: [npMlp, npIm2col, npLoops] };
    checks = judge(
      { mlp: mlp.secondsPerEpoch, cnn: cnn.secondsPerEpoch },
      {
        mlp: npMlp.seconds_per_epoch,
        cnn_im2col: npIm2col.seconds_per_epoch,
        cnn_loops: npLoops.seconds_per_epoch,
      },
    );
    const line = (c: TrainCheck, ours: number, np: NumpyRun, issue: number) =>
      rows.push([
        c.name,
        fmt(ours),
        fmt(np.seconds_per_epoch) + (np.samples < BENCH.samples ? ` (from ${np.samples})` : ""),
        fmt(issue),
        c.ratio.toFixed(2),
        c.target,
        c.pass ? "ok" : "MISSED",
      ]);
    line(checks[0], mlp.secondsPerEpoch, npMlp, ISSUE_NUMPY.mlp);
    line(checks[1], cnn.secondsPerEpoch, npIm2col, ISSUE_NUMPY.cnn_im2col);
    line(checks[2], cnn.secondsPerEpoch, npLoops, ISSUE_NUMPY.cnn_loops);
    log(
      `numpy ${numpyAbout.numpy}, scipy ${
        numpyAbout.scipy ? "yes (correlate2d loops)" : "missing (numpy-only loops)"
      }, BLAS ${JSON.stringify(numpyAbout.blas)}`,
    );
    log(
      `minor page faults per step (median): ours MLP ${_faults(mlp.faultsPerStep)}, CNN ${
        _faults(cnn.faultsPerStep)
      }; numpy MLP ${_faults(npMlp.faults_per_step)}, CNN im2col ${_faults(npIm2col.faults_per_step)}`,
    );
    const npFaults = [...npMlp.faults_per_step, ...npIm2col.faults_per_step];
    if (npFaults.length > 0 && median(npFaults) > 5) {
      log(
        "WARNING: numpy takes more than 5 page faults per step: its baseline is slowed by the kernel, not fair",
      );
    }
  } else {
    numpy = { ok: false, reason: numpyFailure ?? "numpy did not run" };
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
    log(
      `numpy skipped: ${numpy.reason}; ours only, targets not judged (the issue's numpy figures are shown for scale)`,
    );
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
  const data = loadMnist({ train: BENCH.samples, validation: 0, test: 0, seed: 0 });
  const breakdown = () => {
    for (const arch of [MLP, CNN]) {
      console.log(
        `\nwhere a training step goes: ${arch.model}, batch ${BENCH.batch}, ms per batch (reference solutions)`,
      );
      console.log(formatProfile(profileModules(arch, data.train, arch.model === "cnn" ? 40 : 200)));
    }
  };
  if (Deno.args.includes("--profile")) {
    breakdown();
    Deno.exit(0);
  }
  const result = await runTrainBench(Deno.args.includes("--quick"));
  breakdown();
  const missed = result.checks.filter((c) => !c.pass);
  if (missed.length > 0) {
    console.log(
      `\nFAIL: ${missed.length} of ${result.checks.length} speed targets missed: ${
        missed.map((c) => `${c.name} ${c.ratio.toFixed(2)} (${c.target})`).join("; ")
      }`,
    );
    Deno.exit(1);
  }
  if (result.checks.length > 0) console.log(`\nPASS: all ${result.checks.length} speed targets met`);
}
