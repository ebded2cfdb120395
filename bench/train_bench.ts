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
 * (`MALLOC_MMAP_THRESHOLD_=268435456 MALLOC_TRIM_THRESHOLD_=536870912`). Why: on these machines a
 * minor page fault costs ~11 µs; numpy makes a fresh array for most operations, and glibc hands
 * freed blocks over 128 KiB back to the kernel (`munmap`, heap trimming), so without those
 * settings the seed's MLP loop faulted ~275 times per step and ran 2–9× slower than numpy can
 * (bench/_numpy.ts). Both sides report their minor page faults per training step, numpy's from
 * getrusage, ours from field 10 of /proc/self/stat (bench/_faults.ts); a line warns when numpy's
 * exceed 5 in any timed epoch.
 *
 * Both sides warm up for an untimed epoch ({@link BENCH}); then each figure is the
 * median of several epochs, taken over rounds that alternate the two sides (ours, then numpy,
 * then ours again…), so a noisy minute hits both, and every ratio is a ratio of those medians.
 * The loops CNN is timed on a part of an epoch in each round and scaled to 8,000 samples (it
 * takes ~30 s per epoch). Then the time of one training step is broken down per module (forward, backward),
 * criterion, optimizer and batch copy, for the MLP and the CNN.
 *
 * Run: `deno run --allow-all bench/train_bench.ts [--quick] [--profile]` (`--quick`: one round, not
 * four; `--profile`: only the breakdown; with less than `--allow-all` Deno will not open
 * /proc/self/stat, and our faults come from getrusage instead). Exits with status 1 when a target
 * is missed.
 *
 * @module
 */

import { seed } from "../lib/random.ts";
import { loadMnist, type MnistSplit } from "../data/mnist.ts";
import * as solutions from "../solutions/mod.ts";
import { type Architecture, buildModel, type LayerSpec } from "../train/architecture.ts";
import type { Kit } from "../train/kit.ts";
import { trainEpoch } from "../train/loop.ts";
import { ownMinorFaults } from "./_faults.ts";
import { median } from "./_median.ts";
import { runNumpyScript } from "./_numpy.ts";

/**
 * Samples per epoch, batch size, untimed warm-up epochs and SGD settings shared by both sides. One
 * warm-up epoch, not a few batches: each side's first epoch grows its heap (V8's or glibc's) to its
 * working set, ~70 page faults per MLP step on ours and ~30 per CNN step on numpy's, ~11 µs each.
 */
export const BENCH = {
  samples: 8000,
  batch: 32,
  warmupEpochs: 1,
  learningRate: 0.01,
  momentum: 0.9,
} as const;

/** The speed targets (issue 10): ours/numpy ratios for the MLP and CNN, numpy loops/ours for the loops. */
export const TARGETS = { mlpVsNumpy: 1.0, cnnVsIm2col: 0.8, loopsVsCnn: 10 } as const;

/** The issue's fair numpy figures on its machine, for scale (s/epoch). */
export const ISSUE_NUMPY = { mlp: 0.138, cnn_im2col: 2.5, cnn_loops: 29 } as const;

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
  /** Where the faults were counted: /proc/self/stat, getrusage, or null for nowhere. */
  faultSource: string | null;
  loss: number[];
}

