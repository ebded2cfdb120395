/**
 * `Tensor`: a float64, row-major, contiguous n-dimensional array with a
 * numpy-like API, the numeric library students write their modules with.
 *
 * Every operation returns a new contiguous tensor, except the methods whose
 * name ends in `InPlace` (and `set`), which change `this` and return it.
 * Shape errors are `TypeError`s naming the operation and both shapes; values
 * out of range are `RangeError`s.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Tensor } from "./tensor.ts";
 * const x = Tensor.from([[1, 2, 3], [4, 5, 6]]);
 * const w = Tensor.from([[1, 0, 0], [0, 1, 0]]);
 * const y = x.matmul(w, { transB: true }).add(Tensor.from([10, 20]));
 * assert.ok(y.allClose(Tensor.from([[11, 22], [14, 25]])));
 * assert.ok(x.sum(0).allClose(Tensor.from([5, 7, 9])));
 * ```
 *
 * @module
 */

import { binaryFlat, BinaryOp, binaryRun2D, ReduceOp, reduceRun, UnaryOp, unaryRun } from "./_kernels.ts";
import { gemm } from "./_gemm.ts";
import { fillBernoulli, fillNormal, fillUniform } from "./random.ts";
import { formatTensor } from "./_format.ts";

/** Nested plain arrays of numbers, as `Tensor.from` takes and `toArray` gives. */
export type NestedArray = number | NestedArray[];
/** What `Tensor.from` accepts: a number or (nested) arrays of numbers. */
export type NestedInput = number | ArrayLike<number> | readonly NestedInput[];
/** A tensor, or a number that broadcasts like a 0-d tensor. */
export type TensorLike = Tensor | number;
/** An axis range for {@linkcode Tensor.slice}: `[start, end)`, negative counts from the end; `null` keeps the whole axis. */
export type Range = readonly [number, number?] | null | undefined;

/** Options of {@linkcode Tensor.matmul}. */
export interface MatmulOptions {
  /** Use the transpose of `this` (stored `[k, m]`). */
  transA?: boolean;
  /** Use the transpose of `other` (stored `[n, k]`). */
  transB?: boolean;
  /**
   * Write the product into this tensor (shape `[m, n]`, not an operand) instead of a new one,
   * and return it: no allocation, for code that runs every training step.
   */
  out?: Tensor;
  /** With `out`: add the product to what `out` holds (`out += op(a)·op(b)`), as gradients accumulate. */
  accumulate?: boolean;
}

/** Tolerances of {@linkcode Tensor.allClose}: `|a − b| ≤ atol + rtol·|b|`. */
export interface CloseOptions {
  /** Relative tolerance (default 1e-5, as numpy). */
  rtol?: number;
  /** Absolute tolerance (default 1e-8, as numpy). */
  atol?: number;
}

/** A float64, row-major, contiguous n-dimensional array. */
export class Tensor {
  /** The elements in row-major order; its length is `size`. */
  readonly data: Float64Array;
  /** The length of each axis. */
  readonly shape: readonly number[];
  /** The step in `data` between neighbours along each axis (row-major). */
  readonly strides: readonly number[];

  /**
   * Wraps `data` (not copied) as a tensor of the given shape.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * const t = new Tensor(new Float64Array([1, 2, 3, 4]), [2, 2]);
   * assert.equal(t.get(1, 0), 3);
   * ```
   */
  constructor(data: Float64Array, shape: readonly number[]) {
    if (!(data instanceof Float64Array)) {
      throw new TypeError(`Cannot build a tensor: expected a Float64Array, received ${_describe(data)}`);
    }
    const dims = _checkShape("build a tensor", shape);
    const size = _product(dims);
    if (size !== data.length) {
      throw new TypeError(
        `Cannot build a tensor: shape ${_fmt(dims)} holds ${size} elements, received ${data.length}`,
      );
    }
    this.data = data;
    this.shape = Object.freeze(dims);
    this.strides = Object.freeze(_stridesOf(dims));
  }

  /** The number of elements. */
  get size(): number {
    return this.data.length;
  }

  /** The number of axes. */
  get ndim(): number {
    return this.shape.length;
  }

  // ---------------------------------------------------------------- creation

  /**
   * A tensor from nested arrays of numbers (rank ≥ 1), or a 0-d tensor from a
   * number. Ragged arrays and non-numbers are `TypeError`s.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * assert.deepEqual(Tensor.from([[1, 2], [3, 4]]).shape, [2, 2]);
   * ```
   */
  static from(values: NestedInput): Tensor {
    const shape: number[] = [];
    let probe: unknown = values;
    while (typeof probe !== "number") {
      if (!_isArrayLike(probe)) {
        throw new TypeError(
          `Cannot build a tensor: expected numbers or arrays, received ${_describe(probe)}`,
        );
      }
      shape.push(probe.length);
      if (probe.length === 0) break;
      probe = probe[0];
    }
    const data = new Float64Array(_product(shape));
    if (shape.length === 0) {
      data[0] = values as number;
      return new Tensor(data, shape);
    }
    // Rows of the last axis are copied in a loop; `path` (the index of the
    // current row) is only read to write an error message.
    const path: number[] = [];
    const leaf = shape.length - 1;
    let k = 0;
    const walk = (v: unknown, depth: number): void => {
      if (!_isArrayLike(v) || v.length !== shape[depth]) {
        throw new TypeError(
          `Cannot build a tensor: ragged array at [${path.join(", ")}]: expected length ${
            shape[depth]
          }, received ${_isArrayLike(v) ? `length ${v.length}` : _describe(v)}`,
        );
      }
      if (depth === leaf) {
        for (let i = 0; i < v.length; i++) {
          const x = v[i];
          if (typeof x !== "number") {
            throw new TypeError(
              `Cannot build a tensor: expected a number at [${[...path, i].join(", ")}], received ${
                _describe(x)
              }`,
            );
          }
          data[k++] = x;
        }
        return;
      }
      for (let i = 0; i < v.length; i++) {
        path.push(i);
        walk(v[i], depth + 1);
        path.pop();
      }
    };
    walk(values, 0);
    return new Tensor(data, shape);
  }

  /**
   * A tensor of zeros.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * assert.equal(Tensor.zeros([2, 3]).sum(), 0);
   * ```
   */
  static zeros(shape: readonly number[]): Tensor {
    const dims = _checkShape("create zeros", shape);
    return new Tensor(new Float64Array(_product(dims)), dims);
  }

  /**
   * A tensor of ones.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * assert.equal(Tensor.ones([2, 3]).sum(), 6);
   * ```
   */
  static ones(shape: readonly number[]): Tensor {
    return Tensor.full(shape, 1);
  }

  /**
   * A tensor with every element equal to `value`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * assert.equal(Tensor.full([2], 7).get(1), 7);
   * ```
   */
  static full(shape: readonly number[], value: number): Tensor {
    _checkNumber("create a full tensor", value);
    const dims = _checkShape("create a full tensor", shape);
    return new Tensor(new Float64Array(_product(dims)).fill(value), dims);
  }

  /**
   * The n × n identity matrix.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * assert.equal(Tensor.eye(3).sum(), 3);
   * ```
   */
  static eye(n: number): Tensor {
    if (!Number.isInteger(n) || n < 0) {
      throw new RangeError(
        `Cannot create eye: expected a non-negative integer size, received ${_describe(n)}`,
      );
    }
    const t = Tensor.zeros([n, n]);
    for (let i = 0; i < n; i++) t.data[i * n + i] = 1;
    return t;
  }

