/**
 * Elementwise and reduction loops behind `Tensor`. Each operation is a tight
 * loop over `Float64Array`s chosen by a `switch` outside the loop, so no hot
 * path calls a closure or allocates per element.
 *
 * Broadcasting reaches these loops as a 2-D problem (`binaryRun2D`): the
 * caller merges the axes that both operands step through contiguously, so
 * that `[N, D] − [N, 1]` is one call over N rows of D, and
 * `[N, C, H, W] + [1, C, 1, 1]` N calls over C rows of H·W.
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

/** Reductions along one axis, by code. */
export const enum ReduceOp {
  Sum,
  Max,
  Min,
  ArgMax,
  ArgMin,
}

/**
 * Scratch for branch-free selection: `_pick[+(condition)]`. A data-dependent
 * branch in an elementwise loop mispredicts about half the time on real data
 * (the signs of activations), which costs about 4× on large tensors; an
 * indexed load does not.
 */
const _pick = new Float64Array(2);

/** Like `Math.max` for two numbers, propagating NaN as numpy does; branch-free. */
function _max(x: number, y: number): number {
  _pick[0] = y;
  _pick[1] = x;
  return _pick[+(x > y) | +(x !== x)];
}

/** Like `Math.min` for two numbers, propagating NaN as numpy does; branch-free. */
function _min(x: number, y: number): number {
  _pick[0] = y;
  _pick[1] = x;
  return _pick[+(x < y) | +(x !== x)];
}

/**
 * `out[i] = a[i] ∘ b[i]` for i in [0, n): two same-shaped contiguous
 * operands, the most common case.
 */
export function binaryFlat(
  op: BinaryOp,
  out: Float64Array,
  a: Float64Array,
  b: Float64Array,
  n: number,
): void {
  switch (op) {
    case BinaryOp.Add:
      for (let i = 0; i < n; i++) out[i] = a[i] + b[i];
      break;
    case BinaryOp.Sub:
      for (let i = 0; i < n; i++) out[i] = a[i] - b[i];
      break;
    case BinaryOp.Mul:
      for (let i = 0; i < n; i++) out[i] = a[i] * b[i];
      break;
    case BinaryOp.Div:
      for (let i = 0; i < n; i++) out[i] = a[i] / b[i];
      break;
    case BinaryOp.Pow:
      for (let i = 0; i < n; i++) out[i] = Math.pow(a[i], b[i]);
      break;
    case BinaryOp.Maximum:
      for (let i = 0; i < n; i++) out[i] = _max(a[i], b[i]);
      break;
    case BinaryOp.Minimum:
      for (let i = 0; i < n; i++) out[i] = _min(a[i], b[i]);
      break;
    case BinaryOp.Gt:
      for (let i = 0; i < n; i++) out[i] = +(a[i] > b[i]);
      break;
    case BinaryOp.Ge:
      for (let i = 0; i < n; i++) out[i] = +(a[i] >= b[i]);
      break;
    case BinaryOp.Lt:
      for (let i = 0; i < n; i++) out[i] = +(a[i] < b[i]);
      break;
    case BinaryOp.Le:
      for (let i = 0; i < n; i++) out[i] = +(a[i] <= b[i]);
      break;
    case BinaryOp.Eq:
      for (let i = 0; i < n; i++) out[i] = +(a[i] === b[i]);
      break;
    case BinaryOp.Ne:
      for (let i = 0; i < n; i++) out[i] = +(a[i] !== b[i]);
      break;
  }
}

/**
 * The broadcasting loop: for r in [0, rows) and c in [0, cols),
 * `out[o + r·cols + c] = a[ia + r·sa0 + c·sa1] ∘ b[ib + r·sb0 + c·sb1]`.
 * A stride of 0 repeats an element (a broadcast axis, or a scalar operand).
 */
