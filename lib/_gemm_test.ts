import assert from "node:assert/strict";
import { gemm, gemmBackend, gemmNaive, gemmTs } from "./_gemm.ts";

type Gemm = typeof gemm;

/** A tiny seeded generator (LCG), uniform in [-1, 1). */
function _random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 31 - 1;
  };
}

function _randomArray(length: number, next: () => number): Float64Array {
  const x = new Float64Array(length);
  for (let i = 0; i < length; i++) x[i] = next();
  return x;
}

/**
 * Checks `impl` against gemmNaive. The error of C[i, j] is measured relative to
 * Σₚ |A[i, p]|·|B[p, j]|, the scale of the rounding error of a dot product, so that an element
 * that cancels to nearly zero is not held to an impossible relative precision.
 */
function _assertMatchesNaive(
  impl: Gemm,
  m: number,
  k: number,
  n: number,
  transA: boolean,
  transB: boolean,
  seed: number,
): void {
  const next = _random(seed);
  const a = _randomArray(m * k, next), b = _randomArray(k * n, next);
  const got = new Float64Array(m * n).fill(NaN), expected = new Float64Array(m * n);
  const scale = new Float64Array(m * n);
  impl(a, b, got, m, k, n, transA, transB);
  gemmNaive(a, b, expected, m, k, n, transA, transB);
  gemmNaive(a.map(Math.abs), b.map(Math.abs), scale, m, k, n, transA, transB);
  for (let i = 0; i < m * n; i++) {
    const error = Math.abs(got[i] - expected[i]) / (scale[i] || 1);
    if (!(error <= 1e-12)) {
      assert.fail(
        `C at [${Math.floor(i / n)}, ${i % n}] of [${m}, ${k}]·[${k}, ${n}] ` +
          `(transA ${transA}, transB ${transB}): got ${got[i]}, expected ${expected[i]} ` +
          `(rel. error ${error.toExponential(1)}, seed ${seed})`,
      );
    }
  }
}

const _SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [1, 5, 1],
  [5, 1, 7],
  [2, 3, 4],
  [4, 4, 4],
  [4, 2, 8],
  [7, 13, 5],
  [13, 7, 5],
  [5, 13, 7],
  [17, 31, 19],
  [33, 2, 9],
  [1, 300, 3],
  [64, 64, 64],
  [32, 100, 37],
  [130, 257, 67],
  [131, 600, 9],
];

const _TRANSPOSES: [boolean, boolean][] = [[false, false], [true, false], [false, true], [
  true,
  true,
]];

const _IMPLS: [string, Gemm][] = [["gemm", gemm], ["gemmTs", gemmTs]];

Deno.test("gemm() uses the WebAssembly SIMD kernel in Deno", () => {
  assert.equal(gemmBackend, "wasm-simd");
});

Deno.test("gemm() and gemmTs() match gemmNaive on fixed shapes", async (t) => {
  for (const [name, impl] of _IMPLS) {
    await t.step(name, () => {
      let seed = 1;
      for (const [m, k, n] of _SHAPES) {
        for (const [transA, transB] of _TRANSPOSES) {
          _assertMatchesNaive(impl, m, k, n, transA, transB, seed++);
        }
      }
    });
  }
});

Deno.test("gemm() and gemmTs() match gemmNaive on random shapes", async (t) => {
  for (const [name, impl] of _IMPLS) {
    await t.step(name, () => {
      const next = _random(2024);
      for (let trial = 0; trial < 40; trial++) {
        const [m, k, n] = [0, 0, 0].map(() => 1 + Math.floor((next() + 1) * 20));
        const [transA, transB] = _TRANSPOSES[trial % 4];
        _assertMatchesNaive(impl, m, k, n, transA, transB, 100 + trial);
      }
    });
  }
});

Deno.test("gemm() matches gemmNaive on the convolution shapes of its unpacked paths", () => {
  // Small m or k with B untransposed reads B as it is; A·Bᵀ with few rows of A or B takes the
  // row-dot kernel. Odd k, m and n off a multiple of 2 or 4, and sizes either side of 16.
  const shapes: [number, number, number][] = [
    [8, 9, 200],
    [9, 8, 101],
    [8, 301, 9],
    [16, 72, 50],
    [72, 16, 49],
    [16, 49, 72],
    [3, 5, 17],
    [16, 17, 20],
    [17, 16, 21],
    [2, 33, 16],
    [1, 7, 3],
  ];
  let seed = 900;
  for (const [m, k, n] of shapes) {
    for (const [transA, transB] of _TRANSPOSES) _assertMatchesNaive(gemm, m, k, n, transA, transB, seed++);
  }
});

Deno.test("gemm() and gemmTs() handle empty dimensions", async (t) => {
  for (const [name, impl] of _IMPLS) {
    await t.step(`${name}: m or n is 0 leaves C alone`, () => {
      const c = new Float64Array([7, 7]);
      impl(new Float64Array(0), new Float64Array(6), c, 0, 3, 2, false, false);
      impl(new Float64Array(6), new Float64Array(0), c, 2, 3, 0, false, false);
      assert.deepEqual([...c], [7, 7]);
    });
    await t.step(`${name}: k is 0 gives zeros`, () => {
      const c = new Float64Array([7, 7, 7, 7, 7, 7, 9]);
      impl(new Float64Array(0), new Float64Array(0), c, 2, 0, 3, false, true);
      assert.deepEqual([...c], [0, 0, 0, 0, 0, 0, 9]);
    });
  }
});

