/**
 * Elementwise, reduction and copy throughput of `Tensor`, in millions of
 * input elements per second, against numpy on the same operations and shapes
 * when python3 with numpy is present (run single-threaded by
 * `bench/numpy_elementwise.py`).
 *
 * Run: `deno run --allow-read --allow-run --allow-env bench/tensor_bench.ts`
 * (or `deno task bench tensor`). Each figure is the median of {@link SAMPLES}
 * timed samples after {@link WARMUP_MS} ms of warm-up; a sample repeats the
 * call (on {@link INPUTS} different inputs in turn) until it lasts
 * {@link MIN_SAMPLE_MS} ms. Every operation allocates its result, as in
 * numpy's `x + y`. On a busy machine the figures move by ±30%: compare
 * ratios from one run, or repeat.
 *
 * @module
 */

import { Tensor } from "../lib/tensor.ts";
import { permutation, seed } from "../lib/random.ts";
import { median } from "./_median.ts";
import { runNumpyScript } from "./_numpy.ts";

/** Timed samples per figure (the median is reported). */
export const SAMPLES = 7;

/** Shortest duration of one sample, in milliseconds (long enough to average over garbage collections). */
export const MIN_SAMPLE_MS = 20;

/** Warm-up before timing, in milliseconds: JIT tiers and the garbage collector's heap sizing settle. */
export const WARMUP_MS = 100;

/** The main operand rotates through this many tensors, so branch predictors cannot learn one input. */
export const INPUTS = 4;

/** The seed of the benchmark data. */
const SEED = 1;

/** One benchmarked operation, by the name numpy_elementwise.py knows it by. */
export interface Case {
  /** Operation name, shared with numpy_elementwise.py. */
  op: string;
  /** Shape of the main operand `x`. */
  shape: number[];
}

/** The 2-D sizes: an MNIST batch and a larger layer. */
const _SIZES = [[32, 784], [256, 1024]];

/** Operations timed on every 2-D size. */
const _OPS_2D = [
  "add",
  "add scalar",
  "add row-broadcast",
  "add column-broadcast",
  "sub column-broadcast",
  "mul",
  "exp",
  "maximum",
  "maximum scalar",
  "sum axis 0",
  "sum axis 1",
  "sum all",
  "max axis 0",
  "max axis 1",
  "max all",
  "argmax axis 1",
  "transpose",
  "pad",
  "take rows",
];

/** Operations timed on a convolution-sized 4-D batch. */
const _OPS_4D = ["add channel-broadcast", "pad", "sum axes 0,2,3", "transpose 1,0,2,3"];

/** Every case, in the order they are printed. */
export const CASES: Case[] = [
  ..._SIZES.flatMap((shape) => _OPS_2D.map((op) => ({ op, shape }))),
  ..._OPS_4D.map((op) => ({ op, shape: [32, 16, 28, 28] })),
];

/** A closure running `c.op` once on the `i`-th prepared input (modulo {@link INPUTS}). */
function _prepare(c: Case): (i: number) => unknown {
  const inputs = Array.from({ length: INPUTS }, () => Tensor.uniform(c.shape, -1, 1));
  const op = _operation(c);
  return (i) => op(inputs[i % INPUTS]);
}

/** `c.op` as a function of the main operand `x`; the other operands are drawn here. */
function _operation(c: Case): (x: Tensor) => unknown {
  const y = Tensor.uniform(c.shape, -1, 1);
  const n = c.shape[0];
  const last = c.shape[c.shape.length - 1];
  const row = Tensor.uniform([last], -1, 1);
  const col = Tensor.uniform([n, 1], -1, 1);
  const channel = Tensor.uniform([1, c.shape[1], 1, 1], -1, 1);
  const rows = permutation(n);
  switch (c.op) {
    case "add":
      return (x) => x.add(y);
    case "add scalar":
      return (x) => x.add(1.5);
    case "add row-broadcast":
      return (x) => x.add(row);
    case "add column-broadcast":
      return (x) => x.add(col);
    case "sub column-broadcast":
      return (x) => x.sub(col);
    case "add channel-broadcast":
      return (x) => x.add(channel);
    case "mul":
      return (x) => x.mul(y);
    case "exp":
      return (x) => x.exp();
    case "maximum":
      return (x) => x.maximum(y);
    case "maximum scalar":
      return (x) => x.maximum(0);
    case "sum axis 0":
      return (x) => x.sum(0);
    case "sum axis 1":
      return (x) => x.sum(1);
    case "sum all":
      return (x) => x.sum();
    case "sum axes 0,2,3":
      return (x) => x.sum([0, 2, 3]);
    case "max axis 0":
      return (x) => x.max(0);
    case "max axis 1":
      return (x) => x.max(1);
    case "max all":
      return (x) => x.max();
    case "argmax axis 1":
      return (x) => x.argmax(1);
    case "transpose":
      return (x) => x.transpose();
    case "transpose 1,0,2,3":
      return (x) => x.transpose([1, 0, 2, 3]);
    case "pad":
      // Pad the last two axes by one on each side (a 3×3 "same" convolution's padding).
      return (x) => x.pad(c.shape.map((_, k) => (k >= c.shape.length - 2 ? [1, 1] : [0, 0])));
    case "take rows":
      return (x) => x.take(rows, 0);
    default:
      throw new RangeError(`Cannot benchmark: unknown operation "${c.op}"`);
  }
}

