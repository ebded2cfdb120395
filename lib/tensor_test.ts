/**
 * Every Tensor operation checked against a naive reference written here: plain
 * nested arrays read and written through index tuples, one element at a time,
 * with none of the library's helpers. Random cases come from the seeded
 * generator; every failure message prints the seed.
 */

import assert from "node:assert/strict";
import { Tensor } from "./tensor.ts";
import { random, seed } from "./random.ts";

// ------------------------------------------------------------------ reference

/** The seed of every randomised case in this file. */
const SEED = 20_251_128;

/** A reference array: a number (0-d) or nested plain arrays. */
type Nested = number | Nested[];

/** `[2, 3]`, as the library's messages print shapes. */
function sh(shape: readonly unknown[]): string {
  return `[${shape.join(", ")}]`;
}

function sizeOf(shape: readonly number[]): number {
  let p = 1;
  for (const d of shape) p *= d;
  return p;
}

/** Every index tuple of `shape` in row-major order ([] once for a 0-d shape). */
function tuples(shape: readonly number[]): number[][] {
  const out: number[][] = [];
  if (shape.some((d) => d === 0)) return out;
  const idx = shape.map(() => 0);
  for (;;) {
    out.push([...idx]);
    let ax = shape.length - 1;
    for (; ax >= 0; ax--) {
      idx[ax]++;
      if (idx[ax] < shape[ax]) break;
      idx[ax] = 0;
    }
    if (ax < 0) return out;
  }
}

/** The element of `x` at `idx`. */
function at(x: Nested, idx: readonly number[]): number {
  let v = x;
  for (const i of idx) v = (v as Nested[])[i];
  return v as number;
}

/** Nested arrays of `shape` with `f(idx)` at each index. */
function build(shape: readonly number[], f: (idx: number[]) => number, prefix: number[] = []): Nested {
  if (prefix.length === shape.length) return f(prefix);
  const out: Nested[] = [];
  for (let i = 0; i < shape[prefix.length]; i++) out.push(build(shape, f, [...prefix, i]));
  return out;
}

/** The row-major position of `idx` in `shape`. */
function flatIndex(idx: readonly number[], shape: readonly number[]): number {
  let k = 0;
  for (let d = 0; d < shape.length; d++) k = k * shape[d] + idx[d];
  return k;
}

/** A uniform integer in [lo, hi). */
function randInt(lo: number, hi: number): number {
  return lo + Math.floor(random() * (hi - lo));
}

/** A value for test data: often a small integer (so ties and equalities happen), else a real in (-3, 3). */
function draw(): number {
  return random() < 0.3 ? randInt(-2, 3) : (random() * 2 - 1) * 3;
}

function randomShape(rank: number, lo = 1, hi = 5): number[] {
  return Array.from({ length: rank }, () => randInt(lo, hi));
}

/** A random tensor of `shape` and the nested arrays it was built from. */
function randomTensor(shape: readonly number[], f: () => number = draw): { t: Tensor; x: Nested } {
  const x = build(shape, () => f());
  const t = sizeOf(shape) === 0 ? Tensor.zeros(shape) : Tensor.from(x);
  assert.deepEqual(t.shape, shape, `built ${sh(t.shape)} for ${sh(shape)} (seed ${SEED})`);
  return { t, x };
}

/** Equal, or both NaN. */
function same(g: number, e: number): boolean {
  return g === e || (Number.isNaN(g) && Number.isNaN(e));
}

/** Checks `got` has `shape` and `expected(idx)` at every index; `close` decides equality (exact by default). */
function expectTensor(
  got: Tensor,
  shape: readonly number[],
  expected: (idx: number[]) => number,
  what: string,
  close: (g: number, e: number, idx: number[]) => boolean = same,
): void {
  assert.ok(got instanceof Tensor, `${what}: expected a Tensor, got ${got} (seed ${SEED})`);
  assert.deepEqual(got.shape, shape, `${what}: shape ${sh(got.shape)}, expected ${sh(shape)} (seed ${SEED})`);
  assert.equal(got.size, sizeOf(shape), `${what}: size (seed ${SEED})`);
  for (const idx of tuples(shape)) {
    const g = got.get(...idx);
    const e = expected(idx);
    if (!close(g, e, idx)) assert.fail(`${what}: at ${sh(idx)} got ${g}, expected ${e} (seed ${SEED})`);
  }
}

/** `|g − e| ≤ rel·max(1, |e|)`, or both NaN / equal. */
function near(rel: number): (g: number, e: number) => boolean {
  return (g, e) => same(g, e) || Math.abs(g - e) <= rel * Math.max(1, Math.abs(e));
}

/** Checks that `fn` throws exactly `type` and that the message mentions every string of `mentions`. */
function expectError(
  fn: () => unknown,
  type: TypeErrorConstructor | RangeErrorConstructor,
  mentions: readonly string[],
  what: string,
): void {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  if (thrown === undefined) assert.fail(`${what}: expected a ${type.name}, nothing was thrown`);
  const e = thrown as Error;
  assert.equal(
    e.constructor,
    type,
    `${what}: expected a ${type.name}, got ${e.constructor.name}: ${e.message}`,
  );
  for (const m of mentions) {
    assert.ok(e.message.includes(m), `${what}: the message "${e.message}" should mention ${m}`);
  }
}

/** The numpy broadcast of two shapes, or undefined when they do not broadcast. */
function broadcastShape(a: readonly number[], b: readonly number[]): number[] | undefined {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const da = i < n - a.length ? 1 : a[i - (n - a.length)];
    const db = i < n - b.length ? 1 : b[i - (n - b.length)];
    if (da !== db && da !== 1 && db !== 1) return undefined;
    out.push(da === 1 ? db : da);
  }
  return out;
}

/** The index into an operand of shape `s` that output index `idx` reads (broadcasting). */
function project(idx: readonly number[], s: readonly number[]): number[] {
  const lead = idx.length - s.length;
  return s.map((d, i) => (d === 1 ? 0 : idx[lead + i]));
}

/** A random operand shape that broadcasts to `out`: some leading axes dropped, some axes set to 1. */
function operandShape(out: readonly number[]): number[] {
  const rank = randInt(0, out.length + 1);
  return out.slice(out.length - rank).map((d) => (random() < 0.3 ? 1 : d));
}

/** Broadcasting pairs: the edge cases by hand, then random ones. */
function broadcastPairs(count: number): [number[], number[]][] {
  const pairs: [number[], number[]][] = [
    [[3, 4], [3, 4]],
    [[5, 4], [5, 1]], // column broadcast, short last axis on the right
    [[5, 1], [5, 4]],
    [[1, 4], [3, 1]], // outer product shape
    [[2, 3, 2, 2], [1, 3, 1, 1]], // per-channel bias
    [[2, 3, 4], [4]], // rank mismatch
    [[4], [2, 3, 4]],
    [[2, 3], []], // 0-d on the right
    [[], [2, 3]],
    [[], []],
    [[1], []],
    [[0, 3], [1, 3]], // zero-length axes
    [[0], [1]],
    [[2, 0], [2, 1]],
    [[3, 1, 2], [1, 4, 1]],
    [[1, 1], [1, 1]],
  ];
  for (let i = 0; i < count; i++) {
    const out = randomShape(randInt(0, 5), random() < 0.1 ? 0 : 1, 4);
    pairs.push([operandShape(out), operandShape(out)]);
  }
  return pairs;
}

// ------------------------------------------------------------------- creation

Deno.test("Tensor constructor wraps data and checks it against the shape", async (t) => {
  await t.step("wraps without copying", () => {
    const data = new Float64Array([1, 2, 3, 4, 5, 6]);
    const x = new Tensor(data, [2, 3]);
    assert.equal(x.data, data);
    assert.deepEqual(x.shape, [2, 3]);
    assert.deepEqual(x.strides, [3, 1]);
    assert.equal(x.size, 6);
    assert.equal(x.ndim, 2);
    assert.equal(x.get(1, 2), 6);
  });
  await t.step("0-d and empty shapes", () => {
    assert.equal(new Tensor(new Float64Array([7]), []).ndim, 0);
    assert.deepEqual(new Tensor(new Float64Array(0), [2, 0]).shape, [2, 0]);
  });
  await t.step("errors", () => {
    expectError(
      () => new Tensor(new Float64Array(5), [2, 3]),
      TypeError,
      ["[2, 3]", "6", "5"],
      "size mismatch",
    );
    expectError(
      () => new Tensor([1, 2] as unknown as Float64Array, [2]),
      TypeError,
      ["Float64Array"],
      "plain array",
    );
    expectError(() => new Tensor(new Float64Array(2), [-2, -1]), RangeError, ["[-2, -1]"], "negative axis");
  });
});

Deno.test("Tensor.zeros(), ones(), full() and eye() fill every element", async (t) => {
  const shapes = [[], [0], [3], [2, 0, 3], [2, 3], [1, 2, 3, 2]];
  await t.step("values and shapes", () => {
    for (const shape of shapes) {
      expectTensor(Tensor.zeros(shape), shape, () => 0, `zeros ${sh(shape)}`);
      expectTensor(Tensor.ones(shape), shape, () => 1, `ones ${sh(shape)}`);
      expectTensor(Tensor.full(shape, -2.5), shape, () => -2.5, `full ${sh(shape)}`);
      expectTensor(Tensor.full(shape, NaN), shape, () => NaN, `full NaN ${sh(shape)}`);
    }
    for (const n of [0, 1, 4]) expectTensor(Tensor.eye(n), [n, n], ([i, j]) => (i === j ? 1 : 0), `eye ${n}`);
  });
  await t.step("the shape argument is copied", () => {
    const shape = [2, 2];
    const x = Tensor.zeros(shape);
    shape[0] = 5;
    assert.deepEqual(x.shape, [2, 2]);
    assert.ok(Object.isFrozen(x.shape));
  });
  await t.step("errors name the operation and the value", () => {
    expectError(() => Tensor.zeros([2, -1]), RangeError, ["zeros", "[2, -1]"], "zeros negative");
    expectError(() => Tensor.zeros([1.5]), RangeError, ["zeros", "[1.5]"], "zeros fractional");
    expectError(() => Tensor.zeros(3 as unknown as number[]), TypeError, ["zeros", "3"], "zeros non-array");
    expectError(() => Tensor.ones([-1]), RangeError, ["[-1]"], "ones negative");
    expectError(() => Tensor.full([2], "1" as unknown as number), TypeError, ["full", '"1"'], "full string");
    expectError(() => Tensor.full([-2], 1), RangeError, ["full", "[-2]"], "full negative");
    expectError(() => Tensor.eye(-1), RangeError, ["eye", "-1"], "eye negative");
    expectError(() => Tensor.eye(1.5), RangeError, ["eye", "1.5"], "eye fractional");
  });
});

