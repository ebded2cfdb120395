/**
 * Elementwise and reduction loops behind `Tensor`. Each operation is a tight
 * loop over `Float64Array`s chosen by a `switch` outside the loop, so no hot
 * path calls a closure or allocates per element.
 *
 * @module
 */

/** Binary elementwise operations, by code. */
export const enum BinaryOp {
  Add,
  Sub,
  Mul,
  Div,
  Pow,
  Maximum,
  Minimum,
  Gt,
  Ge,
  Lt,
  Le,
  Eq,
  Ne,
}

/** Unary elementwise operations, by code. */
export const enum UnaryOp {
  Neg,
  Exp,
  Log,
  Log1p,
  Expm1,
  Sqrt,
  Abs,
  Sign,
  Tanh,
  Sigmoid,
  Square,
  Reciprocal,
}

/**
 * `out[o + i] = a[ia + i·sa] ∘ b[ib + i·sb]` for i in [0, n). A stride of 0
 * repeats one element (broadcasting, or a scalar operand).
 */
export function binaryRun(
  op: BinaryOp,
  out: Float64Array,
  o: number,
  a: Float64Array,
  ia: number,
  sa: number,
  b: Float64Array,
  ib: number,
  sb: number,
  n: number,
): void {
  if (sa === 1 && sb === 1) _binaryContiguous(op, out, o, a, ia, b, ib, n);
  else _binaryStrided(op, out, o, a, ia, sa, b, ib, sb, n);
}

function _binaryStrided(
  op: BinaryOp,
  out: Float64Array,
  o: number,
  a: Float64Array,
  ia: number,
  sa: number,
  b: Float64Array,
  ib: number,
  sb: number,
  n: number,
): void {
  switch (op) {
    case BinaryOp.Add:
      for (let i = 0; i < n; i++) out[o + i] = a[ia + i * sa] + b[ib + i * sb];
      break;
    case BinaryOp.Sub:
      for (let i = 0; i < n; i++) out[o + i] = a[ia + i * sa] - b[ib + i * sb];
      break;
    case BinaryOp.Mul:
      for (let i = 0; i < n; i++) out[o + i] = a[ia + i * sa] * b[ib + i * sb];
      break;
    case BinaryOp.Div:
      for (let i = 0; i < n; i++) out[o + i] = a[ia + i * sa] / b[ib + i * sb];
      break;
    case BinaryOp.Pow:
      for (let i = 0; i < n; i++) out[o + i] = Math.pow(a[ia + i * sa], b[ib + i * sb]);
      break;
    case BinaryOp.Maximum:
      for (let i = 0; i < n; i++) out[o + i] = _max(a[ia + i * sa], b[ib + i * sb]);
      break;
    case BinaryOp.Minimum:
      for (let i = 0; i < n; i++) out[o + i] = _min(a[ia + i * sa], b[ib + i * sb]);
      break;
    case BinaryOp.Gt:
      for (let i = 0; i < n; i++) out[o + i] = a[ia + i * sa] > b[ib + i * sb] ? 1 : 0;
      break;
    case BinaryOp.Ge:
      for (let i = 0; i < n; i++) out[o + i] = a[ia + i * sa] >= b[ib + i * sb] ? 1 : 0;
      break;
    case BinaryOp.Lt:
      for (let i = 0; i < n; i++) out[o + i] = a[ia + i * sa] < b[ib + i * sb] ? 1 : 0;
      break;
    case BinaryOp.Le:
      for (let i = 0; i < n; i++) out[o + i] = a[ia + i * sa] <= b[ib + i * sb] ? 1 : 0;
      break;
    case BinaryOp.Eq:
      for (let i = 0; i < n; i++) out[o + i] = a[ia + i * sa] === b[ib + i * sb] ? 1 : 0;
      break;
    case BinaryOp.Ne:
      for (let i = 0; i < n; i++) out[o + i] = a[ia + i * sa] !== b[ib + i * sb] ? 1 : 0;
      break;
  }
}

function _binaryContiguous(
  op: BinaryOp,
  out: Float64Array,
  o: number,
  a: Float64Array,
  ia: number,
  b: Float64Array,
  ib: number,
  n: number,
): void {
  switch (op) {
    case BinaryOp.Add:
      for (let i = 0; i < n; i++) out[o + i] = a[ia + i] + b[ib + i];
      break;
    case BinaryOp.Sub:
      for (let i = 0; i < n; i++) out[o + i] = a[ia + i] - b[ib + i];
      break;
    case BinaryOp.Mul:
      for (let i = 0; i < n; i++) out[o + i] = a[ia + i] * b[ib + i];
      break;
    case BinaryOp.Div:
      for (let i = 0; i < n; i++) out[o + i] = a[ia + i] / b[ib + i];
      break;
    default:
      // The rarer operations share the strided loop with unit strides.
      _binaryStrided(op, out, o, a, ia, 1, b, ib, 1, n);
  }
}