  /**
   * `[start, start + step, …]` up to (not including) `stop`, like numpy's
   * `arange`; `arange(n)` counts 0 … n − 1.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * assert.deepEqual(Tensor.arange(4).toArray(), [0, 1, 2, 3]);
   * assert.deepEqual(Tensor.arange(1, 2, 0.5).toArray(), [1, 1.5]);
   * ```
   */
  static arange(start: number, stop?: number, step = 1): Tensor {
    if (stop === undefined) [start, stop] = [0, start];
    _checkNumber("arange", start);
    _checkNumber("arange", stop);
    _checkNumber("arange", step);
    if (!Number.isFinite(start) || !Number.isFinite(stop)) {
      throw new RangeError(`Cannot arange: expected finite start and stop, received ${start} and ${stop}`);
    }
    if (!Number.isFinite(step) || step === 0) {
      throw new RangeError(`Cannot arange: expected a finite non-zero step, received ${step}`);
    }
    const n = Math.max(0, Math.ceil((stop - start) / step));
    const data = new Float64Array(n);
    for (let i = 0; i < n; i++) data[i] = start + i * step;
    return new Tensor(data, [n]);
  }

  /**
   * Zeros with the shape of `t`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * assert.equal(Tensor.zerosLike(Tensor.ones([2, 2])).sum(), 0);
   * ```
   */
  static zerosLike(t: Tensor): Tensor {
    return Tensor.zeros(_checkTensor("zerosLike", t).shape);
  }

  /**
   * Ones with the shape of `t`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * assert.equal(Tensor.onesLike(Tensor.zeros([2, 2])).sum(), 4);
   * ```
   */
  static onesLike(t: Tensor): Tensor {
    return Tensor.ones(_checkTensor("onesLike", t).shape);
  }

  /**
   * `value` everywhere, with the shape of `t`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * assert.equal(Tensor.fullLike(Tensor.zeros([2]), 3).sum(), 6);
   * ```
   */
  static fullLike(t: Tensor, value: number): Tensor {
    return Tensor.full(_checkTensor("fullLike", t).shape, value);
  }

  /**
   * Uniform samples in [low, high) from the seeded generator of `random.ts`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * import { seed } from "./random.ts";
   * seed(3);
   * const a = Tensor.uniform([2, 2], -1, 1);
   * seed(3);
   * assert.ok(a.allClose(Tensor.uniform([2, 2], -1, 1)));
   * ```
   */
  static uniform(shape: readonly number[], low = 0, high = 1): Tensor {
    _checkNumber("draw uniform samples", low);
    _checkNumber("draw uniform samples", high);
    const dims = _checkShape("draw uniform samples", shape);
    const t = Tensor.zeros(dims);
    fillUniform(t.data, low, high);
    return t;
  }

  /**
   * Normal samples from the seeded generator of `random.ts`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * assert.ok(Tensor.normal([1000], 0, 1).mean() < 0.2);
   * ```
   */
  static normal(shape: readonly number[], mean = 0, std = 1): Tensor {
    _checkNumber("draw normal samples", mean);
    _checkNumber("draw normal samples", std);
    if (!(std >= 0)) {
      throw new RangeError(`Cannot draw normal samples: expected a non-negative std, received ${std}`);
    }
    const dims = _checkShape("draw normal samples", shape);
    const t = Tensor.zeros(dims);
    fillNormal(t.data, mean, std);
    return t;
  }

  /**
   * A mask of independent 1s (probability `p`) and 0s, seeded.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * assert.equal(Tensor.bernoulli([4], 1).sum(), 4);
   * ```
   */
  static bernoulli(shape: readonly number[], p: number): Tensor {
    const dims = _checkShape("draw a Bernoulli mask", shape);
    const t = Tensor.zeros(dims);
    fillBernoulli(t.data, p);
    return t;
  }

  /**
   * Joins tensors along an existing axis; the other axes must match.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * const c = Tensor.concat([Tensor.ones([1, 2]), Tensor.zeros([2, 2])], 0);
   * assert.deepEqual(c.shape, [3, 2]);
   * ```
   */
  static concat(tensors: readonly Tensor[], axis = 0): Tensor {
    if (!Array.isArray(tensors) || tensors.length === 0) {
      throw new TypeError(
        `Cannot concat: expected a non-empty array of tensors, received ${_describe(tensors)}`,
      );
    }
    const list: readonly Tensor[] = tensors.map((t) => _checkTensor("concat", t));
    const first = list[0];
    const ax = _normAxis("concat", axis, first.ndim);
    let total = 0;
    for (const t of list) {
      if (t.ndim !== first.ndim || t.shape.some((d, i) => i !== ax && d !== first.shape[i])) {
        throw new TypeError(
          `Cannot concat along axis ${axis}: shapes ${_fmt(first.shape)} and ${
            _fmt(t.shape)
          } differ off that axis`,
        );
      }
      total += t.shape[ax];
    }
    const shape = [...first.shape];
    shape[ax] = total;
    const out = Tensor.zeros(shape);
    const outer = _product(shape.slice(0, ax));
    const inner = _product(shape.slice(ax + 1));
    let offset = 0;
    for (const t of list) {
      const chunk = t.shape[ax] * inner;
      for (let o = 0; o < outer; o++) {
        _copy(t.data, o * chunk, out.data, o * total * inner + offset, chunk);
      }
      offset += chunk;
    }
    return out;
  }

  /**
   * Joins same-shaped tensors along a new axis.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * assert.deepEqual(Tensor.stack([Tensor.ones([3]), Tensor.ones([3])]).shape, [2, 3]);
   * ```
   */
  static stack(tensors: readonly Tensor[], axis = 0): Tensor {
    if (!Array.isArray(tensors) || tensors.length === 0) {
      throw new TypeError(
        `Cannot stack: expected a non-empty array of tensors, received ${_describe(tensors)}`,
      );
    }
    tensors.forEach((t) => _checkTensor("stack", t));
    const first = tensors[0];
    for (const t of tensors) {
      if (!_sameShape(t.shape, first.shape)) {
        throw new TypeError(`Cannot stack: shapes ${_fmt(first.shape)} and ${_fmt(t.shape)} differ`);
      }
    }
    const ax = _normAxis("stack", axis, first.ndim + 1);
    const expanded = [...first.shape];
    expanded.splice(ax, 0, 1);
    return Tensor.concat(tensors.map((t) => t.reshape(expanded)), ax);
  }

  /**
   * Chooses elementwise: `a` where `condition` is non-zero, else `b`
   * (all three broadcast together).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * const x = Tensor.from([-1, 2]);
   * assert.deepEqual(Tensor.where(x.gt(0), x, 0).toArray(), [0, 2]);
   * ```
   */
  static where(condition: Tensor, a: TensorLike, b: TensorLike): Tensor {
    _checkTensor("where", condition);
    const ta = _asTensor("where", a);
    const tb = _asTensor("where", b);
    const op = "choose with where";
    const shape = _broadcastShapes(op, _broadcastShapes(op, condition.shape, ta.shape), tb.shape);
    // An operand of the full shape is read as is, a one-element one as a
    // constant (step 0); only the others are broadcast into a copy.
    const view = (t: Tensor): [Float64Array, number] =>
      _sameShape(t.shape, shape) ? [t.data, 1] : t.size === 1 ? [t.data, 0] : [t.broadcastTo(shape).data, 1];
    const [c, sc] = view(condition);
    const [x, sx] = view(ta);
    const [y, sy] = view(tb);
    const out = new Float64Array(_product(shape));
    // Select without a branch: a mask is as unpredictable as the data behind it.
    const pick = new Float64Array(2);
    for (let i = 0; i < out.length; i++) {
      pick[0] = y[i * sy];
      pick[1] = x[i * sx];
      out[i] = pick[+(c[i * sc] !== 0)];
    }
    return new Tensor(out, shape);
  }