export function binaryRun2D(
  op: BinaryOp,
  out: Float64Array,
  o: number,
  a: Float64Array,
  ia: number,
  sa0: number,
  sa1: number,
  b: Float64Array,
  ib: number,
  sb0: number,
  sb1: number,
  rows: number,
  cols: number,
): void {
  if (sa1 === 1 && sb1 === 0) {
    _binaryRowConstant(op, out, o, a, ia, sa0, b, ib, sb0, rows, cols);
    return;
  }
  // Each case walks the rows with running offsets: pa/pb start each row, o runs on.
  switch (op) {
    case BinaryOp.Add:
      for (let r = 0, ra = ia, rb = ib; r < rows; r++, ra += sa0, rb += sb0) {
        for (let c = 0, pa = ra, pb = rb; c < cols; c++, pa += sa1, pb += sb1) out[o++] = a[pa] + b[pb];
      }
      break;
    case BinaryOp.Sub:
      for (let r = 0, ra = ia, rb = ib; r < rows; r++, ra += sa0, rb += sb0) {
        for (let c = 0, pa = ra, pb = rb; c < cols; c++, pa += sa1, pb += sb1) out[o++] = a[pa] - b[pb];
      }
      break;
    case BinaryOp.Mul:
      for (let r = 0, ra = ia, rb = ib; r < rows; r++, ra += sa0, rb += sb0) {
        for (let c = 0, pa = ra, pb = rb; c < cols; c++, pa += sa1, pb += sb1) out[o++] = a[pa] * b[pb];
      }
      break;
    case BinaryOp.Div:
      for (let r = 0, ra = ia, rb = ib; r < rows; r++, ra += sa0, rb += sb0) {
        for (let c = 0, pa = ra, pb = rb; c < cols; c++, pa += sa1, pb += sb1) out[o++] = a[pa] / b[pb];
      }
      break;
    case BinaryOp.Pow:
      for (let r = 0, ra = ia, rb = ib; r < rows; r++, ra += sa0, rb += sb0) {
        for (let c = 0, pa = ra, pb = rb; c < cols; c++, pa += sa1, pb += sb1) {
          out[o++] = Math.pow(a[pa], b[pb]);
        }
      }
      break;
    case BinaryOp.Maximum:
      for (let r = 0, ra = ia, rb = ib; r < rows; r++, ra += sa0, rb += sb0) {
        for (let c = 0, pa = ra, pb = rb; c < cols; c++, pa += sa1, pb += sb1) out[o++] = _max(a[pa], b[pb]);
      }
      break;
    case BinaryOp.Minimum:
      for (let r = 0, ra = ia, rb = ib; r < rows; r++, ra += sa0, rb += sb0) {
        for (let c = 0, pa = ra, pb = rb; c < cols; c++, pa += sa1, pb += sb1) out[o++] = _min(a[pa], b[pb]);
      }
      break;
    case BinaryOp.Gt:
      for (let r = 0, ra = ia, rb = ib; r < rows; r++, ra += sa0, rb += sb0) {
        for (let c = 0, pa = ra, pb = rb; c < cols; c++, pa += sa1, pb += sb1) {
          out[o++] = +(a[pa] > b[pb]);
        }
      }
      break;
    case BinaryOp.Ge:
      for (let r = 0, ra = ia, rb = ib; r < rows; r++, ra += sa0, rb += sb0) {
        for (let c = 0, pa = ra, pb = rb; c < cols; c++, pa += sa1, pb += sb1) {
          out[o++] = +(a[pa] >= b[pb]);
        }
      }
      break;
    case BinaryOp.Lt:
      for (let r = 0, ra = ia, rb = ib; r < rows; r++, ra += sa0, rb += sb0) {
        for (let c = 0, pa = ra, pb = rb; c < cols; c++, pa += sa1, pb += sb1) {
          out[o++] = +(a[pa] < b[pb]);
        }
      }
      break;
    case BinaryOp.Le:
      for (let r = 0, ra = ia, rb = ib; r < rows; r++, ra += sa0, rb += sb0) {
        for (let c = 0, pa = ra, pb = rb; c < cols; c++, pa += sa1, pb += sb1) {
          out[o++] = +(a[pa] <= b[pb]);
        }
      }
      break;
    case BinaryOp.Eq:
      for (let r = 0, ra = ia, rb = ib; r < rows; r++, ra += sa0, rb += sb0) {
        for (let c = 0, pa = ra, pb = rb; c < cols; c++, pa += sa1, pb += sb1) {
          out[o++] = +(a[pa] === b[pb]);
        }
      }
      break;
    case BinaryOp.Ne:
      for (let r = 0, ra = ia, rb = ib; r < rows; r++, ra += sa0, rb += sb0) {
        for (let c = 0, pa = ra, pb = rb; c < cols; c++, pa += sa1, pb += sb1) {
          out[o++] = +(a[pa] !== b[pb]);
        }
      }
      break;
  }
}

