/**
 * Matmul benchmark: GFLOP/s of `Tensor.matmul` (what a student's module calls: checks, a fresh
 * result tensor, then gemm), of gemm itself (WebAssembly SIMD), gemmTs (TypeScript fallback) and
 * gemmNaive on the kit's shapes, for all four transpose combinations, against numpy's
 * single-threaded matmul on the same shapes when python3 with numpy is present.
 *
 * A shape with a target must reach it through both `Tensor.matmul` and gemm, in every transpose
 * combination: 256³ ≥ 18 GFLOP/s, the MNIST Linear layer's three products ≥ 10.
 *
 * Run: `deno run --allow-run --allow-env --allow-read bench/gemm_bench.ts` (exits with status 1
 * when a target is missed). Each figure is the median of
 * {@link SAMPLES} timed samples after warm-up; a sample repeats the call until it lasts
 * {@link MIN_SAMPLE_MS} ms.
 *
 * @module
 */

import { gemm, gemmBackend, gemmNaive, gemmTs } from "../lib/_gemm.ts";
import { Tensor } from "../lib/tensor.ts";
import { median } from "./_median.ts";
import { runNumpyScript } from "./_numpy.ts";

/** Timed samples per figure (the median is reported). */
export const SAMPLES = 7;

/** Shortest duration of one sample, in milliseconds. */
export const MIN_SAMPLE_MS = 5;

/** Naive loops run only on shapes with at most this many multiply-adds. */
const _NAIVE_MAX_MACS = 4_000_000;

/** A benchmarked shape: C[m, n] = op(A)[m, k]·op(B)[k, n]. */
export interface GemmShape {
  /** What the shape stands for. */
  name: string;
  m: number;
  k: number;
  n: number;
  /** GFLOP/s gemm must reach in every transpose combination, if this shape has a target. */
  target?: number;
  /** The one [transA, transB] combination to measure, when only that one occurs; else all four. */
  op?: [boolean, boolean];
}

/**
 * The shapes measured: targets for 256³ and the MNIST Linear layer (forward and backward), and
 * the CNN's convolution products without targets.
 */
export const SHAPES: GemmShape[] = [
  { name: "square 256", m: 256, k: 256, n: 256, target: 18 },
  { name: "MNIST Linear forward", m: 32, k: 784, n: 100, target: 10 },
  { name: "MNIST gradW", m: 100, k: 32, n: 784, target: 10 },
  { name: "MNIST gradInput", m: 32, k: 100, n: 784, target: 10 },
  { name: "square 64", m: 64, k: 64, n: 64 },
  { name: "square 512", m: 512, k: 512, n: 512 },
  // The benchmark CNN's im2col products (bench/train_bench.ts) for a whole batch of 32, in the
  // transposes Conv2d uses: forward Wm·cols, gradInput Wmᵀ·G, gradW G·colsᵀ.
  { name: "CNN conv1 forward", m: 8, k: 9, n: 25088, op: [false, false] },
  { name: "CNN conv1 gradInput", m: 9, k: 8, n: 25088, op: [true, false] },
  { name: "CNN conv1 gradW", m: 8, k: 25088, n: 9, op: [false, true] },
  { name: "CNN conv2 forward", m: 16, k: 72, n: 6272, op: [false, false] },
  { name: "CNN conv2 gradInput", m: 72, k: 16, n: 6272, op: [true, false] },
  { name: "CNN conv2 gradW", m: 16, k: 6272, n: 72, op: [false, true] },
];

const _TRANSPOSES: [boolean, boolean][] = [[false, false], [true, false], [false, true], [true, true]];

/** One row of the table. */
export interface GemmResult {
  shape: GemmShape;
  transA: boolean;
  transB: boolean;
  /** GFLOP/s of Tensor.matmul, gemm, gemmTs, gemmNaive (null when skipped) and numpy (null when unavailable). */
  tensor: number;
  gemm: number;
  gemmTs: number;
  naive: number | null;
  numpy: number | null;
}

function _random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 31 - 1;
  };
}

/** Median GFLOP/s of `run` (which does 2·macs flops), after warm-up. */
function _measure(run: () => void, macs: number): number {
  // Warm up for at least 20 calls and 100 ms, so that V8 has tiered up the JS and wasm code.
  const warmStart = performance.now();
  for (let i = 0; i < 20 || performance.now() - warmStart < 100; i++) run();
  let calls = 1;
  for (;;) {
    const start = performance.now();
    for (let i = 0; i < calls; i++) run();
    if (performance.now() - start >= MIN_SAMPLE_MS) break;
    calls *= 2;
  }
  const times: number[] = [];
  for (let s = 0; s < SAMPLES; s++) {
    const start = performance.now();
    for (let i = 0; i < calls; i++) run();
    times.push((performance.now() - start) / calls);
  }
  return (2 * macs) / (median(times) * 1e6);
}

/** numpy's outcome: GFLOP/s per case, or why there are none. */
type _NumpyOutcome = { gflops: number[]; about: string } | { note: string };

/** Runs bench/numpy_matmul.py single-threaded, with OpenBLAS's kernel overrides removed. */
async function _runNumpy(cases: [number, number, number, boolean, boolean][]): Promise<_NumpyOutcome> {
  const request = new TextEncoder().encode(JSON.stringify({ cases, samples: SAMPLES }));
  const run = await runNumpyScript("numpy_matmul.py", [request]);
  if (!run.ok) return { note: `numpy comparison skipped: ${run.reason}` };
  const report = JSON.parse(run.stdout);
  const blas = report.blas;
  const kernel = blas.corename ? `, kernel ${blas.corename}` : "";
  const threads = blas.threads === undefined ? "" : `, ${blas.threads} thread(s)`;
  const faults = `, at most ${Math.max(0, ...report.faults_per_call).toFixed(2)} page faults per call`;
  return {
    gflops: report.gflops,
    about: `numpy ${report.numpy}, ${
      [blas.name, blas.version].filter(Boolean).join(" ")
    }${kernel}${threads}${faults}`,
  };
}