  // ---------------------------------------------------------------- elements

  /**
   * The element at `index` (one integer per axis, negative counts from the end).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * assert.equal(Tensor.from([[1, 2], [3, 4]]).get(-1, 0), 3);
   * ```
   */
  get(...index: number[]): number {
    return this.data[this._offset("get", index)];
  }

  /**
   * Sets the element at `index` to `value`, in place; returns `this`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * assert.equal(Tensor.zeros([2, 2]).set([1, 1], 5).get(1, 1), 5);
   * ```
   */
  set(index: readonly number[], value: number): this {
    _checkNumber("set", value);
    this.data[this._offset("set", index)] = value;
    return this;
  }

  /**
   * The only element of a one-element tensor.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * assert.equal(Tensor.from([[4]]).item(), 4);
   * ```
   */
  item(): number {
    if (this.size !== 1) {
      throw new TypeError(
        `Cannot take item: expected a tensor of one element, received shape ${_fmt(this.shape)}`,
      );
    }
    return this.data[0];
  }

  /**
   * The elements as nested plain arrays (a number for a 0-d tensor).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * assert.equal(JSON.stringify(Tensor.from([[1, 2]]).toArray()), "[[1,2]]");
   * ```
   */
  toArray(): NestedArray {
    if (this.ndim === 0) return this.data[0];
    const build = (axis: number, offset: number): NestedArray[] => {
      const n = this.shape[axis];
      const step = this.strides[axis];
      const out: NestedArray[] = new Array(n);
      if (axis === this.ndim - 1) {
        for (let i = 0; i < n; i++) out[i] = this.data[offset + i];
      } else {
        for (let i = 0; i < n; i++) out[i] = build(axis + 1, offset + i * step);
      }
      return out;
    };
    return build(0, 0);
  }

  /**
   * A copy with its own data.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * const a = Tensor.ones([2]);
   * const b = a.clone().fillInPlace(0);
   * assert.ok(a.sum() === 2 && b.sum() === 0);
   * ```
   */
  clone(): Tensor {
    return new Tensor(this.data.slice(), this.shape);
  }

  // ------------------------------------------------------------- elementwise

  /**
   * `this + other`, broadcasting.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * assert.equal(Tensor.ones([2, 3]).add(Tensor.from([1, 2, 3])).sum(), 18);
   * ```
   */
  add(other: TensorLike): Tensor {
    return this._binary("add tensors", BinaryOp.Add, other);
  }

  /**
   * `this − other`, broadcasting.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * assert.equal(Tensor.ones([2]).sub(1).sum(), 0);
   * ```
   */
  sub(other: TensorLike): Tensor {
    return this._binary("subtract tensors", BinaryOp.Sub, other);
  }

  /**
   * `this · other` elementwise, broadcasting.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * assert.equal(Tensor.from([1, 2]).mul(3).sum(), 9);
   * ```
   */
  mul(other: TensorLike): Tensor {
    return this._binary("multiply tensors", BinaryOp.Mul, other);
  }

  /**
   * `this / other` elementwise, broadcasting.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * assert.equal(Tensor.from([2, 4]).div(2).sum(), 3);
   * ```
   */
  div(other: TensorLike): Tensor {
    return this._binary("divide tensors", BinaryOp.Div, other);
  }

  /**
   * `this ** other` elementwise, broadcasting.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * assert.equal(Tensor.from([2, 3]).pow(2).sum(), 13);
   * ```
   */
  pow(other: TensorLike): Tensor {
    return this._binary("raise tensors to a power", BinaryOp.Pow, other);
  }

  /**
   * The elementwise larger of `this` and `other` (NaN wins), broadcasting.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * assert.deepEqual(Tensor.from([-1, 2]).maximum(0).toArray(), [0, 2]);
   * ```
   */
  maximum(other: TensorLike): Tensor {
    return this._binary("take the maximum of tensors", BinaryOp.Maximum, other);
  }

  /**
   * The elementwise smaller of `this` and `other` (NaN wins), broadcasting.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * assert.deepEqual(Tensor.from([-1, 2]).minimum(0).toArray(), [-1, 0]);
   * ```
   */
  minimum(other: TensorLike): Tensor {
    return this._binary("take the minimum of tensors", BinaryOp.Minimum, other);
  }

  /**
   * 1 where `this > other`, else 0.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * assert.deepEqual(Tensor.from([-1, 2]).gt(0).toArray(), [0, 1]);
   * ```
   */
  gt(other: TensorLike): Tensor {
    return this._binary("compare tensors", BinaryOp.Gt, other);
  }

  /**
   * 1 where `this ≥ other`, else 0.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * assert.deepEqual(Tensor.from([0, 2]).ge(0).toArray(), [1, 1]);
   * ```
   */
  ge(other: TensorLike): Tensor {
    return this._binary("compare tensors", BinaryOp.Ge, other);
  }

  /**
   * 1 where `this < other`, else 0.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * assert.deepEqual(Tensor.from([-1, 2]).lt(0).toArray(), [1, 0]);
   * ```
   */
  lt(other: TensorLike): Tensor {
    return this._binary("compare tensors", BinaryOp.Lt, other);
  }

  /**
   * 1 where `this ≤ other`, else 0.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * assert.deepEqual(Tensor.from([0, 2]).le(0).toArray(), [1, 0]);
   * ```
   */
  le(other: TensorLike): Tensor {
    return this._binary("compare tensors", BinaryOp.Le, other);
  }

  /**
   * 1 where `this === other`, else 0.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * assert.deepEqual(Tensor.from([0, 2]).eq(2).toArray(), [0, 1]);
   * ```
   */
  eq(other: TensorLike): Tensor {
    return this._binary("compare tensors", BinaryOp.Eq, other);
  }

  /**
   * 1 where `this !== other`, else 0.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * assert.deepEqual(Tensor.from([0, 2]).ne(2).toArray(), [1, 0]);
   * ```
   */
  ne(other: TensorLike): Tensor {
    return this._binary("compare tensors", BinaryOp.Ne, other);
  }

  /**
   * `−this`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * assert.deepEqual(Tensor.from([1, -2]).neg().toArray(), [-1, 2]);
   * ```
   */
  neg(): Tensor {
    return this._unary(UnaryOp.Neg);
  }

  /**
   * `eˣ` elementwise.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * assert.equal(Tensor.from([0]).exp().item(), 1);
   * ```
   */
  exp(): Tensor {
    return this._unary(UnaryOp.Exp);
  }

  /**
   * Natural logarithm elementwise.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * assert.equal(Tensor.from([1]).log().item(), 0);
   * ```
   */
  log(): Tensor {
    return this._unary(UnaryOp.Log);
  }

  /**
   * `log(1 + x)` elementwise, exact for small x.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * assert.equal(Tensor.from([1e-20]).log1p().item(), 1e-20);
   * ```
   */
  log1p(): Tensor {
    return this._unary(UnaryOp.Log1p);
  }

  /**
   * `eˣ − 1` elementwise, exact for small x.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * assert.equal(Tensor.from([1e-20]).expm1().item(), 1e-20);
   * ```
   */
  expm1(): Tensor {
    return this._unary(UnaryOp.Expm1);
  }

  /**
   * Square root elementwise.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * assert.equal(Tensor.from([9]).sqrt().item(), 3);
   * ```
   */
  sqrt(): Tensor {
    return this._unary(UnaryOp.Sqrt);
  }

  /**
   * Absolute value elementwise.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * assert.equal(Tensor.from([-3]).abs().item(), 3);
   * ```
   */
  abs(): Tensor {
    return this._unary(UnaryOp.Abs);
  }