/**
 * {@linkcode binaryRun2D} when `b` is constant along each row (a column
 * broadcast like `[N, D] − [N, 1]`, or a scalar) and `a` is contiguous along
 * it: the constant is read once per row.
 */
function _binaryRowConstant(
  op: BinaryOp,
  out: Float64Array,
  o: number,
  a: Float64Array,
  ia: number,
  sa0: number,
  b: Float64Array,
  ib: number,
  sb0: number,
  rows: number,
  cols: number,
): void {
  switch (op) {
    case BinaryOp.Add:
      for (let r = 0, ra = ia, rb = ib; r < rows; r++, ra += sa0, rb += sb0) {
        const c = b[rb];
        for (let p = ra, end = ra + cols; p < end; p++) out[o++] = a[p] + c;
      }
      break;
    case BinaryOp.Sub:
      for (let r = 0, ra = ia, rb = ib; r < rows; r++, ra += sa0, rb += sb0) {
        const c = b[rb];
        for (let p = ra, end = ra + cols; p < end; p++) out[o++] = a[p] - c;
      }
      break;
    case BinaryOp.Mul:
      for (let r = 0, ra = ia, rb = ib; r < rows; r++, ra += sa0, rb += sb0) {
        const c = b[rb];
        for (let p = ra, end = ra + cols; p < end; p++) out[o++] = a[p] * c;
      }
      break;
    case BinaryOp.Div:
      for (let r = 0, ra = ia, rb = ib; r < rows; r++, ra += sa0, rb += sb0) {
        const c = b[rb];
        for (let p = ra, end = ra + cols; p < end; p++) out[o++] = a[p] / c;
      }
      break;
    case BinaryOp.Pow:
      for (let r = 0, ra = ia, rb = ib; r < rows; r++, ra += sa0, rb += sb0) {
        const c = b[rb];
        for (let p = ra, end = ra + cols; p < end; p++) out[o++] = Math.pow(a[p], c);
      }
      break;
    case BinaryOp.Maximum:
      for (let r = 0, ra = ia, rb = ib; r < rows; r++, ra += sa0, rb += sb0) {
        const c = b[rb];
        for (let p = ra, end = ra + cols; p < end; p++) out[o++] = _max(a[p], c);
      }
      break;
    case BinaryOp.Minimum:
      for (let r = 0, ra = ia, rb = ib; r < rows; r++, ra += sa0, rb += sb0) {
        const c = b[rb];
        for (let p = ra, end = ra + cols; p < end; p++) out[o++] = _min(a[p], c);
      }
      break;
    case BinaryOp.Gt:
      for (let r = 0, ra = ia, rb = ib; r < rows; r++, ra += sa0, rb += sb0) {
        const c = b[rb];
        for (let p = ra, end = ra + cols; p < end; p++) out[o++] = +(a[p] > c);
      }
      break;
    case BinaryOp.Ge:
      for (let r = 0, ra = ia, rb = ib; r < rows; r++, ra += sa0, rb += sb0) {
        const c = b[rb];
        for (let p = ra, end = ra + cols; p < end; p++) out[o++] = +(a[p] >= c);
      }
      break;
    case BinaryOp.Lt:
      for (let r = 0, ra = ia, rb = ib; r < rows; r++, ra += sa0, rb += sb0) {
        const c = b[rb];
        for (let p = ra, end = ra + cols; p < end; p++) out[o++] = +(a[p] < c);
      }
      break;
    case BinaryOp.Le:
      for (let r = 0, ra = ia, rb = ib; r < rows; r++, ra += sa0, rb += sb0) {
        const c = b[rb];
        for (let p = ra, end = ra + cols; p < end; p++) out[o++] = +(a[p] <= c);
      }
      break;
    case BinaryOp.Eq:
      for (let r = 0, ra = ia, rb = ib; r < rows; r++, ra += sa0, rb += sb0) {
        const c = b[rb];
        for (let p = ra, end = ra + cols; p < end; p++) out[o++] = +(a[p] === c);
      }
      break;
    case BinaryOp.Ne:
      for (let r = 0, ra = ia, rb = ib; r < rows; r++, ra += sa0, rb += sb0) {
        const c = b[rb];
        for (let p = ra, end = ra + cols; p < end; p++) out[o++] = +(a[p] !== c);
      }
      break;
  }
}