Deno.test("Tensor.from() reads nested arrays and rejects ragged ones", async (t) => {
  await t.step("round-trips through toArray() for ranks 0 to 4", () => {
    seed(SEED);
    for (let rank = 0; rank <= 4; rank++) {
      for (let trial = 0; trial < 5; trial++) {
        const shape = randomShape(rank);
        const x = build(shape, () => draw());
        const tensor = Tensor.from(x);
        expectTensor(tensor, shape, (idx) => at(x, idx), `from ${sh(shape)}`);
        assert.deepEqual(tensor.toArray(), x, `toArray ${sh(shape)} (seed ${SEED})`);
      }
    }
  });
  await t.step("typed arrays, empty arrays and the data layout", () => {
    expectTensor(Tensor.from(new Float64Array([1, 2])), [2], ([i]) => i + 1, "typed");
    expectTensor(Tensor.from([new Int32Array([1, 2]), [3, 4]]), [2, 2], ([i, j]) => 2 * i + j + 1, "mixed");
    assert.deepEqual(Tensor.from([]).shape, [0]);
    assert.deepEqual(Tensor.from([[], []]).shape, [2, 0]);
    assert.deepEqual(Tensor.from([[], []]).toArray(), [[], []]);
    assert.deepEqual([...Tensor.from([[1, 2], [3, 4]]).data], [1, 2, 3, 4]);
  });
  await t.step("a number gives a 0-d tensor", () => {
    const x = Tensor.from(5);
    assert.deepEqual(x.shape, []);
    assert.equal(x.item(), 5);
    assert.equal(x.toArray(), 5);
  });
  await t.step("the input is copied", () => {
    const rows = [[1, 2], [3, 4]];
    const x = Tensor.from(rows);
    rows[0][0] = 9;
    assert.equal(x.get(0, 0), 1);
  });
  await t.step("ragged arrays and non-numbers are TypeErrors naming the position", () => {
    expectError(() => Tensor.from([[1, 2], [3]]), TypeError, ["ragged", "[1]", "2", "1"], "short row");
    expectError(() => Tensor.from([[1], [2, 3]]), TypeError, ["ragged", "[1]"], "long row");
    expectError(() => Tensor.from([[1], 2] as number[][]), TypeError, ["[1]"], "number for a row");
    expectError(() => Tensor.from([1, [2]] as number[]), TypeError, ["[1]"], "row for a number");
    expectError(() => Tensor.from([[], [1]]), TypeError, ["ragged", "[1]"], "empty then full");
    expectError(
      () => Tensor.from([[1, "2"]] as unknown as number[][]),
      TypeError,
      ['"2"', "[0, 1]"],
      "string",
    );
    expectError(() => Tensor.from([true] as unknown as number[]), TypeError, ["true"], "boolean");
    expectError(() => Tensor.from("12" as unknown as number[]), TypeError, ['"12"'], "string input");
    expectError(() => Tensor.from(null as unknown as number[]), TypeError, ["null"], "null");
    expectError(
      () => Tensor.from([[1, 2], null] as unknown as number[][]),
      TypeError,
      ["[1]", "null"],
      "null row",
    );
  });
});

Deno.test("Tensor.arange() counts like numpy, with fractional and negative steps", async (t) => {
  const cases: [number[], number[]][] = [
    [[4], [0, 1, 2, 3]],
    [[0], []],
    [[-2], []],
    [[2.5], [0, 1, 2]],
    [[2, 5], [2, 3, 4]],
    [[5, 2], []],
    [[1, 2, 0.25], [1, 1.25, 1.5, 1.75]],
    [[5, 0, -2], [5, 3, 1]],
    [[-1, -3, -0.5], [-1, -1.5, -2, -2.5]],
    [[0, 1, -1], []],
    [[0, 10, 3], [0, 3, 6, 9]],
  ];
  await t.step("values", () => {
    for (const [args, expected] of cases) {
      const x = Tensor.arange(args[0], args[1], args[2]);
      assert.deepEqual(x.shape, [expected.length], `arange(${args}) shape`);
      expectTensor(x, [expected.length], ([i]) => expected[i], `arange(${args})`, near(1e-15));
    }
  });
  await t.step("a fractional step that does not divide the span stops before it", () => {
    const x = Tensor.arange(0, 1, 0.1);
    assert.equal(x.size, 10);
    assert.ok(Math.abs(x.get(9) - 0.9) < 1e-15, `last ${x.get(9)}`);
    assert.equal(Tensor.arange(0, 0.3, 0.1).size, 3); // 0.3 / 0.1 rounds up above 2
  });
  await t.step("errors", () => {
    expectError(() => Tensor.arange(0, 5, 0), RangeError, ["arange", "step", "0"], "zero step");
    expectError(() => Tensor.arange(0, 5, NaN), RangeError, ["arange", "NaN"], "NaN step");
    expectError(() => Tensor.arange(0, Infinity), RangeError, ["arange", "Infinity"], "infinite stop");
    expectError(() => Tensor.arange(NaN), RangeError, ["arange", "NaN"], "NaN stop");
    expectError(() => Tensor.arange("3" as unknown as number), TypeError, ["arange", '"3"'], "string");
  });
});

Deno.test("Tensor.zerosLike(), onesLike() and fullLike() copy the shape only", async (t) => {
  await t.step("values", () => {
    for (const shape of [[], [0, 2], [2, 3]]) {
      const src = Tensor.full(shape, 7);
      expectTensor(Tensor.zerosLike(src), shape, () => 0, `zerosLike ${sh(shape)}`);
      expectTensor(Tensor.onesLike(src), shape, () => 1, `onesLike ${sh(shape)}`);
      expectTensor(Tensor.fullLike(src, -3), shape, () => -3, `fullLike ${sh(shape)}`);
      expectTensor(src, shape, () => 7, "source untouched");
    }
  });
  await t.step("errors", () => {
    expectError(() => Tensor.zerosLike([1, 2] as unknown as Tensor), TypeError, ["zerosLike"], "array");
    expectError(() => Tensor.onesLike(undefined as unknown as Tensor), TypeError, ["onesLike"], "undefined");
    expectError(
      () => Tensor.fullLike(Tensor.zeros([1]), null as unknown as number),
      TypeError,
      ["null"],
      "fill",
    );
  });
});

Deno.test("Tensor.uniform(), normal() and bernoulli() are reproducible and roughly right", async (t) => {
  const n = 20_000;
  await t.step("the same seed gives the same samples, another seed others", () => {
    for (
      const make of [
        () => Tensor.uniform([50], -1, 1),
        () => Tensor.normal([50], 0, 1),
        () => Tensor.bernoulli([50], 0.5),
      ]
    ) {
      seed(SEED);
      const a = make();
      seed(SEED);
      const b = make();
      seed(SEED + 1);
      const c = make();
      assert.ok(a.equals(b), `same seed ${SEED} differs`);
      assert.ok(!a.equals(c), `seeds ${SEED} and ${SEED + 1} agree`);
    }
  });
  await t.step("uniform: range and mean", () => {
    seed(SEED);
    const x = Tensor.uniform([n], -2, 3);
    assert.ok(x.min() >= -2 && x.max() < 3, `range [${x.min()}, ${x.max()}] (seed ${SEED})`);
    const tol = 5 * (5 / Math.sqrt(12)) / Math.sqrt(n);
    assert.ok(Math.abs(x.mean() - 0.5) < tol, `mean ${x.mean()} (seed ${SEED})`);
    assert.ok(Math.abs(x.variance() - 25 / 12) < 0.1, `variance ${x.variance()} (seed ${SEED})`);
    const d = Tensor.uniform([n]);
    assert.ok(d.min() >= 0 && d.max() < 1 && Math.abs(d.mean() - 0.5) < 0.02, `default range (seed ${SEED})`);
  });
  await t.step("normal: mean and standard deviation", () => {
    seed(SEED);
    const x = Tensor.normal([n], 1, 2);
    assert.ok(Math.abs(x.mean() - 1) < 5 * 2 / Math.sqrt(n), `mean ${x.mean()} (seed ${SEED})`);
    const sd = Math.sqrt(x.variance());
    assert.ok(Math.abs(sd - 2) < 5 * 2 / Math.sqrt(2 * n), `std ${sd} (seed ${SEED})`);
    const z = Tensor.normal([n]);
    assert.ok(Math.abs(z.mean()) < 0.05 && Math.abs(z.variance() - 1) < 0.05, `defaults (seed ${SEED})`);
  });
  await t.step("bernoulli: zeros and ones at rate p", () => {
    seed(SEED);
    const p = 0.3;
    const x = Tensor.bernoulli([100, 200], p);
    assert.ok(x.eq(0).add(x.eq(1)).min() === 1, "values other than 0 and 1");
    assert.ok(Math.abs(x.mean() - p) < 5 * Math.sqrt(p * (1 - p) / n), `rate ${x.mean()} (seed ${SEED})`);
    assert.equal(Tensor.bernoulli([10], 0).sum(), 0);
    assert.equal(Tensor.bernoulli([10], 1).sum(), 10);
  });
  await t.step("errors", () => {
    expectError(() => Tensor.bernoulli([2], 1.5), RangeError, ["1.5"], "p above 1");
    expectError(() => Tensor.bernoulli([2], NaN), RangeError, ["NaN"], "p NaN");
    expectError(() => Tensor.uniform([-1]), RangeError, ["uniform", "[-1]"], "uniform shape");
    expectError(() => Tensor.normal([2.5]), RangeError, ["normal", "[2.5]"], "normal shape");
    expectError(() => Tensor.normal([2], 0, -1), RangeError, ["normal", "-1"], "negative std");
    expectError(() => Tensor.bernoulli([-3], 0.5), RangeError, ["Bernoulli", "[-3]"], "bernoulli shape");
    expectError(() => Tensor.uniform([2], "0" as unknown as number), TypeError, ["uniform", '"0"'], "low");
  });
});

// ------------------------------------------------------------------- elements