  /**
   * −1, 0 or 1 by the sign of each element.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * assert.deepEqual(Tensor.from([-3, 0, 2]).sign().toArray(), [-1, 0, 1]);
   * ```
   */
  sign(): Tensor {
    return this._unary(UnaryOp.Sign);
  }

  /**
   * Hyperbolic tangent elementwise.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * assert.equal(Tensor.from([0]).tanh().item(), 0);
   * ```
   */
  tanh(): Tensor {
    return this._unary(UnaryOp.Tanh);
  }

  /**
   * The logistic function `1 / (1 + e⁻ˣ)`, computed without overflow.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * assert.equal(Tensor.from([0]).sigmoid().item(), 0.5);
   * ```
   */
  sigmoid(): Tensor {
    return this._unary(UnaryOp.Sigmoid);
  }

  /**
   * `x²` elementwise.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * assert.equal(Tensor.from([-3]).square().item(), 9);
   * ```
   */
  square(): Tensor {
    return this._unary(UnaryOp.Square);
  }

  /**
   * `1 / x` elementwise.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * assert.equal(Tensor.from([4]).reciprocal().item(), 0.25);
   * ```
   */
  reciprocal(): Tensor {
    return this._unary(UnaryOp.Reciprocal);
  }

  /**
   * Limits every element to [low, high].
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * assert.deepEqual(Tensor.from([-5, 0.5, 5]).clip(0, 1).toArray(), [0, 0.5, 1]);
   * ```
   */
  clip(low: number, high: number): Tensor {
    _checkNumber("clip", low);
    _checkNumber("clip", high);
    if (low > high) throw new RangeError(`Cannot clip: expected low ≤ high, received ${low} and ${high}`);
    const out = new Float64Array(this.size);
    const a = this.data;
    for (let i = 0; i < out.length; i++) {
      const v = a[i];
      out[i] = v < low ? low : v > high ? high : v;
    }
    return new Tensor(out, this.shape);
  }

  // -------------------------------------------------------------- reductions

  /**
   * The sum of all elements (a number), or along `axis` (one axis or a list).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * const x = Tensor.from([[1, 2], [3, 4]]);
   * assert.equal(x.sum(), 10);
   * assert.deepEqual(x.sum(1).toArray(), [3, 7]);
   * assert.deepEqual(x.sum(0, true).shape, [1, 2]);
   * ```
   */
  sum(): number;
  sum(axis: number | readonly number[], keepdims?: boolean): Tensor;
  sum(axis?: number | readonly number[], keepdims = false): number | Tensor {
    return this._reduceAxes("sum", ReduceOp.Sum, axis, keepdims);
  }

  /**
   * The mean of all elements, or along `axis`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * const x = Tensor.from([[1, 2], [3, 4]]);
   * assert.equal(x.mean(), 2.5);
   * assert.deepEqual(x.mean(0).toArray(), [2, 3]);
   * ```
   */
  mean(): number;
  mean(axis: number | readonly number[], keepdims?: boolean): Tensor;
  mean(axis?: number | readonly number[], keepdims = false): number | Tensor {
    if (axis === undefined) return this.sum() / this.size;
    const axes = _normAxes("mean", axis, this.ndim);
    const count = _product(axes.map((a) => this.shape[a]));
    return this.sum(axes, keepdims).mulInPlace(1 / count);
  }

  /**
   * The largest element, or the largest along `axis`. NaN propagates.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * assert.deepEqual(Tensor.from([[1, 5], [3, 4]]).max(1).toArray(), [5, 4]);
   * ```
   */
  max(): number;
  max(axis: number | readonly number[], keepdims?: boolean): Tensor;
  max(axis?: number | readonly number[], keepdims = false): number | Tensor {
    return this._reduceAxes("max", ReduceOp.Max, axis, keepdims);
  }

  /**
   * The smallest element, or the smallest along `axis`. NaN propagates.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * assert.deepEqual(Tensor.from([[1, 5], [3, 4]]).min(0).toArray(), [1, 4]);
   * ```
   */
  min(): number;
  min(axis: number | readonly number[], keepdims?: boolean): Tensor;
  min(axis?: number | readonly number[], keepdims = false): number | Tensor {
    return this._reduceAxes("min", ReduceOp.Min, axis, keepdims);
  }

  /**
   * The flat index of the first largest element, or the indices along `axis`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * const x = Tensor.from([[1, 5], [7, 4]]);
   * assert.equal(x.argmax(), 2);
   * assert.deepEqual(x.argmax(1).toArray(), [1, 0]);
   * ```
   */
  argmax(): number;
  argmax(axis: number, keepdims?: boolean): Tensor;
  argmax(axis?: number, keepdims = false): number | Tensor {
    return this._reduceAxes("argmax", ReduceOp.ArgMax, axis, keepdims);
  }

  /**
   * The flat index of the first smallest element, or the indices along `axis`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * assert.deepEqual(Tensor.from([[1, 5], [7, 4]]).argmin(0).toArray(), [0, 1]);
   * ```
   */
  argmin(): number;
  argmin(axis: number, keepdims?: boolean): Tensor;
  argmin(axis?: number, keepdims = false): number | Tensor {
    return this._reduceAxes("argmin", ReduceOp.ArgMin, axis, keepdims);
  }

  /**
   * The variance `Σ(x − mean)² / (count − ddof)`, of all elements or along
   * `axis`; `ddof = 0` (the default) is the biased variance.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * const x = Tensor.from([[1, 2], [3, 6]]);
   * assert.deepEqual(x.variance(0).toArray(), [1, 4]);
   * assert.deepEqual(x.variance(0, false, 1).toArray(), [2, 8]);
   * ```
   */
  variance(): number;
  variance(axis: undefined, keepdims?: boolean, ddof?: number): number;
  variance(axis: number | readonly number[], keepdims?: boolean, ddof?: number): Tensor;
  variance(axis: number | readonly number[] | undefined, keepdims?: boolean, ddof?: number): number | Tensor;
  variance(axis?: number | readonly number[], keepdims = false, ddof = 0): number | Tensor {
    if (!Number.isInteger(ddof) || ddof < 0) {
      throw new RangeError(
        `Cannot take the variance: expected a non-negative integer ddof, received ${ddof}`,
      );
    }
    if (axis === undefined) {
      const mean = this.mean();
      let s = 0;
      for (let i = 0; i < this.size; i++) {
        const d = this.data[i] - mean;
        s += d * d;
      }
      return s / (this.size - ddof);
    }
    const axes = _normAxes("variance", axis, this.ndim);
    const count = _product(axes.map((a) => this.shape[a]));
    const centred = this.sub(this.mean(axes, true));
    return centred.mulInPlace(centred).sum(axes, keepdims).mulInPlace(1 / (count - ddof));
  }

  // ----------------------------------------------------------------- algebra