/**
 * `out[o + i] = a[ia + i·sa] ∘ b[ib + i·sb]` for i in [0, n): one row of
 * {@linkcode binaryRun2D}.
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
  binaryRun2D(op, out, o, a, ia, 0, sa, b, ib, 0, sb, 1, n);
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
      for (let i = 0; i < n; i++) {
        const x = a[i];
        out[i] = x === x ? +(x > 0) - +(x < 0) : NaN;
      }
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

/** Below this many elements {@linkcode sumRange} adds in eight interleaved partial sums; above, it halves. */
const _PAIRWISE_BLOCK = 128;

/**
 * `a[start] + … + a[start + n − 1]` by pairwise summation, as numpy does:
 * blocks of up to 128 elements are added in eight interleaved partial sums,
 * and longer ranges are split in halves, so the rounding error grows like
 * log n rather than n.
 */
export function sumRange(a: Float64Array, start: number, n: number): number {
  if (n < 8) {
    let s = 0;
    for (let i = start; i < start + n; i++) s += a[i];
    return s;
  }
  if (n <= _PAIRWISE_BLOCK) {
    let s0 = a[start], s1 = a[start + 1], s2 = a[start + 2], s3 = a[start + 3];
    let s4 = a[start + 4], s5 = a[start + 5], s6 = a[start + 6], s7 = a[start + 7];
    const end = start + n - (n % 8);
    let i = start + 8;
    for (; i < end; i += 8) {
      s0 += a[i];
      s1 += a[i + 1];
      s2 += a[i + 2];
      s3 += a[i + 3];
      s4 += a[i + 4];
      s5 += a[i + 5];
      s6 += a[i + 6];
      s7 += a[i + 7];
    }
    let s = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    for (; i < start + n; i++) s += a[i];
    return s;
  }
  let half = n >> 1;
  half -= half % 8;
  return sumRange(a, start, half) + sumRange(a, start + half, n - half);
}

/**
 * Reduces the middle axis of `a` viewed as `[outer, n, inner]` into `out`
 * viewed as `[outer, inner]`. Max/min propagate NaN; arg-reductions return the
 * first index of the extreme value (or of the first NaN, as numpy). `n` must
 * be ≥ 1 for every operation but the sum.
 */
export function reduceRun(
  op: ReduceOp,
  out: Float64Array,
  a: Float64Array,
  outer: number,
  n: number,
  inner: number,
): void {
  if (inner === 1) {
    _reduceRows(op, out, a, outer, n);
    return;
  }
  const block = n * inner;
  switch (op) {
    case ReduceOp.Sum:
      out.fill(0, 0, outer * inner);
      for (let o = 0; o < outer; o++) {
        const base = o * block;
        const ob = o * inner;
        for (let j = 0; j < n; j++) {
          for (let i = 0, p = base + j * inner; i < inner; i++, p++) out[ob + i] += a[p];
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
      // The best value so far per output, next to its index in `out`.
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

/** {@linkcode reduceRun} for `inner = 1`: each of `rows` contiguous runs of `n` elements to one number. */
function _reduceRows(op: ReduceOp, out: Float64Array, a: Float64Array, rows: number, n: number): void {
  switch (op) {
    case ReduceOp.Sum:
      for (let r = 0; r < rows; r++) out[r] = sumRange(a, r * n, n);
      break;
    case ReduceOp.Max:
      for (let r = 0; r < rows; r++) {
        const end = (r + 1) * n;
        let m = a[r * n];
        // Stop at a NaN: it is the result, as in numpy.
        for (let p = r * n + 1; p < end && m === m; p++) if (a[p] > m || a[p] !== a[p]) m = a[p];
        out[r] = m;
      }
      break;
    case ReduceOp.Min:
      for (let r = 0; r < rows; r++) {
        const end = (r + 1) * n;
        let m = a[r * n];
        for (let p = r * n + 1; p < end && m === m; p++) if (a[p] < m || a[p] !== a[p]) m = a[p];
        out[r] = m;
      }
      break;
    case ReduceOp.ArgMax:
    case ReduceOp.ArgMin: {
      const isMax = op === ReduceOp.ArgMax;
      for (let r = 0; r < rows; r++) {
        const base = r * n;
        let best = a[base];
        let at = 0;
        if (best === best) {
          for (let j = 1; j < n; j++) {
            const v = a[base + j];
            if (v !== v) {
              at = j; // the first NaN wins, as in numpy
              break;
            }
            if (isMax ? v > best : v < best) {
              best = v;
              at = j;
            }
          }
        }
        out[r] = at;
      }
      break;
    }
  }
}