Deno.test("Tensor.get() and set() take one index per axis, negative from the end", async (t) => {
  await t.step("every index, positive and negative", () => {
    seed(SEED);
    for (let rank = 0; rank <= 4; rank++) {
      const shape = randomShape(rank);
      const { t: x, x: ref } = randomTensor(shape);
      for (const idx of tuples(shape)) {
        const neg = idx.map((i, d) => i - shape[d]);
        assert.equal(x.get(...idx), at(ref, idx), `get ${sh(idx)} of ${sh(shape)} (seed ${SEED})`);
        assert.equal(x.get(...neg), at(ref, idx), `get ${sh(neg)} of ${sh(shape)} (seed ${SEED})`);
      }
      const y = Tensor.zeros(shape);
      for (const idx of tuples(shape)) {
        const use = random() < 0.5 ? idx : idx.map((i, d) => i - shape[d]);
        assert.equal(y.set(use, at(ref, idx)), y, "set returns this");
      }
      expectTensor(y, shape, (idx) => at(ref, idx), `set every element of ${sh(shape)}`);
    }
  });
  await t.step("item() and clone()", () => {
    assert.equal(Tensor.from([[[4]]]).item(), 4);
    assert.equal(Tensor.from(3).item(), 3);
    expectError(() => Tensor.zeros([2]).item(), TypeError, ["item", "[2]"], "item of two");
    const a = Tensor.from([1, 2]);
    const b = a.clone();
    b.set([0], 5);
    assert.equal(a.get(0), 1);
    assert.notEqual(a.data, b.data);
  });
  await t.step("errors name the operation, the index and the shape", () => {
    const x = Tensor.zeros([2, 3]);
    expectError(() => x.get(2, 0), RangeError, ["get", "[2, 0]", "[2, 3]"], "past the end");
    expectError(() => x.get(0, -4), RangeError, ["get", "[0, -4]", "[2, 3]"], "before the start");
    expectError(() => x.get(0, 1.5), RangeError, ["get", "1.5"], "fractional");
    expectError(() => x.get(0), TypeError, ["get", "[2, 3]", "2 indices"], "too few");
    expectError(() => x.get(0, 0, 0), TypeError, ["get", "[2, 3]"], "too many");
    expectError(() => x.set([0, 3], 1), RangeError, ["set", "[0, 3]", "[2, 3]"], "set past the end");
    expectError(() => x.set([0], 1), TypeError, ["set", "[2, 3]"], "set too few");
    expectError(() => x.set([0, 0], "1" as unknown as number), TypeError, ["set", '"1"'], "set string");
  });
});

// ---------------------------------------------------------------- elementwise

type BinaryCase = [
  string,
  (a: Tensor, b: Tensor | number) => Tensor,
  (x: number, y: number) => number,
  string,
];

const BINARY: BinaryCase[] = [
  ["add", (a, b) => a.add(b), (x, y) => x + y, "add"],
  ["sub", (a, b) => a.sub(b), (x, y) => x - y, "subtract"],
  ["mul", (a, b) => a.mul(b), (x, y) => x * y, "multiply"],
  ["div", (a, b) => a.div(b), (x, y) => x / y, "divide"],
  ["pow", (a, b) => a.pow(b), (x, y) => Math.pow(x, y), "power"],
  ["maximum", (a, b) => a.maximum(b), (x, y) => (x !== x || y !== y ? NaN : x >= y ? x : y), "maximum"],
  ["minimum", (a, b) => a.minimum(b), (x, y) => (x !== x || y !== y ? NaN : x <= y ? x : y), "minimum"],
  ["gt", (a, b) => a.gt(b), (x, y) => (x > y ? 1 : 0), "compare"],
  ["ge", (a, b) => a.ge(b), (x, y) => (x >= y ? 1 : 0), "compare"],
  ["lt", (a, b) => a.lt(b), (x, y) => (x < y ? 1 : 0), "compare"],
  ["le", (a, b) => a.le(b), (x, y) => (x <= y ? 1 : 0), "compare"],
  ["eq", (a, b) => a.eq(b), (x, y) => (x === y ? 1 : 0), "compare"],
  ["ne", (a, b) => a.ne(b), (x, y) => (x !== y ? 1 : 0), "compare"],
];

/** Test data with a NaN now and then, for the NaN rules of maximum and minimum. */
function drawWithNaN(): number {
  return random() < 0.05 ? NaN : draw();
}

Deno.test("Tensor binary ops broadcast like numpy", async (t) => {
  for (const [name, op, ref] of BINARY) {
    await t.step(name, () => {
      seed(SEED);
      for (const [sa, sb] of broadcastPairs(40)) {
        const a = randomTensor(sa, drawWithNaN);
        const b = randomTensor(sb, drawWithNaN);
        const shape = broadcastShape(sa, sb)!;
        const what = `${name} ${sh(sa)} with ${sh(sb)}`;
        const expected = (idx: number[]) => ref(at(a.x, project(idx, sa)), at(b.x, project(idx, sb)));
        expectTensor(op(a.t, b.t), shape, expected, what, near(1e-15));
        for (const s of [2.5, -1, 0]) {
          expectTensor(
            op(a.t, s),
            sa,
            (idx) => ref(at(a.x, idx), s),
            `${name} ${sh(sa)} with ${s}`,
            near(1e-15),
          );
        }
        expectTensor(a.t, sa, (idx) => at(a.x, idx), `${what}: left operand modified`);
        expectTensor(b.t, sb, (idx) => at(b.x, idx), `${what}: right operand modified`);
      }
    });
  }
  await t.step("a tensor with itself", () => {
    const x = Tensor.from([[1, -2], [3, 0.5]]);
    expectTensor(x.mul(x), [2, 2], (idx) => x.get(...idx) ** 2, "x * x");
    expectTensor(x.sub(x), [2, 2], () => 0, "x - x");
  });
  await t.step("non-broadcasting shapes are TypeErrors naming the operation and both shapes", () => {
    const bad: [number[], number[]][] = [[[2, 3], [3, 2]], [[3], [4]], [[2, 1, 3], [2, 4]], [[0], [2]]];
    for (const [name, op, , word] of BINARY) {
      for (const [sa, sb] of bad) {
        expectError(() => op(Tensor.zeros(sa), Tensor.zeros(sb)), TypeError, [word, sh(sa), sh(sb)], name);
      }
      expectError(
        () => op(Tensor.zeros([2]), "1" as unknown as number),
        TypeError,
        [word, '"1"'],
        `${name} string`,
      );
      expectError(
        () => op(Tensor.zeros([2]), [1, 2] as unknown as Tensor),
        TypeError,
        [word],
        `${name} array`,
      );
    }
  });
});

type UnaryCase = [string, (a: Tensor) => Tensor, (x: number) => number, number];

const UNARY: UnaryCase[] = [
  ["neg", (a) => a.neg(), (x) => -x, 0],
  ["exp", (a) => a.exp(), Math.exp, 0],
  ["log", (a) => a.log(), Math.log, 0],
  ["log1p", (a) => a.log1p(), Math.log1p, 0],
  ["expm1", (a) => a.expm1(), Math.expm1, 0],
  ["sqrt", (a) => a.sqrt(), Math.sqrt, 0],
  ["abs", (a) => a.abs(), Math.abs, 0],
  ["sign", (a) => a.sign(), (x) => (x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : NaN), 0],
  ["tanh", (a) => a.tanh(), Math.tanh, 0],
  ["sigmoid", (a) => a.sigmoid(), (x) => 1 / (1 + Math.exp(-x)), 1e-15],
  ["square", (a) => a.square(), (x) => x * x, 0],
  ["reciprocal", (a) => a.reciprocal(), (x) => 1 / x, 0],
];

const SPECIAL = [
  0,
  -0,
  1,
  -1,
  0.5,
  -0.5,
  1e-20,
  -1e-20,
  30,
  -30,
  700,
  -700,
  1e3,
  -1e3,
  Infinity,
  -Infinity,
  NaN,
];

Deno.test("Tensor unary ops apply to every element", async (t) => {
  for (const [name, op, ref, rel] of UNARY) {
    await t.step(name, () => {
      seed(SEED);
      const close = rel === 0
        ? same
        : (g: number, e: number) => same(g, e) || Math.abs(g - e) <= rel * Math.abs(e);
      for (let rank = 0; rank <= 4; rank++) {
        const shape = randomShape(rank, 0, 4);
        const a = randomTensor(shape);
        expectTensor(op(a.t), shape, (idx) => ref(at(a.x, idx)), `${name} ${sh(shape)}`, close);
        expectTensor(a.t, shape, (idx) => at(a.x, idx), `${name} modified its input`);
      }
      const s = Tensor.from(SPECIAL);
      expectTensor(op(s), [SPECIAL.length], ([i]) => ref(SPECIAL[i]), `${name} of special values`, close);
    });
  }
  await t.step("sigmoid is finite and exact at ±1e3", () => {
    const y = Tensor.from([1e3, -1e3, 800, -800]).sigmoid();
    assert.equal(y.get(0), 1);
    assert.equal(y.get(2), 1);
    assert.ok(Number.isFinite(y.get(1)) && y.get(1) >= 0 && y.get(1) < 1e-300, `sigmoid(-1e3) = ${y.get(1)}`);
    assert.ok(y.get(3) >= 0 && y.get(3) < 1e-300, `sigmoid(-800) = ${y.get(3)}`);
    assert.equal(Tensor.from([0]).sigmoid().item(), 0.5);
    // sigmoid(-x) = 1 - sigmoid(x) where both are representable
    const x = Tensor.from([-5, -1, -0.1]);
    expectTensor(x.sigmoid(), [3], ([i]) => 1 - 1 / (1 + Math.exp(x.get(i))), "symmetry", near(1e-15));
  });
  await t.step("log1p and expm1 keep small values exact", () => {
    for (const v of [1e-20, -1e-20, 1e-300, 3e-17]) {
      assert.equal(Tensor.from([v]).log1p().item(), v, `log1p(${v})`);
      assert.equal(Tensor.from([v]).expm1().item(), v, `expm1(${v})`);
    }
    const small = Tensor.from([1e-10]);
    assert.ok(Math.abs(small.log1p().item() - (1e-10 - 5e-21)) < 1e-25);
    assert.ok(Math.abs(small.expm1().item() - (1e-10 + 5e-21)) < 1e-25);
  });
});