/** Measures every shape and transpose combination; numpy runs after ours, in a child process. */
export async function runGemmBench(
  shapes: GemmShape[] = SHAPES,
): Promise<{ results: GemmResult[]; numpyAbout: string }> {
  const results: GemmResult[] = [];
  for (const shape of shapes) {
    const { m, k, n } = shape;
    const next = _random(m * 7919 + k * 31 + n);
    const a = new Float64Array(m * k).map(next), b = new Float64Array(k * n).map(next);
    const c = new Float64Array(m * n);
    const macs = m * k * n;
    for (const [transA, transB] of shape.op ? [shape.op] : _TRANSPOSES) {
      const ta = new Tensor(a, transA ? [k, m] : [m, k]), tb = new Tensor(b, transB ? [n, k] : [k, n]);
      results.push({
        shape,
        transA,
        transB,
        tensor: _measure(() => ta.matmul(tb, { transA, transB }), macs),
        gemm: _measure(() => gemm(a, b, c, m, k, n, transA, transB), macs),
        gemmTs: _measure(() => gemmTs(a, b, c, m, k, n, transA, transB), macs),
        naive: macs <= _NAIVE_MAX_MACS
          ? _measure(() => gemmNaive(a, b, c, m, k, n, transA, transB), macs)
          : null,
        numpy: null,
      });
    }
  }
  const numpy = await _runNumpy(results.map((r) => [r.shape.m, r.shape.k, r.shape.n, r.transA, r.transB]));
  if ("gflops" in numpy) results.forEach((r, i) => r.numpy = numpy.gflops[i]);
  return { results, numpyAbout: "gflops" in numpy ? numpy.about : numpy.note };
}

/** The op(A)·op(B) label of a transpose combination. */
function _opLabel(transA: boolean, transB: boolean): string {
  return `${transA ? "Aᵀ" : "A"}·${transB ? "Bᵀ" : "B"}`;
}

function _fixed(x: number | null, digits = 2): string {
  return x === null ? "—" : x.toFixed(digits);
}

/** The results as a Markdown table. */
export function formatGemmTable(results: GemmResult[]): string {
  const header = [
    "shape",
    "m×k×n",
    "op",
    "Tensor.matmul",
    "gemm",
    "gemmTs",
    "naive",
    "numpy",
    "gemm/numpy",
    "gemmTs/numpy",
    "target",
  ];
  const rows = results.map((r) => [
    r.shape.name,
    `${r.shape.m}×${r.shape.k}×${r.shape.n}`,
    _opLabel(r.transA, r.transB),
    _fixed(r.tensor),
    _fixed(r.gemm),
    _fixed(r.gemmTs),
    _fixed(r.naive),
    _fixed(r.numpy),
    r.numpy === null ? "—" : _fixed(r.gemm / r.numpy),
    r.numpy === null ? "—" : _fixed(r.gemmTs / r.numpy),
    r.shape.target === undefined
      ? ""
      : `≥ ${r.shape.target} ${_slowest(r) >= r.shape.target ? "PASS" : "MISSED"}`,
  ]);
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((row) => row[j].length)));
  const line = (cells: string[]) => `| ${cells.map((cell, j) => cell.padEnd(widths[j])).join(" | ")} |`;
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** The slower of Tensor.matmul and gemm on a row: what its target is judged on. */
function _slowest(r: GemmResult): number {
  return Math.min(r.tensor, r.gemm);
}

/**
 * The rows that miss their target, through Tensor.matmul or gemm.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type GemmResult, missedTargets, SHAPES } from "./gemm_bench.ts";
 * const row = (tensor: number, gemm: number): GemmResult =>
 *   ({ shape: SHAPES[0], transA: false, transB: false, tensor, gemm, gemmTs: 1, naive: null, numpy: null });
 * assert.equal(missedTargets([row(25, 25)]).length, 0);
 * assert.equal(missedTargets([row(12, 25)]).length, 1); // the Tensor path counts too
 * ```
 */
export function missedTargets(results: GemmResult[]): GemmResult[] {
  return results.filter((r) => r.shape.target !== undefined && _slowest(r) < r.shape.target);
}

if (import.meta.main) {
  console.log(`gemm backend: ${gemmBackend}; Deno ${Deno.version.deno}, V8 ${Deno.version.v8}`);
  console.log("GFLOP/s, float64, one thread; ratios are ours / numpy\n");
  const { results, numpyAbout } = await runGemmBench();
  console.log(formatGemmTable(results));
  console.log(`\n${numpyAbout}`);
  const missed = missedTargets(results);
  const targeted = results.filter((r) => r.shape.target !== undefined).length;
  if (missed.length === 0) {
    console.log(`PASS: Tensor.matmul and gemm meet their GFLOP/s target in all ${targeted} targeted cases`);
  } else {
    const which = missed.map((r) =>
      `${r.shape.m}×${r.shape.k}×${r.shape.n} ${_opLabel(r.transA, r.transB)} ${
        r.tensor <= r.gemm ? "Tensor.matmul" : "gemm"
      } ${_fixed(_slowest(r))} < ${r.shape.target}`
    );
    console.log(
      `FAIL: Tensor.matmul or gemm misses ${missed.length} of ${targeted} targets: ${which.join("; ")}`,
    );
    Deno.exit(1);
  }
}