/** Times `epochs` epochs of `arch` with the reference solutions, after {@link BENCH}.warmupEpochs untimed ones. */
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
  // Warm up (JIT, WebAssembly tier-up, heap growth), so the first timed epoch is not penalised.
  for (let e = 0; e < BENCH.warmupEpochs; e++) {
    trainEpoch(model, criterion, optimizer, images, split.labels, BENCH.batch);
  }
  const seconds: number[] = [];
  const loss: number[] = [];
  const faultsPerStep: (number | null)[] = [];
  let faultSource: string | null = null;
  const steps = Math.ceil(split.digits.length / BENCH.batch);
  for (let e = 0; e < epochs; e++) {
    const before = ownMinorFaults();
    const start = performance.now();
    loss.push(trainEpoch(model, criterion, optimizer, images, split.labels, BENCH.batch));
    seconds.push((performance.now() - start) / 1000);
    const after = ownMinorFaults();
    const counted = before !== null && after !== null && before.source === after.source;
    faultsPerStep.push(counted ? (after.faults - before.faults) / steps : null);
    if (counted) faultSource = after.source;
  }
  return { seconds, secondsPerEpoch: median(seconds), faultsPerStep, faultSource, loss };
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
  // Beside the modules: the criterion (forward, backward), the optimizer (zeroGradParameters before
  // the forward pass, sgdMomentum after the backward) and the copy of the batch out of the split.
  const loss = { module: "ClassNLLCriterion", forwardMs: 0, backwardMs: 0 };
  const step = { module: "optimizer: zeroGradParameters | sgdMomentum", forwardMs: 0, backwardMs: 0 };
  const copy = { module: "batch copy (take)", forwardMs: 0, backwardMs: 0 };
  const extra = [loss, step, copy];
  const images = arch.model === "cnn" ? split.images.reshape([-1, 1, 28, 28]) : split.images;
  const config = { learningRate: BENCH.learningRate, momentum: BENCH.momentum };
  const state = {};
  const run = (count: number) => {
    for (let b = 0; b < count; b++) {
      const idx = Array.from({ length: BENCH.batch }, (_, i) => (b * BENCH.batch + i) % split.digits.length);
      let t = performance.now();
      const x = images.take(idx, 0);
      const y = split.labels.take(idx, 0);
      copy.forwardMs += performance.now() - t;
      t = performance.now();
      model.zeroGradParameters();
      step.forwardMs += performance.now() - t;
      const out = model.forward(x);
      t = performance.now();
      criterion.forward(out, y);
      loss.forwardMs += performance.now() - t;
      t = performance.now();
      const g = criterion.backward(out, y);
      loss.backwardMs += performance.now() - t;
      model.backward(x, g);
      t = performance.now();
      kit.sgdMomentum(model.getParameters(), model.getGradParameters(), config, state);
      step.backwardMs += performance.now() - t;
    }
  };
  run(10); // warm-up
  for (const r of [...rows, ...extra]) r.forwardMs = r.backwardMs = 0;
  run(batches);
  return [...rows, ...extra].map((r) => ({
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
      warmup_epochs: BENCH.warmupEpochs,
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
    faultSource: runs.find((r) => r.faultSource !== null)?.faultSource ?? null,
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

/** A side's faults per step over its timed epochs: "median (max)", or "n/a" where none were counted. */
function _faults(values: readonly (number | null)[]): string {
  const known = values.filter((v): v is number => v !== null);
  return known.length === 0 ? "n/a" : `${median(known).toFixed(1)} (max ${Math.max(...known).toFixed(1)})`;
}

/**
 * The verdict table: per target the medians of both sides (s/epoch, with how many epochs each),
 * the ratio of the medians, the target and PASS or MISSED.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatChecks, judge } from "./train_bench.ts";
 * const checks = judge({ mlp: 0.2, cnn: 1 }, { mlp: 0.1, cnn_im2col: 2, cnn_loops: 30 });
 * const table = formatChecks(checks, [[0.2, 6, 0.1, 6], [1, 3, 2, 3], [1, 3, 30, 1]]);
 * assert.match(table, /^MLP 784-100-10 .* 2\.00 .* MISSED$/m);
 * assert.match(table, /^CNN vs numpy im2col .* 0\.50 .* PASS$/m);
 * ```
 */
export function formatChecks(checks: TrainCheck[], medians: [number, number, number, number][]): string {
  const rows = [["target", "ours s/epoch", "numpy s/epoch", "ratio", "needed", ""]];
  checks.forEach((c, i) => {
    const [ours, nOurs, numpy, nNumpy] = medians[i];
    rows.push([
      c.name,
      `${ours.toFixed(3)} (n=${nOurs})`,
      `${numpy.toFixed(3)} (n=${nNumpy})`,
      c.ratio.toFixed(2),
      c.target,
      c.pass ? "PASS" : "MISSED",
    ]);
  });
  const widths = rows[0].map((_, j) => Math.max(...rows.map((r) => r[j].length)));
  return rows
    .map((r) => r.map((c, j) => (j === 0 ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join("  ").trimEnd())
    .join("\n");
}

/**
 * Runs both sides in alternating rounds (ours, numpy, ours, numpy…) and compares the medians.
 * `quick` runs one round.
 */
export async function runTrainBench(
  quick = false,
  log: (line: string) => void = console.log,
): Promise<TrainBenchResult> {
  const data = loadMnist({ train: BENCH.samples, validation: 0, test: 0, seed: 0 });
  // Short rounds, so that the sides alternate often: 8 MLP and 4 CNN epochs per side in all.
  const rounds = quick ? 1 : 4;
  const epochs = { mlp: 2, cnn: 1 };
  log(
    `training speed, ${BENCH.samples} MNIST digits per epoch, batch ${BENCH.batch}, SGD with momentum; ` +
      `${rounds} round(s) of ours then numpy after ${BENCH.warmupEpochs} warm-up epoch(s), medians of ${
        rounds * epochs.mlp
      } MLP and ${rounds * epochs.cnn} CNN epochs per side`,
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
    log(`round ${round}/${rounds}: numpy (bench/numpy_train.py), MLP, CNN im2col, CNN loops…`);
    // The loops CNN takes ~30 s an epoch: each round times a part of one, scaled to the whole.
    const result = await timeNumpy(data.train, [
      { model: "mlp", epochs: epochs.mlp },
      { model: "cnn_im2col", epochs: epochs.cnn },
      { model: "cnn_loops", samples: quick ? 160 : 320, epochs: 1 },
    ]);
    if (!result.ok) {
      numpyFailure = result.reason;
      continue;
    }
    const { results, ok: _, ...about } = result;
    numpyAbout = about;
    numpyRuns.push(results);
  }
  const mlp = _poolOurs(ours.mlp), cnn = _poolOurs(ours.cnn);
  log(
    `ours, reference solutions: MLP ${mlp.secondsPerEpoch.toFixed(3)} s/epoch, CNN ${
      cnn.secondsPerEpoch.toFixed(3)
    } s/epoch (medians; the issue's numpy: MLP ${ISSUE_NUMPY.mlp}, CNN im2col ${ISSUE_NUMPY.cnn_im2col}, ` +
      `CNN loops ${ISSUE_NUMPY.cnn_loops})`,
  );
  const oursFaults = `ours MLP ${_faults(mlp.faultsPerStep)}, CNN ${_faults(cnn.faultsPerStep)} (${
    mlp.faultSource ?? "not counted"
  })`;
  if (numpyFailure !== null || numpyAbout === null) {
    const numpy: NumpyResult = { ok: false, reason: numpyFailure ?? "numpy did not run" };
    log(`minor page faults per step, median (max): ${oursFaults}`);
    log(`numpy skipped: ${numpy.reason}; targets not judged`);
    return { ours: { mlp, cnn }, numpy, checks: [] };
  }
  const pooled = (m: NumpyRun["model"]) =>
    _poolNumpy(numpyRuns.flatMap((rs) => rs.filter((r) => r.model === m)), BENCH.samples);
  const [npMlp, npIm2col, npLoops] = [pooled("mlp"), pooled("cnn_im2col"), pooled("cnn_loops")];
  const numpy: NumpyResult = { ok: true, ...numpyAbout, results: [npMlp, npIm2col, npLoops] };
  log(
    `numpy ${numpyAbout.numpy}, scipy ${
      numpyAbout.scipy ? "yes (correlate2d loops)" : "missing (numpy-only loops)"
    }, BLAS ${JSON.stringify(numpyAbout.blas)}; the loops CNN timed on ${npLoops.samples} samples, scaled`,
  );
  log(
    `minor page faults per step, median (max): ${oursFaults}; numpy MLP ${
      _faults(npMlp.faults_per_step)
    }, CNN im2col ${_faults(npIm2col.faults_per_step)} (getrusage)`,
  );
  const npFaults = [...npMlp.faults_per_step, ...npIm2col.faults_per_step];
  if (npFaults.some((f) => f > 5)) {
    log(
      "WARNING: numpy took more than 5 page faults per step in a timed epoch: its baseline is slowed " +
        "by the kernel, not fair (are the MALLOC_* settings of bench/_numpy.ts reaching it?)",
    );
  }
  const checks = judge(
    { mlp: mlp.secondsPerEpoch, cnn: cnn.secondsPerEpoch },
    {
      mlp: npMlp.seconds_per_epoch,
      cnn_im2col: npIm2col.seconds_per_epoch,
      cnn_loops: npLoops.seconds_per_epoch,
    },
  );
  log(
    formatChecks(checks, [
      [mlp.secondsPerEpoch, mlp.seconds.length, npMlp.seconds_per_epoch, npMlp.seconds.length],
      [cnn.secondsPerEpoch, cnn.seconds.length, npIm2col.seconds_per_epoch, npIm2col.seconds.length],
      [cnn.secondsPerEpoch, cnn.seconds.length, npLoops.seconds_per_epoch, npLoops.seconds.length],
    ]),
  );
  return { ours: { mlp, cnn }, numpy, checks };
}

/** The profile as a table, with each row's share of the step. */
export function formatProfile(profile: ModuleProfile[]): string {
  const total = profile.reduce((s, r) => s + r.forwardMs + r.backwardMs, 0);
  const width = Math.max("total per batch".length, ...profile.map((r) => r.module.length));
  const lines = [`${"module".padEnd(width)}  forward ms  backward ms  share`];
  for (const r of profile) {
    lines.push(
      `${r.module.padEnd(width)}  ${r.forwardMs.toFixed(3).padStart(10)}  ${
        r.backwardMs.toFixed(3).padStart(11)
      }  ${(100 * (r.forwardMs + r.backwardMs) / total).toFixed(1).padStart(4)}%`,
    );
  }
  lines.push(`${"total per batch".padEnd(width)}  ${total.toFixed(3).padStart(10)} ms`);
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