Deno.test("Tensor.clip() and Tensor.where() choose elementwise", async (t) => {
  await t.step("clip", () => {
    seed(SEED);
    for (let trial = 0; trial < 20; trial++) {
      const shape = randomShape(randInt(0, 4), 0, 4);
      const a = randomTensor(shape, drawWithNaN);
      const lo = draw();
      const hi = lo + random() * 2;
      const ref = (v: number) => (v !== v ? NaN : v < lo ? lo : v > hi ? hi : v);
      expectTensor(
        a.t.clip(lo, hi),
        shape,
        (idx) => ref(at(a.x, idx)),
        `clip ${sh(shape)} to [${lo}, ${hi}]`,
      );
    }
    expectTensor(Tensor.from([-1, 5]).clip(2, 2), [2], () => 2, "clip to a point");
    expectTensor(Tensor.from([-1, 5]).clip(-Infinity, 0), [2], ([i]) => [-1, 0][i], "clip with -inf");
  });
  await t.step("clip errors", () => {
    expectError(() => Tensor.zeros([2]).clip(1, 0), RangeError, ["clip", "1", "0"], "low above high");
    expectError(
      () => Tensor.zeros([2]).clip("0" as unknown as number, 1),
      TypeError,
      ["clip", '"0"'],
      "string",
    );
  });
  await t.step("where broadcasts all three operands", () => {
    seed(SEED);
    for (let trial = 0; trial < 30; trial++) {
      const out = randomShape(randInt(0, 4), random() < 0.1 ? 0 : 1, 4);
      const [sc, sa, sb] = [operandShape(out), operandShape(out), operandShape(out)];
      const c = randomTensor(sc, () => (random() < 0.5 ? 0 : randInt(-1, 3)));
      const a = randomTensor(sa);
      const b = randomTensor(sb);
      const shape = broadcastShape(broadcastShape(sc, sa)!, sb)!;
      const expected = (idx: number[]) =>
        at(c.x, project(idx, sc)) !== 0 ? at(a.x, project(idx, sa)) : at(b.x, project(idx, sb));
      expectTensor(Tensor.where(c.t, a.t, b.t), shape, expected, `where ${sh(sc)} ${sh(sa)} ${sh(sb)}`);
      expectTensor(
        Tensor.where(c.t, a.t, 7),
        broadcastShape(sc, sa)!,
        (idx) => at(c.x, project(idx, sc)) !== 0 ? at(a.x, project(idx, sa)) : 7,
        "where with a number",
      );
    }
    expectTensor(Tensor.where(Tensor.from([1, 0, NaN]), 1, 2), [3], ([i]) => [1, 2, 1][i], "NaN is true");
  });
  await t.step("where errors", () => {
    expectError(
      () => Tensor.where(Tensor.zeros([2, 3]), Tensor.zeros([3, 2]), 0),
      TypeError,
      ["where", "[2, 3]", "[3, 2]"],
      "shapes",
    );
    expectError(
      () => Tensor.where([1, 0] as unknown as Tensor, 1, 2),
      TypeError,
      ["where"],
      "condition array",
    );
    expectError(() => Tensor.where(Tensor.zeros([1]), "a" as unknown as number, 2), TypeError, [
      "where",
      '"a"',
    ], "a");
  });
});

// ----------------------------------------------------------------- reductions

/** A reduction by list function: the values along the reduced axes, in row-major order. */
type ListReduce = (values: number[]) => number;

const refSum: ListReduce = (v) => {
  let s = 0;
  for (const x of v) s += x;
  return s;
};
const refMax: ListReduce = (v) => {
  let m = v[0];
  for (const x of v) if (x !== x || x > m) m = x;
  return v.some((x) => x !== x) ? NaN : m;
};
const refMin: ListReduce = (v) => {
  let m = v[0];
  for (const x of v) if (x < m) m = x;
  return v.some((x) => x !== x) ? NaN : m;
};
/** numpy's argmax: the first NaN if any, else the first maximum. */
const refArgMax: ListReduce = (v) => {
  const nan = v.findIndex((x) => x !== x);
  if (nan >= 0) return nan;
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
  return best;
};
const refArgMin: ListReduce = (v) => {
  const nan = v.findIndex((x) => x !== x);
  if (nan >= 0) return nan;
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i] < v[best]) best = i;
  return best;
};
const refMean: ListReduce = (v) => refSum(v) / v.length;
function refVariance(ddof: number): ListReduce {
  return (v) => {
    const m = refMean(v);
    let s = 0;
    for (const x of v) s += (x - m) * (x - m);
    return s / (v.length - ddof);
  };
}

/**
 * The reference of a reduction of `x` (shape `shape`) over `axes` (non-negative):
 * the output shape and its value at each output index.
 */
function refReduce(
  x: Nested,
  shape: readonly number[],
  axes: readonly number[],
  keepdims: boolean,
  f: ListReduce,
): { shape: number[]; value: (idx: number[]) => number; scale: (idx: number[]) => number } {
  const kept = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const outShape = keepdims ? kept : shape.filter((_, i) => !axes.includes(i));
  const inner = axes.slice().sort((a, b) => a - b).map((a) => shape[a]);
  const values = (idx: number[]): number[] => {
    // idx is an output index; rebuild the full index with the reduced axes free.
    const full: number[] = [];
    let k = 0;
    for (let i = 0; i < shape.length; i++) {
      if (axes.includes(i)) full.push(0);
      else full.push(keepdims ? idx[i] : idx[k++]);
    }
    const sortedAxes = axes.slice().sort((a, b) => a - b);
    return tuples(inner).map((r) => {
      const pos = [...full];
      sortedAxes.forEach((a, j) => (pos[a] = r[j]));
      return at(x, pos);
    });
  };
  return {
    shape: outShape,
    value: (idx) => f(values(idx)),
    scale: (idx) => refSum(values(idx).map(Math.abs)),
  };
}

/** Every non-empty subset of 0 … n − 1. */
function subsets(n: number): number[][] {
  const out: number[][] = [];
  for (let mask = 1; mask < 1 << n; mask++) {
    out.push(Array.from({ length: n }, (_, i) => i).filter((i) => mask & (1 << i)));
  }
  return out;
}

type Reducer = (t: Tensor, axis: number | number[], keepdims: boolean) => Tensor;
const REDUCTIONS: [string, Reducer, ListReduce, boolean][] = [
  ["sum", (t, a, k) => t.sum(a, k), refSum, true],
  ["mean", (t, a, k) => t.mean(a, k), refMean, true],
  ["max", (t, a, k) => t.max(a, k), refMax, false],
  ["min", (t, a, k) => t.min(a, k), refMin, false],
  ["variance", (t, a, k) => t.variance(a, k), refVariance(0), true],
  ["variance ddof 1", (t, a, k) => t.variance(a, k, 1), refVariance(1), true],
];

/** Compares a rounded result: error relative to the sum of magnitudes involved. */
function sumClose(scale: (idx: number[]) => number) {
  return (g: number, e: number, idx: number[]) =>
    same(g, e) || Math.abs(g - e) <= 1e-12 * (scale(idx) + 1e-300);
}