/** Median seconds per call of `run`, after warm-up. */
function _measure(run: (i: number) => unknown): number {
  const warmStart = performance.now();
  for (let i = 0; i < 20 || performance.now() - warmStart < WARMUP_MS; i++) run(i);
  let calls = 1;
  for (;;) {
    const start = performance.now();
    for (let i = 0; i < calls; i++) run(i);
    if (performance.now() - start >= MIN_SAMPLE_MS) break;
    calls *= 2;
  }
  const times: number[] = [];
  for (let s = 0; s < SAMPLES; s++) {
    const start = performance.now();
    for (let i = 0; i < calls; i++) run(i);
    times.push((performance.now() - start) / calls);
  }
  return median(times) / 1000;
}

/** M input elements per second of every case. */
export function runTensorBench(cases: Case[] = CASES): number[] {
  seed(SEED);
  return cases.map((c) => {
    const elements = c.shape.reduce((p, d) => p * d, 1);
    return elements / _measure(_prepare(c)) / 1e6;
  });
}

/** numpy's figures per case, or why there are none. */
type _NumpyOutcome = { rates: number[]; about: string } | { note: string };

/** Runs bench/numpy_elementwise.py single-threaded, with OpenBLAS's kernel overrides removed. */
async function _runNumpy(cases: Case[]): Promise<_NumpyOutcome> {
  const request = {
    cases,
    samples: SAMPLES,
    min_sample_seconds: MIN_SAMPLE_MS / 1000,
    warmup_seconds: WARMUP_MS / 1000,
    inputs: INPUTS,
  };
  const run = await runNumpyScript("numpy_elementwise.py", [
    new TextEncoder().encode(JSON.stringify(request)),
  ]);
  if (!run.ok) return { note: `no numpy comparison: ${run.reason}` };
  const report = JSON.parse(run.stdout);
  return { rates: report.rates, about: `numpy ${report.numpy}, single-threaded` };
}

function _fixed(v: number | null, width: number, digits = 0): string {
  return (v === null ? "-" : v.toFixed(digits)).padStart(width);
}

if (import.meta.main) {
  console.log(
    `Tensor throughput, M input elements/s (median of ${SAMPLES}; Deno ${Deno.version.deno}, V8 ${Deno.version.v8})`,
  );
  const ours = runTensorBench();
  const numpy = await _runNumpy(CASES);
  const rates = "rates" in numpy ? numpy.rates : null;
  console.log("rates" in numpy ? `against ${numpy.about}` : numpy.note);
  console.log();
  console.log(
    `${"operation".padEnd(24)}${"shape".padEnd(18)}${"ours".padStart(8)}${"numpy".padStart(8)}${
      "ours/numpy".padStart(12)
    }`,
  );
  CASES.forEach((c, i) => {
    const theirs = rates ? rates[i] : null;
    const ratio = theirs ? ours[i] / theirs : null;
    console.log(
      `${c.op.padEnd(24)}${`[${c.shape.join(", ")}]`.padEnd(18)}${_fixed(ours[i], 8)}${_fixed(theirs, 8)}${
        _fixed(ratio, 12, 2)
      }`,
    );
  });
  if (!rates) console.log("\n(install python3 with numpy to compare: e.g. apt-get install python3-numpy)");
}