/** Like `Math.max` for two numbers, propagating NaN as numpy does. */
function _max(x: number, y: number): number {
  return x > y || x !== x ? x : y;
}

/** Like `Math.min` for two numbers, propagating NaN as numpy does. */
function _min(x: number, y: number): number {
  return x < y || x !== x ? x : y;
}

/** `out[i] = f(a[i])` for every element, f chosen by `op`. */
export function unaryRun(op: UnaryOp, out: Float64Array, a: Float64Array): void {
  const n = a.length;
  switch (op) {
    case UnaryOp.Neg:
      for (let i = 0; i < n; i++) out[i] = -a[i];
      break;
    case UnaryOp.Exp:
      for (let i = 0; i < n; i++) out[i] = Math.exp(a[i]);
      break;
    case UnaryOp.Log:
      for (let i = 0; i < n; i++) out[i] = Math.log(a[i]);
      break;
    case UnaryOp.Log1p:
      for (let i = 0; i < n; i++) out[i] = Math.log1p(a[i]);
      break;
    case UnaryOp.Expm1:
      for (let i = 0; i < n; i++) out[i] = Math.expm1(a[i]);
      break;
    case UnaryOp.Sqrt:
      for (let i = 0; i < n; i++) out[i] = Math.sqrt(a[i]);
      break;
    case UnaryOp.Abs:
      for (let i = 0; i < n; i++) out[i] = Math.abs(a[i]);
      break;
    case UnaryOp.Sign:
      for (let i = 0; i < n; i++) out[i] = a[i] > 0 ? 1 : a[i] < 0 ? -1 : a[i] === 0 ? 0 : NaN;
      break;
    case UnaryOp.Tanh:
      for (let i = 0; i < n; i++) out[i] = Math.tanh(a[i]);
      break;
    case UnaryOp.Sigmoid:
      for (let i = 0; i < n; i++) {
        const x = a[i];
        if (x >= 0) out[i] = 1 / (1 + Math.exp(-x));
        else {
          const e = Math.exp(x);
          out[i] = e / (1 + e);
        }
      }
      break;
    case UnaryOp.Square:
      for (let i = 0; i < n; i++) out[i] = a[i] * a[i];
      break;
    case UnaryOp.Reciprocal:
      for (let i = 0; i < n; i++) out[i] = 1 / a[i];
      break;
  }
}

/** Reductions along one axis, by code. */
export const enum ReduceOp {
  Sum,
  Max,
  Min,
  ArgMax,
  ArgMin,
}

/**
 * Reduces the middle axis of `a` viewed as `[outer, n, inner]` into `out`
 * viewed as `[outer, inner]`. Max/min propagate NaN; arg-reductions return the
 * first index of the extreme value.
 */
export function reduceRun(
  op: ReduceOp,
  out: Float64Array,
  a: Float64Array,
  outer: number,
  n: number,
  inner: number,
): void {
  const block = n * inner;
  switch (op) {
    case ReduceOp.Sum:
      out.fill(0);
      for (let o = 0; o < outer; o++) {
        const base = o * block;
        const ob = o * inner;
        for (let j = 0; j < n; j++) {
          const row = base + j * inner;
          for (let i = 0; i < inner; i++) out[ob + i] += a[row + i];
        }
      }
      break;
    case ReduceOp.Max:
    case ReduceOp.Min: {
      const isMax = op === ReduceOp.Max;
      for (let o = 0; o < outer; o++) {
        const base = o * block;
        const ob = o * inner;
        for (let i = 0; i < inner; i++) out[ob + i] = a[base + i];
        for (let j = 1; j < n; j++) {
          const row = base + j * inner;
          if (isMax) {
            for (let i = 0; i < inner; i++) out[ob + i] = _max(out[ob + i], a[row + i]);
          } else {
            for (let i = 0; i < inner; i++) out[ob + i] = _min(out[ob + i], a[row + i]);
          }
        }
      }
      break;
    }
    case ReduceOp.ArgMax:
    case ReduceOp.ArgMin: {
      const isMax = op === ReduceOp.ArgMax;
      const best = new Float64Array(inner);
      for (let o = 0; o < outer; o++) {
        const base = o * block;
        const ob = o * inner;
        for (let i = 0; i < inner; i++) {
          best[i] = a[base + i];
          out[ob + i] = 0;
        }
        for (let j = 1; j < n; j++) {
          const row = base + j * inner;
          for (let i = 0; i < inner; i++) {
            const v = a[row + i];
            const b = best[i];
            if (b !== b) continue; // the first NaN wins, as in numpy
            if (v !== v || (isMax ? v > b : v < b)) {
              best[i] = v;
              out[ob + i] = j;
            }
          }
        }
      }
      break;
    }
  }
}