Deno.test("Tensor reductions work over every axis of ranks 1 to 4", async (t) => {
  const shapes = [[5], [3, 4], [2, 3, 4], [2, 3, 2, 3], [5, 37], [37, 5], [3, 2, 33], [1, 1], [4, 1, 3]];
  for (const [name, reduce, ref, rounded] of REDUCTIONS) {
    await t.step(name, () => {
      seed(SEED);
      const all = [...shapes, ...[1, 2, 3, 4].map((r) => randomShape(r))];
      for (const shape of all) {
        const a = randomTensor(shape, name.startsWith("variance") ? draw : drawWithNaN);
        const n = shape.length;
        const axisArgs: (number | number[])[] = [];
        for (let ax = 0; ax < n; ax++) axisArgs.push(ax, ax - n);
        axisArgs.push(...subsets(n));
        axisArgs.push(Array.from({ length: n }, (_, i) => i - n).reverse());
        for (const axis of axisArgs) {
          for (const keepdims of [false, true]) {
            const axes = (typeof axis === "number" ? [axis] : axis).map((x) => (x < 0 ? x + n : x));
            const r = refReduce(a.x, shape, axes, keepdims, ref);
            const what = `${name} of ${sh(shape)} over ${JSON.stringify(axis)}, keepdims ${keepdims}`;
            const close = rounded ? sumClose(r.scale) : same;
            expectTensor(reduce(a.t, axis, keepdims), r.shape, r.value, what, close);
          }
        }
      }
    });
  }
  await t.step("argmax and argmin pick the first index on ties", () => {
    seed(SEED);
    for (const shape of [...shapes, [6, 6], [2, 5, 3]]) {
      const a = randomTensor(shape, () => randInt(0, 3));
      for (let ax = -shape.length; ax < shape.length; ax++) {
        for (const keepdims of [false, true]) {
          const axes = [ax < 0 ? ax + shape.length : ax];
          for (
            const [name, f, ref] of [
              ["argmax", (x: Tensor) => x.argmax(ax, keepdims), refArgMax],
              ["argmin", (x: Tensor) => x.argmin(ax, keepdims), refArgMin],
            ] as const
          ) {
            const r = refReduce(a.x, shape, axes, keepdims, ref);
            expectTensor(
              f(a.t),
              r.shape,
              r.value,
              `${name} of ${sh(shape)} over ${ax}, keepdims ${keepdims}`,
            );
          }
        }
      }
      const flat = tuples(shape).map((idx) => at(a.x, idx));
      assert.equal(a.t.argmax(), refArgMax(flat), `argmax() of ${sh(shape)} (seed ${SEED})`);
      assert.equal(a.t.argmin(), refArgMin(flat), `argmin() of ${sh(shape)} (seed ${SEED})`);
    }
  });
  await t.step("without an axis they return numbers", () => {
    seed(SEED);
    for (let rank = 0; rank <= 4; rank++) {
      const shape = randomShape(rank);
      const a = randomTensor(shape);
      const flat = tuples(shape).map((idx) => at(a.x, idx));
      const scale = refSum(flat.map(Math.abs));
      const what = `of ${sh(shape)} (seed ${SEED})`;
      const s = a.t.sum();
      assert.equal(typeof s, "number");
      assert.ok(Math.abs(s - refSum(flat)) <= 1e-12 * scale, `sum ${what}: ${s} vs ${refSum(flat)}`);
      assert.ok(Math.abs(a.t.mean() - refMean(flat)) <= 1e-12 * scale, `mean ${what}`);
      assert.equal(a.t.max(), refMax(flat), `max ${what}`);
      assert.equal(a.t.min(), refMin(flat), `min ${what}`);
      for (const ddof of [0, 1]) {
        if (flat.length - ddof <= 0) continue;
        const v = a.t.variance(undefined, false, ddof);
        assert.equal(typeof v, "number");
        const e = refVariance(ddof)(flat);
        assert.ok(Math.abs(v - e) <= 1e-12 * Math.max(1, e), `variance ddof ${ddof} ${what}: ${v} vs ${e}`);
      }
      const v0 = refVariance(0)(flat);
      assert.ok(Math.abs(a.t.variance() - v0) <= 1e-12 * Math.max(1, v0), `variance() ${what}`);
    }
  });
  await t.step("long sums stay accurate", () => {
    seed(SEED);
    const n = 100_003;
    const a = randomTensor([n], () => random());
    const flat = (a.x as number[]).slice();
    // A compensated (Kahan) sum as the reference.
    let s = 0;
    let c = 0;
    for (const v of flat) {
      const y = v - c;
      const t2 = s + y;
      c = t2 - s - y;
      s = t2;
    }
    assert.ok(Math.abs(a.t.sum() - s) <= 1e-12 * s, `sum of ${n}: ${a.t.sum()} vs ${s} (seed ${SEED})`);
    const rows = a.t.slice([0, 100_000]).reshape([100, 1000]);
    expectTensor(
      rows.sum(1),
      [100],
      ([i]) => refSum(flat.slice(i * 1000, (i + 1) * 1000)),
      "row sums",
      near(1e-12),
    );
  });
  await t.step("sums add pairwise, as numpy: small terms after a large one are not lost", () => {
    // Added one by one, each 1e-16 rounds away against 1; pairwise, they first add up among themselves.
    const n = 1_000_000;
    const data = new Float64Array(n + 1).fill(1e-16);
    data[0] = 1;
    const x = new Tensor(data, [n + 1]);
    let naive = 0;
    for (const v of data) naive += v;
    assert.equal(naive, 1, "the premise: a naive loop loses the small terms");
    const exact = 1 + n * 1e-16;
    assert.ok(Math.abs(x.sum() - exact) < 1e-14, `sum() = ${x.sum()}, expected ${exact}`);
    const rows = new Tensor(data.subarray(0, 1000), [1, 1000]).sum(1).item();
    assert.ok(Math.abs(rows - (1 + 999e-16)) < 1e-14, `sum(1) = ${rows}`);
  });
  await t.step("an empty axis list reduces nothing and still copies", () => {
    const x = Tensor.from([[1, 2], [3, 4]]);
    for (const r of [x.sum([]), x.max([]), x.mean([], true)]) {
      expectTensor(r, [2, 2], ([i, j]) => 2 * i + j + 1, "no axes");
      assert.notEqual(r.data, x.data, "no axes: the result shares the input's data");
    }
  });
  await t.step("NaN propagates through sum, max and min; argmax/argmin point at the first NaN", () => {
    const x = Tensor.from([[1, NaN, 3, NaN], [4, 5, 6, 7]]);
    assert.ok(Number.isNaN(x.sum()));
    assert.ok(Number.isNaN(x.max()) && Number.isNaN(x.min()));
    assert.equal(x.argmax(), 1);
    assert.equal(x.argmin(), 1);
    expectTensor(x.max(1), [2], ([i]) => [NaN, 7][i], "max(1)");
    expectTensor(x.min(0), [4], ([j]) => [1, NaN, 3, NaN][j], "min(0)");
    expectTensor(x.argmax(1), [2], ([i]) => [1, 3][i], "argmax(1)");
    expectTensor(x.argmin(1), [2], ([i]) => [1, 0][i], "argmin(1)");
    expectTensor(Tensor.from([NaN, 1]).max(0, true), [1], () => NaN, "NaN first");
    expectTensor(Tensor.from([[NaN], [1]]).argmax(0), [1], () => 0, "NaN first in argmax");
  });
  await t.step("empty tensors: sums are 0, the others are RangeErrors naming the op and the shape", () => {
    assert.equal(Tensor.zeros([0]).sum(), 0);
    assert.equal(Tensor.zeros([2, 0]).sum(), 0);
    expectTensor(Tensor.zeros([3, 0]).sum(1), [3], () => 0, "sum over an empty axis");
    expectTensor(Tensor.zeros([3, 0]).sum(0), [0], () => 0, "sum to an empty tensor");
    expectTensor(Tensor.zeros([0, 3]).max(1), [0], () => 0, "max of nothing over a full axis");
    for (
      const [name, f] of [
        ["max", (x: Tensor) => x.max()],
        ["min", (x: Tensor) => x.min()],
        ["argmax", (x: Tensor) => x.argmax()],
        ["argmin", (x: Tensor) => x.argmin()],
      ] as const
    ) {
      expectError(() => f(Tensor.zeros([0])), RangeError, [name, "[0]"], `${name} of [0]`);
      expectError(() => f(Tensor.zeros([2, 0])), RangeError, [name, "[2, 0]"], `${name} of [2, 0]`);
    }
    expectError(() => Tensor.zeros([3, 0]).max(1), RangeError, ["max", "[3, 0]"], "max over an empty axis");
    expectError(
      () => Tensor.zeros([3, 0]).argmin(-1),
      RangeError,
      ["argmin", "[3, 0]"],
      "argmin over an empty axis",
    );
    expectError(() => Tensor.zeros([0, 2]).min([0, 1]), RangeError, ["min", "[0, 2]"], "min over axes");
  });
  await t.step("axis errors", () => {
    const x = Tensor.zeros([2, 3]);
    expectError(() => x.sum(2), RangeError, ["sum", "2", "2 axes"], "axis past the end");
    expectError(() => x.max(-3), RangeError, ["max", "-3"], "axis before the start");
    expectError(() => x.mean([0, -2]), RangeError, ["mean", "0, -2"], "repeated axis");
    expectError(() => x.min(0.5), RangeError, ["min", "0.5"], "fractional axis");
    expectError(() => x.argmax([0, 1] as unknown as number), TypeError, ["argmax", "0, 1"], "argmax of axes");
    expectError(() => x.variance(0, false, -1), RangeError, ["variance", "ddof", "-1"], "negative ddof");
    expectError(() => x.variance(0, false, 0.5), RangeError, ["variance", "0.5"], "fractional ddof");
    expectError(() => Tensor.from(1).sum(0), RangeError, ["sum", "0"], "axis of a 0-d tensor");
  });
});

// -------------------------------------------------------------------- algebra

/** The naive product op(A)·op(B) with, per element, Σ|a||b| as the scale of its rounding error. */
function naiveMatmul(
  a: Nested,
  b: Nested,
  m: number,
  k: number,
  n: number,
  transA: boolean,
  transB: boolean,
) {
  const A = (i: number, p: number) => (transA ? at(a, [p, i]) : at(a, [i, p]));
  const B = (p: number, j: number) => (transB ? at(b, [j, p]) : at(b, [p, j]));
  const value = ([i, j]: number[]) => {
    let s = 0;
    for (let p = 0; p < k; p++) s += A(i, p) * B(p, j);
    return s;
  };
  const scale = ([i, j]: number[]) => {
    let s = 0;
    for (let p = 0; p < k; p++) s += Math.abs(A(i, p) * B(p, j));
    return s;
  };
  return { shape: [m, n], value, scale };
}

Deno.test("Tensor.matmul() matches a naive product for every transpose combination", async (t) => {
  const sizes: [number, number, number][] = [
    [1, 1, 1],
    [2, 3, 4],
    [4, 4, 4],
    [5, 7, 3],
    [1, 9, 1],
    [9, 1, 9],
    [17, 13, 11],
    [33, 65, 31],
    [0, 3, 2],
    [3, 0, 2],
    [3, 2, 0],
  ];
  for (const transA of [false, true]) {
    for (const transB of [false, true]) {
      await t.step(`transA ${transA}, transB ${transB}`, () => {
        seed(SEED);
        for (const [m, k, n] of [...sizes, [randInt(1, 20), randInt(1, 20), randInt(1, 20)]]) {
          const a = randomTensor(transA ? [k, m] : [m, k], () => random() * 2 - 1);
          const b = randomTensor(transB ? [n, k] : [k, n], () => random() * 2 - 1);
          const r = naiveMatmul(a.x, b.x, m, k, n, transA, transB);
          const what = `matmul ${sh(a.t.shape)}${transA ? "ᵀ" : ""} · ${sh(b.t.shape)}${transB ? "ᵀ" : ""}`;
          expectTensor(a.t.matmul(b.t, { transA, transB }), r.shape, r.value, what, sumClose(r.scale));
          expectTensor(a.t, a.t.shape, (idx) => at(a.x, idx), `${what}: A modified`);
          expectTensor(b.t, b.t.shape, (idx) => at(b.x, idx), `${what}: B modified`);
        }
      });
    }
  }
  await t.step("without options it is the plain product", () => {
    const a = Tensor.from([[1, 2], [3, 4]]);
    const b = Tensor.from([[5, 6], [7, 8]]);
    expectTensor(a.matmul(b), [2, 2], ([i, j]) => [[19, 22], [43, 50]][i][j], "2x2");
  });
  await t.step("shape errors are TypeErrors naming matmul and both shapes", () => {
    const cases: [number[], number[], boolean, boolean][] = [
      [[2, 3], [2, 3], false, false],
      [[2, 3], [4, 2], false, true],
      [[3, 2], [3, 4], false, false],
      [[2, 3], [2, 4], true, true],
      [[3], [3, 2], false, false],
      [[2, 3], [3], false, false],
      [[1, 2, 3], [3, 2], false, false],
      [[], [1, 1], false, false],
    ];
    for (const [sa, sb, transA, transB] of cases) {
      expectError(
        () => Tensor.zeros(sa).matmul(Tensor.zeros(sb), { transA, transB }),
        TypeError,
        ["matmul", sh(sa), sh(sb)],
        `matmul ${sh(sa)} ${sh(sb)} ${transA} ${transB}`,
      );
    }
    expectError(
      () => Tensor.zeros([2, 2]).matmul([[1]] as unknown as Tensor),
      TypeError,
      ["matmul"],
      "array",
    );
  });
});

/** All permutations of 0 … n − 1. */
function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  const out: number[][] = [];
  for (const p of permutations(n - 1)) {
    for (let i = 0; i <= p.length; i++) out.push([...p.slice(0, i), n - 1, ...p.slice(i)]);
  }
  return out;
}