  /**
   * The matrix product of two 2-D tensors: `op(this)·op(other)`, where
   * `transA`/`transB` use the transpose of an operand without copying it.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * const a = Tensor.from([[1, 2], [3, 4]]);
   * assert.ok(a.matmul(Tensor.eye(2)).allClose(a));
   * assert.ok(a.matmul(a, { transA: true }).allClose(a.T.matmul(a)));
   * // Into an existing tensor, adding to it (a gradient accumulated in place):
   * const grad = Tensor.ones([2, 2]);
   * a.matmul(a, { out: grad, accumulate: true });
   * assert.ok(grad.allClose(a.matmul(a).add(1)));
   * ```
   */
  matmul(other: Tensor, options: MatmulOptions = {}): Tensor {
    _checkTensor("matmul", other);
    const transA = options.transA ?? false;
    const transB = options.transB ?? false;
    if (this.ndim !== 2 || other.ndim !== 2) {
      throw new TypeError(
        `Cannot matmul: expected two 2-D tensors, received shapes ${_fmt(this.shape)} and ${
          _fmt(other.shape)
        }`,
      );
    }
    const [m, k] = transA ? [this.shape[1], this.shape[0]] : [this.shape[0], this.shape[1]];
    const [k2, n] = transB ? [other.shape[1], other.shape[0]] : [other.shape[0], other.shape[1]];
    if (k !== k2) {
      const a = `${_fmt(this.shape)}${transA ? "ᵀ" : ""}`;
      const b = `${_fmt(other.shape)}${transB ? "ᵀ" : ""}`;
      throw new TypeError(`Cannot matmul: shapes ${a} and ${b} do not align (${k} ≠ ${k2})`);
    }
    const target = options.out;
    if (target === undefined) {
      if (options.accumulate) {
        throw new TypeError("Cannot matmul: accumulate needs an out tensor to add the product to");
      }
      const out = new Float64Array(m * n);
      gemm(this.data, other.data, out, m, k, n, transA, transB);
      return new Tensor(out, [m, n]);
    }
    _checkTensor("matmul into out", target);
    if (target.ndim !== 2 || target.shape[0] !== m || target.shape[1] !== n) {
      throw new TypeError(`Cannot matmul: out must have shape [${m}, ${n}], received ${_fmt(target.shape)}`);
    }
    if (_overlaps(target.data, this.data) || _overlaps(target.data, other.data)) {
      throw new TypeError("Cannot matmul: out shares memory with an operand; use a separate tensor");
    }
    gemm(this.data, other.data, target.data, m, k, n, transA, transB, options.accumulate ?? false);
    return target;
  }

  /**
   * The transpose of a 2-D tensor (a copy).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * assert.deepEqual(Tensor.zeros([2, 3]).T.shape, [3, 2]);
   * ```
   */
  get T(): Tensor {
    if (this.ndim !== 2) {
      throw new TypeError(`Cannot take T: expected a 2-D tensor, received shape ${_fmt(this.shape)}`);
    }
    return this.transpose();
  }

  /**
   * Permutes the axes (reverses them when none are given), as numpy's
   * `transpose`; the result is a contiguous copy.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * assert.deepEqual(Tensor.zeros([2, 3, 4]).transpose([2, 0, 1]).shape, [4, 2, 3]);
   * ```
   */
  transpose(axes?: readonly number[]): Tensor {
    const n = this.ndim;
    const perm = axes === undefined ? Array.from({ length: n }, (_, i) => n - 1 - i) : [...axes];
    if (
      perm.length !== n ||
      perm.some((a) => !Number.isInteger(a) || a < -n || a >= n) ||
      new Set(perm.map((a) => (a < 0 ? a + n : a))).size !== n
    ) {
      throw new TypeError(
        `Cannot transpose: expected a permutation of the ${n} axes of shape ${_fmt(this.shape)}, received [${
          perm.join(", ")
        }]`,
      );
    }
    const p = perm.map((a) => (a < 0 ? a + n : a));
    const shape = p.map((a) => this.shape[a]);
    const out = new Float64Array(this.size);
    if (n === 2 && p[0] === 1) {
      const [r, c] = this.shape;
      const src = this.data;
      const B = 32;
      for (let i0 = 0; i0 < r; i0 += B) {
        for (let j0 = 0; j0 < c; j0 += B) {
          const iEnd = Math.min(i0 + B, r);
          const jEnd = Math.min(j0 + B, c);
          for (let i = i0; i < iEnd; i++) {
            for (let j = j0; j < jEnd; j++) out[j * r + i] = src[i * c + j];
          }
        }
      }
    } else {
      _gather(this.data, out, shape, p.map((a) => this.strides[a]), 0);
    }
    return new Tensor(out, shape);
  }

  /** Alias of {@linkcode Tensor.transpose} with explicit axes. */
  permute(axes: readonly number[]): Tensor {
    return this.transpose(axes);
  }

  /**
   * The same elements in a new shape (a copy); one axis may be −1.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * assert.deepEqual(Tensor.zeros([2, 3, 4]).reshape([2, -1]).shape, [2, 12]);
   * ```
   */
  reshape(shape: readonly number[]): Tensor {
    if (!Array.isArray(shape)) {
      throw new TypeError(`Cannot reshape: expected an array of axis lengths, received ${_describe(shape)}`);
    }
    const dims = [...shape];
    const free = dims.indexOf(-1);
    if (free !== -1 && dims.lastIndexOf(-1) !== free) {
      throw new TypeError(`Cannot reshape ${_fmt(this.shape)} to ${_fmt(dims)}: only one axis may be -1`);
    }
    if (free !== -1) {
      const rest = _product(dims.filter((_, i) => i !== free));
      dims[free] = rest === 0 ? 0 : this.size / rest;
    }
    if (dims.some((d) => !Number.isInteger(d) || d < 0) || _product(dims) !== this.size) {
      throw new TypeError(`Cannot reshape ${_fmt(this.shape)} to ${_fmt(shape)}: sizes differ`);
    }
    return new Tensor(this.data.slice(), dims);
  }

  /**
   * This tensor repeated along size-1 or missing leading axes to `shape`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * assert.equal(Tensor.from([1, 2]).broadcastTo([3, 2]).sum(), 9);
   * ```
   */
  broadcastTo(shape: readonly number[]): Tensor {
    const target = _checkShape("broadcast", shape);
    const b = _tryBroadcast(this.shape, target);
    if (b === undefined || !_sameShape(b, target)) {
      throw new TypeError(`Cannot broadcast shape ${_fmt(this.shape)} to ${_fmt(target)}`);
    }
    if (_sameShape(this.shape, target)) return this.clone();
    const out = new Float64Array(_product(target));
    _gather(this.data, out, target, _broadcastStrides(this, target), 0);
    return new Tensor(out, target);
  }

  /**
   * Pads with a constant: `widths[axis] = [before, after]` for every axis.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * const p = Tensor.ones([1, 2]).pad([[0, 0], [1, 1]]);
   * assert.deepEqual(p.toArray(), [[0, 1, 1, 0]]);
   * ```
   */
  pad(widths: readonly (readonly [number, number])[], value = 0): Tensor {
    _checkNumber("pad", value);
    if (!Array.isArray(widths) || widths.length !== this.ndim) {
      throw new TypeError(
        `Cannot pad shape ${_fmt(this.shape)}: expected ${this.ndim} [before, after] pairs, received ${
          _describe(widths)
        }`,
      );
    }
    for (const w of widths) {
      if (!Array.isArray(w) || w.length !== 2 || !w.every((x) => Number.isInteger(x) && x >= 0)) {
        throw new RangeError(
          `Cannot pad: expected [before, after] non-negative integers, received ${_describe(w)}`,
        );
      }
    }
    const shape = this.shape.map((d, i) => d + widths[i][0] + widths[i][1]);
    const out = Object.is(value, 0) ? Tensor.zeros(shape) : Tensor.full(shape, value); // zeros come zero-filled
    if (this.size === 0) return out;
    const outStrides = out.strides;
    let base = 0;
    for (let i = 0; i < this.ndim; i++) base += widths[i][0] * outStrides[i];
    _scatterRows(this.data, out.data, this.shape, outStrides, base);
    return out;
  }

