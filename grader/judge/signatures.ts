/**
 * Plain-array maths for mistake signatures, computed in the parent from the
 * reference's recorded inputs, parameters and outputs ("what would the
 * result be had the student made this mistake").
 *
 * @module
 */

import { asTensor } from "./compare.ts";
import type { TensorValue, Value } from "../spec.ts";

/** A recorded value as a tensor value. */
export function tv(v: Value): TensorValue {
  return asTensor(v, "value");
}

/** Elementwise map over one or more same-shape values. */
export function zipMap(vs: readonly Value[], f: (...xs: number[]) => number): TensorValue {
  const ts = vs.map(tv);
  const data = new Float64Array(ts[0].data.length);
  for (let i = 0; i < data.length; i++) data[i] = f(...ts.map((t) => t.data[i]));
  return { shape: [...ts[0].shape], data };
}

/** Row-wise map of a 2-D value: `f(row) → new row` (same length). */
export function rowMap(v: Value, f: (row: number[], i: number) => number[]): TensorValue {
  const t = tv(v);
  const [n, d] = t.shape;
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const row = f(Array.from(t.data.subarray(i * d, (i + 1) * d)), i);
    for (let k = 0; k < d; k++) data[i * d + k] = row[k];
  }
  return { shape: [n, d], data };
}

/** `a·b` (2-D), with optional transposes. */
export function matmul(a: Value, b: Value, transA = false, transB = false): TensorValue {
  const A = tv(a);
  const B = tv(b);
  const [ar, ac] = A.shape;
  const [br, bc] = B.shape;
  const m = transA ? ac : ar;
  const k = transA ? ar : ac;
  const n = transB ? br : bc;
  if ((transB ? bc : br) !== k) throw new TypeError("matmul: shapes do not match");
  const data = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) {
        s += (transA ? A.data[p * ac + i] : A.data[i * ac + p]) *
          (transB ? B.data[j * bc + p] : B.data[p * bc + j]);
      }
      data[i * n + j] = s;
    }
  }
  return { shape: [m, n], data };
}

/** Adds a row vector to every row of a 2-D value. */
export function addRow(a: Value, row: Value): TensorValue {
  const r = tv(row).data;
  return rowMap(a, (x) => x.map((v, k) => v + r[k]));
}

/** Σ over the batch (axis 0) of a 2-D value. */
export function columnSums(v: Value): TensorValue {
  const t = tv(v);
  const [n, d] = t.shape;
  const data = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) data[k] += t.data[i * d + k];
  return { shape: [d], data };
}

/** Σ over the batch (axis 0) of a 2-D value, broadcast back to every row. */
export function columnSumsEverywhere(v: Value): TensorValue {
  const t = tv(v);
  const [n, d] = t.shape;
  const sums = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) sums[k] += t.data[i * d + k];
  return { shape: [n, d], data: t.data.map((_, i) => sums[i % d]) };
}

/** Σ over each row of a 2-D value, broadcast back along the row. */
export function rowSumsEverywhere(v: Value): TensorValue {
  return rowMap(v, (row) => row.map(() => row.reduce((a, b) => a + b, 0)));
}

/** Column-wise statistics of a 2-D value. */
export function columnStats(v: Value, ddof = 0): { mean: number[]; variance: number[] } {
  const t = tv(v);
  const [n, d] = t.shape;
  const mean = new Array(d).fill(0);
  const variance = new Array(d).fill(0);
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) mean[k] += t.data[i * d + k] / n;
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) variance[k] += (t.data[i * d + k] - mean[k]) ** 2;
  for (let k = 0; k < d; k++) variance[k] /= Math.max(1, n - ddof);
  return { mean, variance };
}

/**
 * Cross-correlation of `x` `[N, Cin, H, W]` with `w` `[Cout, Cin, k, k]` plus
 * `b`, zero padding `pad`; `flip` convolves with the flipped kernel instead;
 * `shift` moves every window by that many pixels down and right.
 */
export function conv2d(x: Value, w: Value, b: Value, pad: number, flip = false, shift = 0): TensorValue {
  const X = tv(x);
  const Wt = tv(w);
  const B = tv(b);
  const [n, cin, h, wd] = X.shape;
  const [cout, , k] = Wt.shape;
  const oh = h + 2 * pad - k + 1;
  const ow = wd + 2 * pad - k + 1;
  const data = new Float64Array(n * cout * oh * ow);
  for (let s = 0; s < n; s++) {
    for (let o = 0; o < cout; o++) {
      for (let i = 0; i < oh; i++) {
        for (let j = 0; j < ow; j++) {
          let acc = B.data[o];
          for (let c = 0; c < cin; c++) {
            for (let p = 0; p < k; p++) {
              for (let q = 0; q < k; q++) {
                const y = i + p - pad + shift;
                const z = j + q - pad + shift;
                if (y < 0 || y >= h || z < 0 || z >= wd) continue;
                const kp = flip ? k - 1 - p : p;
                const kq = flip ? k - 1 - q : q;
                acc += X.data[((s * cin + c) * h + y) * wd + z] * Wt.data[((o * cin + c) * k + kp) * k + kq];
              }
            }
          }
          data[((s * cout + o) * oh + i) * ow + j] = acc;
        }
      }
    }
  }
  return { shape: [n, cout, oh, ow], data };
}

/**
 * Conv2d's gradW `[Cout, Cin, k, k]` from the samples `samples` of `x`
 * `[N, Cin, H, W]` and `g` `[N, Cout, H, W]` only ("same" padding).
 */
export function convGradW(x: Value, g: Value, k: number, samples: readonly number[]): TensorValue {
  const X = tv(x);
  const G = tv(g);
  const [, cin, h, w] = X.shape;
  const cout = G.shape[1];
  const pad = k >> 1;
  const data = new Float64Array(cout * cin * k * k);
  for (const n of samples) {
    for (let o = 0; o < cout; o++) {
      for (let c = 0; c < cin; c++) {
        for (let p = 0; p < k; p++) {
          for (let q = 0; q < k; q++) {
            let acc = 0;
            for (let y = 0; y < h; y++) {
              for (let z = 0; z < w; z++) {
                const yy = y + p - pad;
                const zz = z + q - pad;
                if (yy < 0 || yy >= h || zz < 0 || zz >= w) continue;
                acc += G.data[((n * cout + o) * h + y) * w + z] * X.data[((n * cin + c) * h + yy) * w + zz];
              }
            }
            data[((o * cin + c) * k + p) * k + q] += acc;
          }
        }
      }
    }
  }
  return { shape: [cout, cin, k, k], data };
}

/** A 4-D kernel flipped in both spatial axes. */
export function flipKernel(w: Value): TensorValue {
  const W = tv(w);
  const [a, b, k] = W.shape;
  const data = new Float64Array(W.data.length);
  for (let o = 0; o < a * b; o++) {
    for (let p = 0; p < k; p++) {
      for (let q = 0; q < k; q++) data[(o * k + p) * k + q] = W.data[(o * k + k - 1 - p) * k + k - 1 - q];
    }
  }
  return { shape: [...W.shape], data };
}