Deno.test("Tensor.transpose() and permute() move axes", async (t) => {
  await t.step("every permutation of ranks 0 to 4, with negative axes", () => {
    seed(SEED);
    for (let rank = 0; rank <= 4; rank++) {
      const shape = randomShape(rank, 1, 4);
      const a = randomTensor(shape);
      for (const perm of permutations(rank)) {
        const outShape = perm.map((p) => shape[p]);
        const expected = (idx: number[]) => {
          const src = new Array<number>(rank);
          perm.forEach((p, d) => (src[p] = idx[d]));
          return at(a.x, src);
        };
        const asGiven = perm.map((p) => (random() < 0.5 ? p - rank : p));
        expectTensor(a.t.transpose(asGiven), outShape, expected, `transpose ${sh(shape)} by ${sh(asGiven)}`);
        expectTensor(a.t.permute(perm), outShape, expected, `permute ${sh(shape)} by ${sh(perm)}`);
      }
      const rev = Array.from({ length: rank }, (_, i) => rank - 1 - i);
      expectTensor(
        a.t.transpose(),
        rev.map((p) => shape[p]),
        (idx) => at(a.x, [...idx].reverse()),
        "reverse",
      );
    }
  });
  await t.step("T of a 2-D tensor, including large and empty ones", () => {
    seed(SEED);
    for (const shape of [[3, 5], [1, 7], [70, 45], [0, 3]]) {
      const a = randomTensor(shape);
      expectTensor(a.t.T, [shape[1], shape[0]], ([i, j]) => at(a.x, [j, i]), `T of ${sh(shape)}`);
    }
  });
  await t.step("errors", () => {
    const x = Tensor.zeros([2, 3, 4]);
    expectError(() => x.transpose([0, 1]), TypeError, ["transpose", "[2, 3, 4]", "[0, 1]"], "too few axes");
    expectError(() => x.transpose([0, 1, 1]), TypeError, ["transpose", "[0, 1, 1]"], "repeated");
    expectError(() => x.transpose([0, 1, -1, 2]), TypeError, ["transpose"], "too many axes");
    expectError(() => x.transpose([0, 1, 3]), TypeError, ["transpose", "[0, 1, 3]"], "out of range");
    expectError(() => x.transpose([0, 2, -1]), TypeError, ["transpose", "[0, 2, -1]"], "negative duplicate");
    expectError(() => x.permute([2, 0.5, 1]), TypeError, ["[2, 0.5, 1]"], "fractional");
    expectError(() => x.T, TypeError, ["T", "[2, 3, 4]"], "T of 3-D");
  });
});

Deno.test("Tensor.reshape() keeps row-major order and infers one -1", async (t) => {
  await t.step("targets", () => {
    seed(SEED);
    const shape = [2, 3, 4];
    const a = randomTensor(shape);
    const flat = tuples(shape).map((idx) => at(a.x, idx));
    const targets: [number[], number[]][] = [
      [[24], [24]],
      [[-1], [24]],
      [[6, 4], [6, 4]],
      [[4, -1], [4, 6]],
      [[-1, 2, 3], [4, 2, 3]],
      [[1, 24, 1], [1, 24, 1]],
      [[2, 3, 4], [2, 3, 4]],
      [[3, 2, 2, 2], [3, 2, 2, 2]],
    ];
    for (const [target, expectedShape] of targets) {
      const r = a.t.reshape(target);
      expectTensor(
        r,
        expectedShape,
        (idx) => flat[flatIndex(idx, expectedShape)],
        `reshape to ${sh(target)}`,
      );
      r.set(new Array(expectedShape.length).fill(0), 99);
      assert.equal(a.t.get(0, 0, 0), flat[0], "reshape returned a view, not a copy");
    }
    expectTensor(Tensor.from(5).reshape([1, 1]), [1, 1], () => 5, "0-d to [1, 1]");
    expectTensor(Tensor.from([[5]]).reshape([]), [], () => 5, "[1, 1] to 0-d");
    assert.deepEqual(Tensor.zeros([0, 3]).reshape([3, -1, 2]).shape, [3, 0, 2]);
  });
  await t.step("errors name reshape and both shapes", () => {
    const x = Tensor.zeros([2, 3]);
    expectError(() => x.reshape([4, 2]), TypeError, ["reshape", "[2, 3]", "[4, 2]"], "size mismatch");
    expectError(() => x.reshape([-1, -1]), TypeError, ["reshape", "[2, 3]", "[-1, -1]"], "two -1");
    expectError(() => x.reshape([4, -1]), TypeError, ["reshape", "[2, 3]", "[4, -1]"], "-1 does not divide");
    expectError(() => x.reshape([-2, -3]), TypeError, ["reshape", "[-2, -3]"], "negative axes");
    expectError(() => x.reshape([6.5]), TypeError, ["reshape", "[6.5]"], "fractional");
    expectError(() => x.reshape(6 as unknown as number[]), TypeError, ["reshape", "6"], "non-array");
  });
});

Deno.test("Tensor.broadcastTo() repeats size-1 and missing leading axes", async (t) => {
  await t.step("targets", () => {
    seed(SEED);
    const pairs: [number[], number[]][] = [
      [[3], [2, 3]],
      [[2, 1], [2, 4]],
      [[1, 3, 1], [2, 3, 4]],
      [[], [2, 2]],
      [[1], [0]],
      [[2, 3], [2, 3]],
    ];
    for (let i = 0; i < 20; i++) {
      const target = randomShape(randInt(0, 5), 1, 4);
      pairs.push([operandShape(target), target]);
    }
    for (const [s, target] of pairs) {
      const a = randomTensor(s);
      const b = a.t.broadcastTo(target);
      expectTensor(b, target, (idx) => at(a.x, project(idx, s)), `broadcast ${sh(s)} to ${sh(target)}`);
      assert.notEqual(b.data, a.t.data, "broadcastTo must return a copy");
    }
  });
  await t.step("errors name both shapes", () => {
    expectError(() => Tensor.zeros([3]).broadcastTo([4]), TypeError, ["broadcast", "[3]", "[4]"], "mismatch");
    expectError(
      () => Tensor.zeros([2, 3]).broadcastTo([3]),
      TypeError,
      ["broadcast", "[2, 3]", "[3]"],
      "fewer axes",
    );
    expectError(() => Tensor.zeros([2, 1]).broadcastTo([1, 3]), TypeError, ["[2, 1]", "[1, 3]"], "shrink");
    expectError(() => Tensor.zeros([1]).broadcastTo([-1]), RangeError, ["broadcast", "[-1]"], "negative");
  });
});

Deno.test("Tensor.pad() surrounds every axis with a constant", async (t) => {
  await t.step("random widths, ranks 0 to 4", () => {
    seed(SEED);
    for (let trial = 0; trial < 25; trial++) {
      const shape = randomShape(randInt(0, 5), random() < 0.1 ? 0 : 1, 4);
      const a = randomTensor(shape);
      const widths = shape.map(() => [randInt(0, 3), randInt(0, 3)] as [number, number]);
      const value = random() < 0.5 ? 0 : draw();
      const outShape = shape.map((d, i) => d + widths[i][0] + widths[i][1]);
      const expected = (idx: number[]) => {
        const src = idx.map((v, i) => v - widths[i][0]);
        return src.every((v, i) => v >= 0 && v < shape[i]) ? at(a.x, src) : value;
      };
      const what = `pad ${sh(shape)} by ${JSON.stringify(widths)} with ${value}`;
      expectTensor(a.t.pad(widths, value), outShape, expected, what);
      if (value === 0) expectTensor(a.t.pad(widths), outShape, expected, `${what} (default)`);
    }
  });
  await t.step("errors", () => {
    const x = Tensor.zeros([2, 3]);
    expectError(() => x.pad([[1, 1]]), TypeError, ["pad", "[2, 3]", "2"], "too few pairs");
    expectError(() => x.pad([[1, 1], [0, -1]]), RangeError, ["pad", "0, -1"], "negative width");
    expectError(() => x.pad([[1, 1], [0, 0.5]]), RangeError, ["pad", "0.5"], "fractional width");
    expectError(
      () => x.pad([[1, 1], [0]] as unknown as [number, number][]),
      RangeError,
      ["pad"],
      "short pair",
    );
    expectError(
      () => x.pad([[0, 0], [0, 0]], "1" as unknown as number),
      TypeError,
      ["pad", '"1"'],
      "string value",
    );
  });
});

Deno.test("Tensor.slice() takes [start, end) per axis with negative, null and partial ranges", async (t) => {
  await t.step("random ranges", () => {
    seed(SEED);
    for (let trial = 0; trial < 60; trial++) {
      const shape = randomShape(randInt(0, 5), 0, 5);
      const a = randomTensor(shape);
      const count = randInt(0, shape.length + 1);
      const ranges: ([number, number?] | null | undefined)[] = [];
      const starts: number[] = [];
      const outShape: number[] = [];
      for (let i = 0; i < shape.length; i++) {
        const d = shape[i];
        const s = randInt(0, d + 1);
        const e = randInt(s, d + 1);
        const kind = i >= count ? "whole" : ["null", "undefined", "start", "both"][randInt(0, 4)];
        if (kind === "null" || kind === "undefined" || kind === "whole") {
          if (i < count) ranges.push(kind === "null" ? null : undefined);
          starts.push(0);
          outShape.push(d);
          continue;
        }
        const sGiven = s < d && random() < 0.5 ? s - d : s;
        const eGiven = e < d && random() < 0.5 ? e - d : e;
        ranges.push(kind === "start" ? [sGiven] : [sGiven, eGiven]);
        starts.push(s);
        outShape.push(kind === "start" ? d - s : e - s);
      }
      const what = `slice ${sh(shape)} by ${JSON.stringify(ranges)}`;
      expectTensor(a.t.slice(...ranges), outShape, (idx) => at(a.x, idx.map((v, i) => v + starts[i])), what);
    }
  });
  await t.step("errors name the axis, its length and the range", () => {
    const x = Tensor.zeros([3, 4]);
    expectError(() => x.slice([0, 4]), RangeError, ["slice", "axis 0", "3", "[0, 4]"], "end past the axis");
    expectError(() => x.slice(null, [5]), RangeError, ["slice", "axis 1", "4", "[5]"], "start past the axis");
    expectError(() => x.slice([2, 1]), RangeError, ["slice", "[2, 1]"], "start after end");
    expectError(() => x.slice([-4, 2]), RangeError, ["slice", "[-4, 2]"], "negative before the start");
    expectError(() => x.slice([0, 1.5]), TypeError, ["slice", "1.5"], "fractional");
    expectError(() => x.slice(null, null, [0, 1]), TypeError, ["slice", "[3, 4]", "3"], "too many ranges");
    expectError(() => x.slice(2 as unknown as [number]), TypeError, ["slice", "axis 0", "2"], "number range");
  });
});