  /**
   * A sub-block: one `[start, end)` range per leading axis (`null` keeps an
   * axis whole, missing trailing axes are whole); negative bounds count from
   * the end. The rank is kept.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * const x = Tensor.arange(12).reshape([3, 4]);
   * assert.deepEqual(x.slice([1, 3], [-2]).toArray(), [[6, 7], [10, 11]]);
   * ```
   */
  slice(...ranges: Range[]): Tensor {
    if (ranges.length > this.ndim) {
      throw new TypeError(`Cannot slice shape ${_fmt(this.shape)}: received ${ranges.length} ranges`);
    }
    const starts: number[] = [];
    const shape: number[] = [];
    for (let i = 0; i < this.ndim; i++) {
      const d = this.shape[i];
      const r = ranges[i];
      if (r === null || r === undefined) {
        starts.push(0);
        shape.push(d);
        continue;
      }
      if (!Array.isArray(r)) {
        throw new TypeError(
          `Cannot slice axis ${i}: expected [start, end] or null, received ${_describe(r)}`,
        );
      }
      let [s, e = d] = r;
      if (!Number.isInteger(s) || !Number.isInteger(e)) {
        throw new TypeError(`Cannot slice axis ${i}: expected integer bounds, received [${r.join(", ")}]`);
      }
      if (s < 0) s += d;
      if (e < 0) e += d;
      if (s < 0 || e > d || s > e) {
        throw new RangeError(
          `Cannot slice axis ${i} of length ${d}: range [${r.join(", ")}] is out of bounds`,
        );
      }
      starts.push(s);
      shape.push(e - s);
    }
    const out = new Float64Array(_product(shape));
    let base = 0;
    for (let i = 0; i < this.ndim; i++) base += starts[i] * this.strides[i];
    _gather(this.data, out, shape, this.strides, base);
    return new Tensor(out, shape);
  }

  /**
   * The entries at `indices` along `axis` (negative indices count from the
   * end), like numpy's `take`: `x.take(batch)` selects rows.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * const x = Tensor.from([[1, 2], [3, 4], [5, 6]]);
   * assert.deepEqual(x.take([2, 0]).toArray(), [[5, 6], [1, 2]]);
   * assert.deepEqual(x.take([1], 1).toArray(), [[2], [4], [6]]);
   * ```
   */
  take(indices: ArrayLike<number> | Tensor, axis = 0): Tensor {
    const ax = _normAxis("take", axis, this.ndim);
    const idx = indices instanceof Tensor ? indices.data : indices;
    if (!_isArrayLike(idx)) {
      throw new TypeError(`Cannot take: expected an array of indices, received ${_describe(indices)}`);
    }
    const d = this.shape[ax];
    const outer = _product(this.shape.slice(0, ax));
    const inner = _product(this.shape.slice(ax + 1));
    const shape = [...this.shape];
    shape[ax] = idx.length;
    const m = idx.length;
    const rows = new Float64Array(m);
    for (let j = 0; j < m; j++) {
      const k = idx[j];
      if (!Number.isInteger(k) || k < -d || k >= d) {
        throw new RangeError(`Cannot take index ${k} along axis ${axis} of length ${d}`);
      }
      rows[j] = k < 0 ? k + d : k;
    }
    const out = new Float64Array(_product(shape));
    const src = this.data;
    if (inner === 1) {
      for (let o = 0, q = 0; o < outer; o++) {
        for (let j = 0; j < m; j++) out[q++] = src[o * d + rows[j]];
      }
    } else {
      for (let o = 0; o < outer; o++) {
        for (let j = 0; j < m; j++) _copy(src, (o * d + rows[j]) * inner, out, (o * m + j) * inner, inner);
      }
    }
    return new Tensor(out, shape);
  }

  // --------------------------------------------------------------- in place

  /**
   * `this += other` in place (other broadcasts to this shape); returns `this`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * const g = Tensor.zeros([2]);
   * g.addInPlace(Tensor.from([1, 2])).addInPlace(1);
   * assert.deepEqual(g.toArray(), [2, 3]);
   * ```
   */
  addInPlace(other: TensorLike): this {
    return this._binaryInPlace("add in place", BinaryOp.Add, other);
  }

  /**
   * `this −= other` in place; returns `this`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * assert.equal(Tensor.ones([2]).subInPlace(1).sum(), 0);
   * ```
   */
  subInPlace(other: TensorLike): this {
    return this._binaryInPlace("subtract in place", BinaryOp.Sub, other);
  }

  /**
   * `this *= other` in place; returns `this`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * assert.equal(Tensor.ones([2]).mulInPlace(3).sum(), 6);
   * ```
   */
  mulInPlace(other: TensorLike): this {
    return this._binaryInPlace("multiply in place", BinaryOp.Mul, other);
  }

  /**
   * `this /= other` in place; returns `this`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * assert.equal(Tensor.ones([2]).divInPlace(4).sum(), 0.5);
   * ```
   */
  divInPlace(other: TensorLike): this {
    return this._binaryInPlace("divide in place", BinaryOp.Div, other);
  }

  /**
   * `this += alpha · other` in place (an axpy, without a temporary); returns `this`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * const x = Tensor.ones([2]);
   * x.addScaledInPlace(-0.5, Tensor.from([2, 4]));
   * assert.deepEqual(x.toArray(), [0, -1]);
   * ```
   */
  addScaledInPlace(alpha: number, other: Tensor): this {
    _checkNumber("add scaled in place", alpha);
    _checkTensor("add scaled in place", other);
    if (!_sameShape(this.shape, other.shape)) {
      const shape = _tryBroadcast(this.shape, other.shape);
      if (shape === undefined || !_sameShape(shape, this.shape)) {
        throw new TypeError(
          `Cannot add scaled in place: shape ${_fmt(other.shape)} does not broadcast to the target's shape ${
            _fmt(this.shape)
          }`,
        );
      }
      return this.addInPlace(other.mul(alpha));
    }
    const a = this.data;
    const b = other.data;
    for (let i = 0; i < a.length; i++) a[i] += alpha * b[i];
    return this;
  }

  /**
   * Sets every element to `value`, in place; returns `this`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * assert.equal(Tensor.ones([3]).fillInPlace(0).sum(), 0);
   * ```
   */
  fillInPlace(value: number): this {
    _checkNumber("fill in place", value);
    this.data.fill(value);
    return this;
  }

  /**
   * Copies `source` (broadcast to this shape) into this tensor, in place;
   * returns `this`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * const x = Tensor.zeros([2, 2]).copyInPlace(Tensor.from([1, 2]));
   * assert.equal(x.sum(), 6);
   * ```
   */
  copyInPlace(source: TensorLike): this {
    const s = _asTensor("copy in place", source);
    if (_sameShape(s.shape, this.shape)) {
      this.data.set(s.data);
      return this;
    }
    const b = _tryBroadcast(this.shape, s.shape);
    if (b === undefined || !_sameShape(b, this.shape)) {
      throw new TypeError(
        `Cannot copy in place: shape ${_fmt(s.shape)} does not broadcast to ${_fmt(this.shape)}`,
      );
    }
    if (s.data.buffer === this.data.buffer) this.data.set(s.broadcastTo(this.shape).data);
    else _gather(s.data, this.data, this.shape, _broadcastStrides(s, this.shape), 0);
    return this;
  }

  // ------------------------------------------------------------- comparison

  /**
   * True when shapes match and every `|a − b| ≤ atol + rtol·|b|` (NaN never
   * matches; equal infinities do).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * assert.ok(Tensor.from([1, 2]).allClose(Tensor.from([1, 2 + 1e-9])));
   * assert.ok(!Tensor.from([1]).allClose(Tensor.from([1, 1])));
   * ```
   */
  allClose(other: Tensor, options: CloseOptions = {}): boolean {
    return _allClose("allClose", this, other, options.rtol ?? 1e-5, options.atol ?? 1e-8);
  }