Deno.test("gemm() and gemmTs() overwrite C instead of accumulating", async (t) => {
  for (const [name, impl] of _IMPLS) {
    await t.step(name, () => {
      const a = new Float64Array([1, 2, 3, 4, 5, 6]); // [2, 3]
      const b = new Float64Array([1, 0, 0, 1, 1, 1]); // [3, 2]
      const c = new Float64Array([100, 100, 100, 100]);
      impl(a, b, c, 2, 3, 2, false, false);
      assert.deepEqual([...c], [4, 5, 10, 11]);
      impl(a, b, c, 2, 3, 2, false, false);
      assert.deepEqual([...c], [4, 5, 10, 11]);
    });
  }
});

Deno.test("gemm() and gemmTs() read and write subarray views at their offsets", async (t) => {
  for (const [name, impl] of _IMPLS) {
    for (const [transA, transB] of _TRANSPOSES) {
      await t.step(`${name}, transA ${transA}, transB ${transB}`, () => {
        const [m, k, n] = [9, 11, 6];
        const next = _random(77);
        const aBuffer = _randomArray(m * k + 10, next), bBuffer = _randomArray(k * n + 10, next);
        const a = aBuffer.subarray(3, 3 + m * k), b = bBuffer.subarray(5, 5 + k * n);
        const cBuffer = new Float64Array(m * n + 8).fill(-1);
        const c = cBuffer.subarray(4, 4 + m * n);
        impl(a, b, c, m, k, n, transA, transB);
        const expected = new Float64Array(m * n);
        gemmNaive(a.slice(), b.slice(), expected, m, k, n, transA, transB);
        for (let i = 0; i < m * n; i++) assert.ok(Math.abs(c[i] - expected[i]) < 1e-12);
        assert.deepEqual([...cBuffer.subarray(0, 4)], [-1, -1, -1, -1]);
        assert.deepEqual([...cBuffer.subarray(4 + m * n)], [-1, -1, -1, -1]);
      });
    }
  }
});

Deno.test("gemm() zeroes its padding even after a call that left NaN behind", () => {
  // Fill the kernel's scratch memory with NaN, then multiply shapes whose padding (rows past a
  // multiple of 4, an odd k) would read that memory if it were not zeroed.
  const big = new Float64Array(200 * 200).fill(NaN);
  gemm(big, big, new Float64Array(200 * 200), 200, 200, 200, false, false);
  let seed = 500;
  for (const [m, k, n] of [[5, 7, 3], [3, 1, 6], [10, 9, 11], [1, 3, 1]]) {
    for (const [transA, transB] of _TRANSPOSES) {
      _assertMatchesNaive(gemm, m, k, n, transA, transB, seed++);
    }
  }
});

Deno.test("gemm() and gemmTs() propagate Inf and NaN from their inputs", async (t) => {
  for (const [name, impl] of _IMPLS) {
    await t.step(name, () => {
      const a = new Float64Array([Infinity, 1, 1, 1]); // [2, 2]
      const b = new Float64Array([1, 1, NaN, 1]); // [2, 2]
      const c = new Float64Array(4);
      impl(a, b, c, 2, 2, 2, false, false);
      assert.ok(Number.isNaN(c[0]) && c[1] === Infinity && Number.isNaN(c[2]) && c[3] === 2);
    });
  }
});

Deno.test("gemm() and gemmTs() reject arrays too short for their shape", async (t) => {
  for (const [name, impl] of _IMPLS) {
    await t.step(name, () => {
      const x = new Float64Array(6);
      assert.throws(
        () => impl(new Float64Array(5), x, x, 2, 3, 2, false, false),
        new TypeError("Cannot multiply matrices: A has 5 elements, expected 6 for [2, 3]"),
      );
      assert.throws(() => impl(x, x, new Float64Array(3), 2, 3, 2, false, false), TypeError);
      assert.throws(() => impl(x, x, x, 2, 3, -1, false, false), RangeError);
      assert.throws(() => impl(x, x, x, 2, 1.5, 2, false, false), RangeError);
    });
  }
});

Deno.test("gemm with accumulate adds exactly the product it would have written, on every path", () => {
  // Shapes that reach the dot-product path (small m or n with transB), the direct path (small m
  // or k), the packed path, k = 0, and odd sizes that leave padding.
  const shapes: [number, number, number][] = [[3, 5, 7], [32, 784, 100], [100, 32, 784], [8, 9, 300], [
    17,
    0,
    5,
  ]];
  for (const [m, k, n] of shapes) {
    for (const [transA, transB] of [[false, false], [true, false], [false, true], [true, true]]) {
      const next = _random(m * 1000 + k * 10 + n);
      const a = _randomArray(m * k, next), b = _randomArray(k * n, next);
      const start = _randomArray(m * n, next);
      const product = new Float64Array(m * n);
      gemm(a, b, product, m, k, n, transA, transB);
      const c = start.slice();
      gemm(a, b, c, m, k, n, transA, transB, true);
      const where = `m=${m} k=${k} n=${n} transA=${transA} transB=${transB}`;
      for (let i = 0; i < m * n; i++) assert.equal(c[i], start[i] + product[i], `${where}, element ${i}`);
    }
  }
});