Deno.test("Tensor.take() selects entries along any axis, negative from the end", async (t) => {
  await t.step("every axis of random shapes", () => {
    seed(SEED);
    for (let trial = 0; trial < 20; trial++) {
      const shape = randomShape(randInt(1, 5), 1, 5);
      const a = randomTensor(shape);
      for (let ax = -shape.length; ax < shape.length; ax++) {
        const axis = ax < 0 ? ax + shape.length : ax;
        const d = shape[axis];
        const indices = Array.from({ length: randInt(0, 6) }, () => randInt(-d, d));
        const outShape = [...shape];
        outShape[axis] = indices.length;
        const expected = (idx: number[]) => {
          const src = [...idx];
          const k = indices[idx[axis]];
          src[axis] = k < 0 ? k + d : k;
          return at(a.x, src);
        };
        const what = `take ${sh(indices)} along ${ax} of ${sh(shape)}`;
        expectTensor(a.t.take(indices, ax), outShape, expected, what);
        if (indices.length > 0) {
          expectTensor(a.t.take(Tensor.from(indices), ax), outShape, expected, `${what} (Tensor)`);
        }
        expectTensor(a.t.take(new Int32Array(indices), ax), outShape, expected, `${what} (Int32Array)`);
      }
    }
  });
  await t.step("a long inner block and the default axis", () => {
    seed(SEED);
    const a = randomTensor([6, 70]);
    expectTensor(a.t.take([5, 0, -1]), [3, 70], ([i, j]) => at(a.x, [[5, 0, 5][i], j]), "rows");
  });
  await t.step("errors", () => {
    const x = Tensor.zeros([2, 3]);
    expectError(() => x.take([3], 1), RangeError, ["take", "3", "axis 1", "3"], "past the end");
    expectError(() => x.take([-3]), RangeError, ["take", "-3", "axis 0", "2"], "before the start");
    expectError(() => x.take([0.5]), RangeError, ["take", "0.5"], "fractional");
    expectError(() => x.take([0], 2), RangeError, ["take", "2"], "axis");
    expectError(() => x.take(1 as unknown as number[]), TypeError, ["take", "1"], "number");
  });
});

Deno.test("Tensor.concat() and stack() join along existing and new axes", async (t) => {
  await t.step("concat on every axis", () => {
    seed(SEED);
    for (let rank = 1; rank <= 4; rank++) {
      for (let ax = -rank; ax < rank; ax++) {
        const axis = ax < 0 ? ax + rank : ax;
        const base = randomShape(rank, 1, 4);
        const parts = Array.from({ length: randInt(1, 4) }, () => {
          const s = [...base];
          s[axis] = randInt(0, 4);
          return randomTensor(s);
        });
        const lengths = parts.map((p) => p.t.shape[axis]);
        const outShape = [...base];
        outShape[axis] = lengths.reduce((x, y) => x + y, 0);
        const expected = (idx: number[]) => {
          let k = idx[axis];
          let part = 0;
          while (k >= lengths[part]) k -= lengths[part++];
          const src = [...idx];
          src[axis] = k;
          return at(parts[part].x, src);
        };
        const what = `concat ${parts.map((p) => sh(p.t.shape)).join(" ")} on ${ax}`;
        expectTensor(Tensor.concat(parts.map((p) => p.t), ax), outShape, expected, what);
      }
    }
    expectTensor(Tensor.concat([Tensor.from([1, 2]), Tensor.from([3])]), [3], ([i]) => i + 1, "default axis");
  });
  await t.step("stack on every new axis", () => {
    seed(SEED);
    for (let rank = 0; rank <= 3; rank++) {
      for (let ax = -rank - 1; ax <= rank; ax++) {
        const axis = ax < 0 ? ax + rank + 1 : ax;
        const shape = randomShape(rank, 1, 4);
        const parts = Array.from({ length: randInt(1, 4) }, () => randomTensor(shape));
        const outShape = [...shape];
        outShape.splice(axis, 0, parts.length);
        const expected = (idx: number[]) => {
          const src = [...idx];
          const [which] = src.splice(axis, 1);
          return at(parts[which].x, src);
        };
        expectTensor(
          Tensor.stack(parts.map((p) => p.t), ax),
          outShape,
          expected,
          `stack ${sh(shape)} on ${ax}`,
        );
      }
    }
  });
  await t.step("errors", () => {
    const a = Tensor.zeros([2, 3]);
    expectError(() => Tensor.concat([]), TypeError, ["concat"], "empty list");
    expectError(
      () => Tensor.concat([a, Tensor.zeros([2, 4])], 0),
      TypeError,
      ["concat", "[2, 3]", "[2, 4]"],
      "off axis",
    );
    expectError(
      () => Tensor.concat([a, Tensor.zeros([3])], 0),
      TypeError,
      ["concat", "[2, 3]", "[3]"],
      "rank",
    );
    expectError(() => Tensor.concat([a, a], 2), RangeError, ["concat", "2"], "axis");
    expectError(() => Tensor.concat([a, [1] as unknown as Tensor]), TypeError, ["concat"], "non-tensor");
    expectError(() => Tensor.concat([Tensor.from(1), Tensor.from(2)]), RangeError, ["concat", "0"], "0-d");
    expectError(() => Tensor.stack([]), TypeError, ["stack"], "empty stack");
    expectError(
      () => Tensor.stack([a, Tensor.zeros([3, 2])]),
      TypeError,
      ["stack", "[2, 3]", "[3, 2]"],
      "shapes",
    );
    expectError(() => Tensor.stack([a, a], 3), RangeError, ["stack", "3"], "stack axis");
    expectError(() => Tensor.stack([a, 1 as unknown as Tensor]), TypeError, ["stack"], "stack non-tensor");
  });
});

Deno.test("Tensor copies stay right for long rows and many axes", async (t) => {
  // Long contiguous runs are copied in bulk and short ones in a loop; axes are
  // merged where the data allows. These cases cross both paths.
  seed(SEED);
  const a = randomTensor([3, 2, 45]);
  await t.step("slice, pad, broadcastTo and transpose", () => {
    expectTensor(
      a.t.slice([1], null, [2, 40]),
      [2, 2, 38],
      ([i, j, k]) => at(a.x, [i + 1, j, k + 2]),
      "slice",
    );
    expectTensor(a.t.slice(null, [1]), [3, 1, 45], ([i, , k]) => at(a.x, [i, 1, k]), "slice whole rows");
    const widths: [number, number][] = [[0, 1], [0, 0], [2, 3]];
    expectTensor(
      a.t.pad(widths, -1),
      [4, 2, 50],
      ([i, j, k]) => (i < 3 && k >= 2 && k < 47 ? at(a.x, [i, j, k - 2]) : -1),
      "pad",
    );
    expectTensor(
      a.t.pad([[1, 0], [0, 0], [0, 0]]),
      [4, 2, 45],
      ([i, j, k]) => (i === 0 ? 0 : at(a.x, [i - 1, j, k])),
      "pad rows",
    );
    const row = randomTensor([1, 1, 45]);
    expectTensor(row.t.broadcastTo([3, 2, 45]), [3, 2, 45], ([, , k]) => at(row.x, [0, 0, k]), "broadcastTo");
    expectTensor(a.t.transpose([1, 0, 2]), [2, 3, 45], ([j, i, k]) => at(a.x, [i, j, k]), "transpose rows");
  });
  await t.step("concat, stack, take and copyInPlace", () => {
    const b = randomTensor([3, 2, 40]);
    expectTensor(
      Tensor.concat([a.t, b.t], 2),
      [3, 2, 85],
      ([i, j, k]) => (k < 45 ? at(a.x, [i, j, k]) : at(b.x, [i, j, k - 45])),
      "concat",
    );
    expectTensor(Tensor.stack([a.t, a.t], 1), [3, 2, 2, 45], ([i, , j, k]) => at(a.x, [i, j, k]), "stack");
    expectTensor(a.t.take([2, -3, 2]), [3, 2, 45], ([i, j, k]) => at(a.x, [[2, 0, 2][i], j, k]), "take");
    expectTensor(a.t.take([1, 0], 1), [3, 2, 45], ([i, j, k]) => at(a.x, [i, 1 - j, k]), "take axis 1");
    const target = Tensor.zeros([3, 2, 45]);
    const src = randomTensor([2, 1]);
    expectTensor(target.copyInPlace(src.t), [3, 2, 45], ([, j]) => at(src.x, [j, 0]), "copyInPlace");
  });
});

// -------------------------------------------------------------------- in place

/** Whether shape `b` broadcasts to exactly `a`. */
function fitsInto(b: readonly number[], a: readonly number[]): boolean {
  const s = broadcastShape(a, b);
  return s !== undefined && s.length === a.length && s.every((d, i) => d === a[i]);
}