  /**
   * True when shapes and every element are exactly equal.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * assert.ok(Tensor.ones([2]).equals(Tensor.from([1, 1])));
   * ```
   */
  equals(other: Tensor): boolean {
    return _allClose("equals", this, other, 0, 0);
  }

  /**
   * A numpy-like rendering, truncated with `...` for large tensors.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tensor } from "./tensor.ts";
   * assert.equal(Tensor.from([[1, 2], [3, 4]]).toString(), "tensor([[1, 2],\n        [3, 4]])");
   * ```
   */
  toString(): string {
    return formatTensor(this.data, this.shape);
  }

  /** Shown by `console.log` and Deno's inspector. */
  [Symbol.for("Deno.customInspect")](): string {
    return this.toString();
  }

  // ---------------------------------------------------------------- private

  private _offset(op: string, index: readonly number[]): number {
    if (!Array.isArray(index) || index.length !== this.ndim) {
      throw new TypeError(
        `Cannot ${op} an element of shape ${_fmt(this.shape)}: expected ${this.ndim} indices, received ${
          _describe(index)
        }`,
      );
    }
    let offset = 0;
    for (let i = 0; i < index.length; i++) {
      let k = index[i];
      const d = this.shape[i];
      if (!Number.isInteger(k) || k < -d || k >= d) {
        throw new RangeError(`Cannot ${op} index [${index.join(", ")}] of shape ${_fmt(this.shape)}`);
      }
      if (k < 0) k += d;
      offset += k * this.strides[i];
    }
    return offset;
  }

  private _unary(op: UnaryOp): Tensor {
    const out = new Float64Array(this.size);
    unaryRun(op, out, this.data);
    return new Tensor(out, this.shape);
  }

  private _binary(name: string, op: BinaryOp, other: TensorLike): Tensor {
    if (typeof other === "number") {
      const out = new Float64Array(this.size);
      binaryRun2D(op, out, 0, this.data, 0, 0, 1, _scalar(other), 0, 0, 0, 1, this.size);
      return new Tensor(out, this.shape);
    }
    _checkTensor(name, other);
    if (_sameShape(this.shape, other.shape)) {
      const out = new Float64Array(this.size);
      binaryFlat(op, out, this.data, other.data, this.size);
      return new Tensor(out, this.shape);
    }
    const shape = _broadcastShapes(name, this.shape, other.shape);
    const out = new Float64Array(_product(shape));
    _broadcastBinary(op, out, shape, this, other);
    return new Tensor(out, shape);
  }

  private _binaryInPlace(name: string, op: BinaryOp, other: TensorLike): this {
    if (typeof other === "number") {
      binaryRun2D(op, this.data, 0, this.data, 0, 0, 1, _scalar(other), 0, 0, 0, 1, this.size);
      return this;
    }
    _checkTensor(name, other);
    if (_sameShape(this.shape, other.shape)) {
      binaryFlat(op, this.data, this.data, other.data, this.size);
      return this;
    }
    const shape = _tryBroadcast(this.shape, other.shape);
    if (shape === undefined || !_sameShape(shape, this.shape)) {
      throw new TypeError(
        `Cannot ${name}: shape ${_fmt(other.shape)} does not broadcast to the target's shape ${
          _fmt(this.shape)
        }`,
      );
    }
    _broadcastBinary(op, this.data, shape, this, other);
    return this;
  }

  private _reduceAxes(
    name: string,
    op: ReduceOp,
    axis: number | readonly number[] | undefined,
    keepdims: boolean,
  ): number | Tensor {
    const isArg = op === ReduceOp.ArgMax || op === ReduceOp.ArgMin;
    const needsElement = op !== ReduceOp.Sum;
    if (axis === undefined) {
      if (needsElement && this.size === 0) {
        throw new RangeError(`Cannot take the ${name} of an empty tensor (shape ${_fmt(this.shape)})`);
      }
      const out = new Float64Array(1);
      reduceRun(op, out, this.data, 1, this.size, 1);
      return out[0];
    }
    if (isArg && typeof axis !== "number") {
      throw new TypeError(`Cannot take the ${name}: expected one axis, received ${_describe(axis)}`);
    }
    const axes = _normAxes(name, axis, this.ndim);
    for (const ax of axes) {
      if (needsElement && this.shape[ax] === 0) {
        throw new RangeError(
          `Cannot take the ${name} along axis ${ax} of length 0 (shape ${_fmt(this.shape)})`,
        );
      }
    }
    // Contiguous data lets runs of neighbouring axes that are all reduced (or
    // all kept) act as one axis: [N, C, H, W] summed over [0, 2, 3] is
    // [N, C, H·W] summed over axes 2 then 0.
    const sizes: number[] = [];
    const reduced: boolean[] = [];
    for (let i = 0; i < this.ndim; i++) {
      const r = axes.includes(i);
      if (sizes.length > 0 && reduced[sizes.length - 1] === r) sizes[sizes.length - 1] *= this.shape[i];
      else {
        sizes.push(this.shape[i]);
        reduced.push(r);
      }
    }
    let data = this.data;
    for (let g = sizes.length - 1; g >= 0; g--) {
      if (!reduced[g]) continue;
      const outer = _product(sizes.slice(0, g));
      const inner = _product(sizes.slice(g + 1));
      const out = new Float64Array(outer * inner);
      reduceRun(op, out, data, outer, sizes[g], inner);
      data = out;
      sizes[g] = 1;
    }
    if (data === this.data) data = data.slice(); // no axis to reduce: still a new tensor
    const shape = keepdims
      ? this.shape.map((d, i) => (axes.includes(i) ? 1 : d))
      : this.shape.filter((_, i) => !axes.includes(i));
    return new Tensor(data, shape);
  }
}

// ------------------------------------------------------------------ helpers

const _scalarBox = new Float64Array(1);

function _scalar(v: number): Float64Array {
  _checkNumber("combine with a number", v);
  _scalarBox[0] = v;
  return _scalarBox;
}

function _product(dims: readonly number[]): number {
  let p = 1;
  for (const d of dims) p *= d;
  return p;
}

function _stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

function _sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** `[2, 3]`, as error messages show shapes. */
function _fmt(shape: readonly unknown[]): string {
  return `[${shape.join(", ")}]`;
}

function _describe(v: unknown): string {
  if (v === null) return "null";
  if (v instanceof Tensor) return `a tensor of shape ${_fmt(v.shape)}`;
  if (Array.isArray(v)) {
    return `[${v.slice(0, 6).map((x) => (Array.isArray(x) ? "[…]" : String(x))).join(", ")}]`;
  }
  if (typeof v === "object") return v.constructor?.name ?? "an object";
  if (typeof v === "string") return `"${v}"`;
  return String(v);
}

function _isArrayLike(v: unknown): v is ArrayLike<unknown> {
  return Array.isArray(v) || ArrayBuffer.isView(v) && !(v instanceof DataView);
}

function _checkShape(op: string, shape: readonly number[]): number[] {
  if (!Array.isArray(shape)) {
    throw new TypeError(
      `Cannot ${op}: expected a shape (array of axis lengths), received ${_describe(shape)}`,
    );
  }
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new RangeError(
        `Cannot ${op}: expected non-negative integer axis lengths, received ${_fmt(shape)}`,
      );
    }
  }
  return [...shape];
}

function _checkNumber(op: string, v: unknown): void {
  if (typeof v !== "number") {
    throw new TypeError(`Cannot ${op}: expected a number, received ${_describe(v)}`);
  }
}

/** Whether two typed arrays share any bytes of one buffer. */
function _overlaps(x: Float64Array, y: Float64Array): boolean {
  return x.buffer === y.buffer && x.byteOffset < y.byteOffset + y.byteLength &&
    y.byteOffset < x.byteOffset + x.byteLength;
}