Deno.test("Tensor in-place methods change this and broadcast the other operand", async (t) => {
  const ops: [string, (a: Tensor, b: Tensor | number) => Tensor, (x: number, y: number) => number, string][] =
    [
      ["addInPlace", (a, b) => a.addInPlace(b), (x, y) => x + y, "add in place"],
      ["subInPlace", (a, b) => a.subInPlace(b), (x, y) => x - y, "subtract in place"],
      ["mulInPlace", (a, b) => a.mulInPlace(b), (x, y) => x * y, "multiply in place"],
      ["divInPlace", (a, b) => a.divInPlace(b), (x, y) => x / y, "divide in place"],
    ];
  for (const [name, op, ref, word] of ops) {
    await t.step(name, () => {
      seed(SEED);
      for (const [sa, sb0] of broadcastPairs(30)) {
        // The other operand must broadcast to this one's shape: else use a trailing part of it.
        const sb = fitsInto(sb0, sa) ? sb0 : sa.slice(randInt(0, sa.length + 1));
        const a = randomTensor(sa);
        const b = randomTensor(sb);
        const what = `${name} ${sh(sa)} with ${sh(sb)}`;
        const result = op(a.t, b.t);
        assert.equal(result, a.t, `${what} must return this`);
        expectTensor(a.t, sa, (idx) => ref(at(a.x, idx), at(b.x, project(idx, sb))), what, near(1e-15));
        expectTensor(b.t, sb, (idx) => at(b.x, idx), `${what}: other modified`);
        const c = randomTensor(sa);
        op(c.t, 1.5);
        expectTensor(c.t, sa, (idx) => ref(at(c.x, idx), 1.5), `${name} ${sh(sa)} with 1.5`, near(1e-15));
      }
      const self = Tensor.from([1, 2, 3]);
      op(self, self);
      expectTensor(self, [3], ([i]) => ref(i + 1, i + 1), `${name} with itself`);
    });
    await t.step(`${name}: a result that would not fit is a TypeError naming both shapes`, () => {
      for (const [sa, sb] of [[[3], [2, 3]], [[2, 1], [2, 3]], [[2, 3], [3, 2]], [[], [2]]]) {
        const a = Tensor.ones(sa);
        expectError(
          () => op(a, Tensor.ones(sb)),
          TypeError,
          [word, sh(sa), sh(sb)],
          `${name} ${sh(sa)} ${sh(sb)}`,
        );
        expectTensor(a, sa, () => 1, `${name}: a failed call changed this`);
      }
      expectError(() => op(Tensor.ones([2]), "2" as unknown as number), TypeError, [word, '"2"'], "string");
    });
  }
  await t.step("addScaledInPlace", () => {
    seed(SEED);
    for (const [sa, sb] of [[[3, 4], [3, 4]], [[3, 4], [4]], [[2, 3, 2], [3, 1]], [[], []], [[0, 2], [2]]]) {
      const a = randomTensor(sa);
      const b = randomTensor(sb);
      assert.equal(a.t.addScaledInPlace(-0.5, b.t), a.t);
      expectTensor(
        a.t,
        sa,
        (idx) => at(a.x, idx) + -0.5 * at(b.x, project(idx, sb)),
        `axpy ${sh(sa)} ${sh(sb)}`,
      );
    }
    expectError(
      () => Tensor.ones([3]).addScaledInPlace(2, Tensor.ones([2, 3])),
      TypeError,
      ["add scaled in place", "[3]", "[2, 3]"],
      "axpy would not fit",
    );
    expectError(
      () => Tensor.ones([3]).addScaledInPlace(2, 3 as unknown as Tensor),
      TypeError,
      ["add scaled"],
      "axpy",
    );
  });
  await t.step("fillInPlace, copyInPlace and set", () => {
    seed(SEED);
    const x = Tensor.ones([2, 3]);
    assert.equal(x.fillInPlace(-2), x);
    expectTensor(x, [2, 3], () => -2, "fill");
    for (const [sa, sb] of [[[2, 3], [2, 3]], [[2, 3], [3]], [[2, 3], [2, 1]], [[2, 3], []], [[0, 3], [3]]]) {
      const a = Tensor.zeros(sa);
      const b = randomTensor(sb);
      assert.equal(a.copyInPlace(b.t), a);
      expectTensor(a, sa, (idx) => at(b.x, project(idx, sb)), `copy ${sh(sb)} into ${sh(sa)}`);
      b.t.fillInPlace(99);
      if (sizeOf(sa) > 0) assert.notEqual(a.get(...sa.map(() => 0)), 99, "copyInPlace kept a reference");
    }
    expectTensor(Tensor.zeros([2]).copyInPlace(4), [2], () => 4, "copy a number");
    expectError(() => Tensor.zeros([3]).copyInPlace(Tensor.zeros([2, 3])), TypeError, [
      "copy",
      "[2, 3]",
      "[3]",
    ], "copy");
    expectError(
      () => Tensor.zeros([3]).copyInPlace(Tensor.zeros([2])),
      TypeError,
      ["copy", "[2]", "[3]"],
      "copy 2",
    );
    expectError(
      () => Tensor.zeros([3]).fillInPlace("1" as unknown as number),
      TypeError,
      ["fill", '"1"'],
      "fill",
    );
  });
});

// ------------------------------------------------------------------ comparison

Deno.test("Tensor.allClose() and equals() follow numpy's isclose", async (t) => {
  await t.step("tolerances: |a − b| ≤ atol + rtol·|b|", () => {
    const b = Tensor.from([1000, 1]);
    assert.ok(Tensor.from([1000.009, 1]).allClose(b), "within rtol");
    assert.ok(!Tensor.from([1000.02, 1]).allClose(b), "beyond rtol");
    assert.ok(Tensor.from([1e-9]).allClose(Tensor.from([0])), "within atol");
    assert.ok(!Tensor.from([1e-7]).allClose(Tensor.from([0])), "beyond atol");
    assert.ok(Tensor.from([1.5]).allClose(Tensor.from([1]), { atol: 0.5, rtol: 0 }), "custom atol");
    assert.ok(!Tensor.from([1.5]).allClose(Tensor.from([1]), { atol: 0.4, rtol: 0 }), "custom atol exceeded");
    assert.ok(Tensor.from([1.5]).allClose(Tensor.from([1]), { rtol: 0.5 }), "custom rtol");
    // Asymmetric, as numpy: the tolerance scales with |b|.
    assert.ok(Tensor.from([0]).allClose(Tensor.from([1]), { rtol: 1, atol: 0 }));
    assert.ok(!Tensor.from([1]).allClose(Tensor.from([0]), { rtol: 1, atol: 0 }));
  });
  await t.step("NaN never matches; infinities match only the same infinity", () => {
    assert.ok(!Tensor.from([NaN]).allClose(Tensor.from([NaN])));
    assert.ok(!Tensor.from([NaN]).equals(Tensor.from([NaN])));
    assert.ok(!Tensor.from([1]).allClose(Tensor.from([NaN])));
    assert.ok(Tensor.from([Infinity, -Infinity]).allClose(Tensor.from([Infinity, -Infinity])));
    assert.ok(Tensor.from([Infinity]).equals(Tensor.from([Infinity])));
    assert.ok(!Tensor.from([Infinity]).allClose(Tensor.from([-Infinity])), "inf vs -inf");
    assert.ok(!Tensor.from([-Infinity]).allClose(Tensor.from([Infinity])), "-inf vs inf");
    assert.ok(!Tensor.from([1]).allClose(Tensor.from([Infinity])), "finite vs inf");
    assert.ok(!Tensor.from([1e308]).allClose(Tensor.from([Infinity])), "large vs inf");
    assert.ok(!Tensor.from([Infinity]).allClose(Tensor.from([1])), "inf vs finite");
    assert.ok(!Tensor.from([1]).allClose(Tensor.from([-Infinity]), { rtol: 1 }), "finite vs -inf, rtol 1");
  });
  await t.step("shapes must match exactly (no broadcasting)", () => {
    assert.ok(!Tensor.ones([2]).allClose(Tensor.ones([1, 2])));
    assert.ok(!Tensor.ones([1]).allClose(Tensor.ones([])));
    assert.ok(!Tensor.ones([2, 3]).equals(Tensor.ones([3, 2])));
    assert.ok(Tensor.zeros([0, 2]).equals(Tensor.zeros([0, 2])));
    assert.ok(!Tensor.zeros([0, 2]).equals(Tensor.zeros([2, 0])));
  });
  await t.step("equals is exact", () => {
    assert.ok(Tensor.from([1, 2]).equals(Tensor.from([1, 2])));
    assert.ok(!Tensor.from([1, 2]).equals(Tensor.from([1, 2 + 1e-15])));
    assert.ok(Tensor.from([0]).equals(Tensor.from([-0])));
  });
  await t.step("errors", () => {
    expectError(() => Tensor.ones([1]).allClose([1] as unknown as Tensor), TypeError, ["allClose"], "array");
    expectError(() => Tensor.ones([1]).equals(1 as unknown as Tensor), TypeError, ["equals", "1"], "number");
  });
});

Deno.test("Tensor.toString() renders like numpy", async (t) => {
  await t.step("small tensors", () => {
    assert.equal(Tensor.from(5).toString(), "tensor(5)");
    assert.equal(Tensor.from(-0.5).toString(), "tensor(-0.5)");
    assert.equal(Tensor.from([1, 2, 3]).toString(), "tensor([1, 2, 3])");
    assert.equal(Tensor.from([[1, -2], [30, 4]]).toString(), "tensor([[ 1, -2],\n        [30,  4]])");
    assert.equal(Tensor.from([0.5, 1]).toString(), "tensor([0.5,   1])");
    assert.equal(Tensor.from([NaN, Infinity, -Infinity]).toString(), "tensor([ nan,  inf, -inf])");
    assert.equal(Tensor.from([]).toString(), "tensor([])");
    assert.equal(`${Tensor.from([1])}`, "tensor([1])");
  });
  await t.step("3-D tensors leave a blank line between blocks", () => {
    const x = Tensor.arange(8).reshape([2, 2, 2]);
    assert.equal(
      x.toString(),
      "tensor([[[0, 1],\n" +
        "         [2, 3]],\n" +
        "\n" +
        "        [[4, 5],\n" +
        "         [6, 7]]])",
    );
  });
  await t.step("large tensors are summarised with ... and their shape", () => {
    assert.equal(
      Tensor.arange(2000).toString(),
      "tensor([   0,    1,    2, ..., 1997, 1998, 1999], shape=[2000])",
    );
    assert.equal(
      Tensor.arange(2000).reshape([100, 20]).toString(),
      "tensor([[   0,    1,    2, ...,   17,   18,   19],\n" +
        "        [  20,   21,   22, ...,   37,   38,   39],\n" +
        "        [  40,   41,   42, ...,   57,   58,   59],\n" +
        "        ...,\n" +
        "        [1940, 1941, 1942, ..., 1957, 1958, 1959],\n" +
        "        [1960, 1961, 1962, ..., 1977, 1978, 1979],\n" +
        "        [1980, 1981, 1982, ..., 1997, 1998, 1999]], shape=[100, 20])",
    );
    const big = Tensor.zeros([1000, 1000]).toString();
    assert.ok(big.length < 400, `summary of [1000, 1000] is ${big.length} characters`);
  });
  await t.step("console.log uses it", () => {
    assert.equal(Deno.inspect(Tensor.from([1, 2])), "tensor([1, 2])");
  });
});

Deno.test("matmul into out writes or accumulates in place and checks what it is given", () => {
  const a = Tensor.from([[1, 2, 3], [4, 5, 6]]);
  const b = Tensor.from([[1, 0], [0, 1], [1, 1]]);
  const out = Tensor.full([2, 2], 7);
  assert.equal(a.matmul(b, { out }), out);
  assert.deepEqual(out.toArray(), [[4, 5], [10, 11]]);
  a.matmul(b, { out, accumulate: true });
  assert.deepEqual(out.toArray(), [[8, 10], [20, 22]]);
  const grad = Tensor.zeros([3, 3]);
  a.matmul(a, { transA: true, out: grad, accumulate: true });
  assert.ok(grad.allClose(a.T.matmul(a)));
  assert.throws(
    () => a.matmul(b, { out: Tensor.zeros([2, 3]) }),
    /out must have shape \[2, 2\], received \[2, 3\]/,
  );
  assert.throws(() => a.matmul(b, { accumulate: true }), /accumulate needs an out tensor/);
  const square = Tensor.from([[1, 2], [3, 4]]);
  assert.throws(() => square.matmul(square, { out: square }), /shares memory with an operand/);
});