function _checkTensor(op: string, t: unknown): Tensor {
  if (!(t instanceof Tensor)) {
    throw new TypeError(`Cannot ${op}: expected a Tensor, received ${_describe(t)}`);
  }
  return t;
}

function _asTensor(op: string, v: TensorLike): Tensor {
  if (typeof v === "number") return new Tensor(new Float64Array([v]), []);
  if (!(v instanceof Tensor)) {
    throw new TypeError(`Cannot ${op}: expected a Tensor or a number, received ${_describe(v)}`);
  }
  return v;
}

/** `|a − b| ≤ atol + rtol·|b|` everywhere, same shapes; NaN never matches, infinities only themselves. */
function _allClose(op: string, self: Tensor, other: Tensor, rtol: number, atol: number): boolean {
  _checkTensor(op, other);
  _checkNumber(op, rtol);
  _checkNumber(op, atol);
  if (!_sameShape(self.shape, other.shape)) return false;
  const a = self.data;
  const b = other.data;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    // Unequal and not both finite: NaN, or an infinity against anything else.
    if (x - x !== 0 || y - y !== 0) return false;
    if (!(Math.abs(x - y) <= atol + rtol * Math.abs(y))) return false;
  }
  return true;
}

function _normAxis(op: string, axis: number, ndim: number): number {
  if (!Number.isInteger(axis) || axis < -ndim || axis >= ndim) {
    throw new RangeError(`Cannot ${op}: axis ${axis} is out of range for ${ndim} axes`);
  }
  return axis < 0 ? axis + ndim : axis;
}

function _normAxes(op: string, axis: number | readonly number[], ndim: number): number[] {
  const list = typeof axis === "number" ? [axis] : [...axis];
  const axes = list.map((a) => _normAxis(op, a, ndim));
  if (new Set(axes).size !== axes.length) {
    throw new RangeError(`Cannot ${op}: repeated axis in [${list.join(", ")}]`);
  }
  return axes;
}

/** The numpy broadcast of two shapes, or undefined when they do not broadcast. */
function _tryBroadcast(a: readonly number[], b: readonly number[]): number[] | undefined {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return undefined;
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** The numpy broadcast of two shapes; a TypeError naming `op` and both shapes when they do not broadcast. */
function _broadcastShapes(op: string, a: readonly number[], b: readonly number[]): number[] {
  const out = _tryBroadcast(a, b);
  if (out === undefined) {
    throw new TypeError(`Cannot ${op}: shapes ${_fmt(a)} and ${_fmt(b)} do not broadcast`);
  }
  return out;
}

/** Strides that read `t` as if broadcast to `shape` (0 on repeated axes). */
function _broadcastStrides(t: Tensor, shape: readonly number[]): number[] {
  const n = shape.length;
  const out = new Array<number>(n).fill(0);
  const lead = n - t.ndim;
  for (let i = 0; i < t.ndim; i++) out[lead + i] = t.shape[i] === 1 ? 0 : t.strides[i];
  return out;
}

function _broadcastBinary(
  op: BinaryOp,
  out: Float64Array,
  shape: readonly number[],
  a: Tensor,
  b: Tensor,
): void {
  if (out.length === 0) return;
  const sa = _broadcastStrides(a, shape);
  const sb = _broadcastStrides(b, shape);
  // Drop length-1 axes and merge each axis into the one before it when both
  // operands step through the pair as through one axis, so the loops below
  // see as few and as long axes as possible.
  const dims: number[] = [];
  const as: number[] = [];
  const bs: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (d === 1) continue;
    const k = dims.length - 1;
    if (k >= 0 && as[k] === sa[i] * d && bs[k] === sb[i] * d) {
      dims[k] *= d;
      as[k] = sa[i];
      bs[k] = sb[i];
    } else {
      dims.push(d);
      as.push(sa[i]);
      bs.push(sb[i]);
    }
  }
  // The last two axes go to one 2-D kernel call; an odometer walks the rest.
  const n = dims.length;
  const cols = n >= 1 ? dims[n - 1] : 1;
  const rows = n >= 2 ? dims[n - 2] : 1;
  const [sa1, sb1] = n >= 1 ? [as[n - 1], bs[n - 1]] : [0, 0];
  const [sa0, sb0] = n >= 2 ? [as[n - 2], bs[n - 2]] : [0, 0];
  const block = rows * cols;
  const lead = Math.max(n - 2, 0);
  const idx = new Array<number>(lead).fill(0);
  let ia = 0;
  let ib = 0;
  for (let o = 0; o < out.length; o += block) {
    binaryRun2D(op, out, o, a.data, ia, sa0, sa1, b.data, ib, sb0, sb1, rows, cols);
    for (let ax = lead - 1; ax >= 0; ax--) {
      idx[ax]++;
      ia += as[ax];
      ib += bs[ax];
      if (idx[ax] < dims[ax]) break;
      ia -= as[ax] * dims[ax];
      ib -= bs[ax] * dims[ax];
      idx[ax] = 0;
    }
  }
}

/** Copies `n` elements from `src[from]` to `out[to]`: `set` for long runs, a loop for short ones. */
function _copy(src: Float64Array, from: number, out: Float64Array, to: number, n: number): void {
  if (n >= 32) out.set(src.subarray(from, from + n), to);
  else for (let i = 0; i < n; i++) out[to + i] = src[from + i];
}

/** Copies the strided view (`shape`, `strides`, `base`) of `src` into contiguous `out`. */
function _gather(
  src: Float64Array,
  out: Float64Array,
  shape: readonly number[],
  strides: readonly number[],
  base: number,
) {
  if (out.length === 0) return;
  // Drop length-1 axes; merge an axis into the one before when the view steps through both as one.
  const dims: number[] = [];
  const steps: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (d === 1) continue;
    const k = dims.length - 1;
    if (k >= 0 && steps[k] === strides[i] * d) {
      dims[k] *= d;
      steps[k] = strides[i];
    } else {
      dims.push(d);
      steps.push(strides[i]);
    }
  }
  const n = dims.length;
  if (n === 0) {
    out[0] = src[base];
    return;
  }
  const last = dims[n - 1];
  const ls = steps[n - 1];
  const idx = new Array<number>(n - 1).fill(0);
  let off = base;
  for (let o = 0; o < out.length; o += last) {
    if (ls === 1) _copy(src, off, out, o, last);
    else for (let i = 0, p = off; i < last; i++, p += ls) out[o + i] = src[p];
    for (let ax = n - 2; ax >= 0; ax--) {
      idx[ax]++;
      off += steps[ax];
      if (idx[ax] < dims[ax]) break;
      off -= steps[ax] * dims[ax];
      idx[ax] = 0;
    }
  }
}

/** Copies contiguous `src` of `shape` into `out` at strides `outStrides` from `base`. */
function _scatterRows(
  src: Float64Array,
  out: Float64Array,
  shape: readonly number[],
  outStrides: readonly number[],
  base: number,
) {
  const n = shape.length;
  if (n === 0) {
    out[base] = src[0];
    return;
  }
  const last = shape[n - 1];
  const rows = src.length / last;
  const idx = new Array<number>(n - 1).fill(0);
  let off = base;
  for (let r = 0; r < rows; r++) {
    _copy(src, r * last, out, off, last);
    for (let ax = n - 2; ax >= 0; ax--) {
      idx[ax]++;
      off += outStrides[ax];
      if (idx[ax] < shape[ax]) break;
      off -= outStrides[ax] * shape[ax];
      idx[ax] = 0;
    }
  }
}
