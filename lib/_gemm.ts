/**
 * Float64 matrix multiply, C = op(A)·op(B), the kernel under Tensor's matmul and Linear layers.
 *
 * Three implementations with one contract: {@link gemm} runs a WebAssembly SIMD kernel
 * (`lib/_gemm.wat`) when the runtime supports it and {@link gemmTs} otherwise; {@link gemmNaive}
 * is the plain triple loop the other two are tested against.
 *
 * Both fast paths pack op(A) and op(B) into panels of four rows (four columns of B), interleaved
 * along k, so that the 4×4 micro-kernel reads memory contiguously whatever the transposes. The
 * WebAssembly path skips packing where it would cost as much as the product (the small
 * matrices of a convolution's im2col, see {@link _DIRECT_MAX}): an untransposed B is read as it
 * is, and A·Bᵀ with few rows of A or B takes a kernel that dots rows of A with rows of B.
 *
 * @module
 */

import { GEMM_WASM_BASE64 } from "./_gemm_wasm.ts";

/** Rows of A (and columns of B) per packed panel: the micro-kernel's tile is 4×4. */
const _PANEL = 4;

/**
 * The WebAssembly path reads an untransposed B as it is, without packing it, when m or k is at
 * most this: each element of B then meets at most 16 rows of A, so a packing pass over B costs
 * about as much as the product itself (the im2col products of a small convolution). Likewise
 * A·Bᵀ (A untransposed) with m or n at most this runs the row-dot kernel, packing nothing.
 */
const _DIRECT_MAX = 16;

/** Throws unless `value` (dimension `name`) is a non-negative integer. */
function _checkDim(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`Cannot multiply matrices: ${name} must be a non-negative integer, got ${value}`);
  }
}

/** Throws unless `array` (operand `what`) holds at least rows·cols elements. */
function _checkLength(what: string, array: Float64Array, rows: number, cols: number): void {
  if (array.length < rows * cols) {
    throw new TypeError(
      `Cannot multiply matrices: ${what} has ${array.length} elements, expected ${
        rows * cols
      } for [${rows}, ${cols}]`,
    );
  }
}

/** Shape check shared by the three implementations; returns false when there is nothing to do. */
function _checkShapes(
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  m: number,
  k: number,
  n: number,
  accumulate = false,
): boolean {
  // Called for every product, many of them small: no arrays or closures on the path that passes.
  _checkDim("m", m);
  _checkDim("k", k);
  _checkDim("n", n);
  _checkLength("A", a, m, k);
  _checkLength("B", b, k, n);
  _checkLength("C", c, m, n);
  if (m === 0 || n === 0) return false;
  if (k === 0) {
    if (!accumulate) c.fill(0, 0, m * n);
    return false;
  }
  return true;
}

/**
 * Packs `rows` rows of a matrix X (element [i, p] at `x[i·rowStride + p·kStride]`) into
 * ceil(rows/4) panels of [kPad][4] starting at `out[offset]`, zero-filling the padding.
 * Used for op(A) (rows = m) and for op(B)ᵀ (rows = n).
 */
function _pack(
  x: Float64Array,
  rows: number,
  k: number,
  rowStride: number,
  kStride: number,
  out: Float64Array,
  offset: number,
  kPad: number,
): void {
  for (let i0 = 0; i0 < rows; i0 += _PANEL) {
    const live = Math.min(_PANEL, rows - i0);
    for (let r = 0; r < _PANEL; r++) {
      let o = offset + r;
      if (r < live) {
        let s = (i0 + r) * rowStride;
        for (let p = 0; p < k; p++, s += kStride, o += _PANEL) out[o] = x[s];
        for (let p = k; p < kPad; p++, o += _PANEL) out[o] = 0;
      } else {
        for (let p = 0; p < kPad; p++, o += _PANEL) out[o] = 0;
      }
    }
    offset += kPad * _PANEL;
  }
}

/** Packs op(A) and op(B)ᵀ into `out` at the given offsets (in elements). */
function _packBoth(
  a: Float64Array,
  b: Float64Array,
  m: number,
  k: number,
  n: number,
  transA: boolean,
  transB: boolean,
  out: Float64Array,
  aOffset: number,
  bOffset: number,
  kPad: number,
): void {
  _pack(a, m, k, transA ? 1 : k, transA ? m : 1, out, aOffset, kPad);
  _pack(b, n, k, transB ? k : 1, transB ? 1 : n, out, bOffset, kPad);
}

/** Rounds up to a multiple of `step`. */
function _roundUp(value: number, step: number): number {
  return Math.ceil(value / step) * step;
}

/**
 * C = op(A)·op(B) by the definition, one dot product per element: the reference for tests
 * and benchmarks. Same contract as {@link gemm}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gemmNaive } from "./_gemm.ts";
 * const c = new Float64Array(1);
 * gemmNaive(new Float64Array([1, 2]), new Float64Array([3, 4]), c, 1, 2, 1, false, false);
 * assert.deepEqual([...c], [11]);
 * ```
 */
export function gemmNaive(
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  m: number,
  k: number,
  n: number,
  transA: boolean,
  transB: boolean,
): void {
  if (!_checkShapes(a, b, c, m, k, n)) return;
  const aRow = transA ? 1 : k, aK = transA ? m : 1;
  const bK = transB ? 1 : n, bCol = transB ? k : 1;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += a[i * aRow + p * aK] * b[p * bK + j * bCol];
      c[i * n + j] = sum;
    }
  }
}

/** Scratch for gemmTs's packed panels, grown on demand and kept between calls. */
let _tsScratch = new Float64Array(0);

/**
 * C = op(A)·op(B) in pure TypeScript: packs both operands like the WebAssembly path, then runs a
 * 4×4 register-blocked micro-kernel (sixteen scalar accumulators). Always available; same
 * contract as {@link gemm}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gemmTs } from "./_gemm.ts";
 * const c = new Float64Array(4);
 * // [1, 2]ᵀ·[3, 4] = [[3, 4], [6, 8]]
 * gemmTs(new Float64Array([1, 2]), new Float64Array([3, 4]), c, 2, 1, 2, false, false);
 * assert.deepEqual([...c], [3, 4, 6, 8]);
 * ```
 */
export function gemmTs(
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  m: number,
  k: number,
  n: number,
  transA: boolean,
  transB: boolean,
): void {
  if (!_checkShapes(a, b, c, m, k, n)) return;
  const mPanels = Math.ceil(m / _PANEL), nPanels = Math.ceil(n / _PANEL);
  const panelLength = k * _PANEL;
  const bOffset = mPanels * panelLength;
  const total = bOffset + nPanels * panelLength;
  if (_tsScratch.length < total) _tsScratch = new Float64Array(total);
  const w = _tsScratch;
  _packBoth(a, b, m, k, n, transA, transB, w, 0, bOffset, k);
  for (let jp = 0; jp < nPanels; jp++) {
    const j0 = jp * _PANEL, bStart = bOffset + jp * panelLength;
    for (let ip = 0; ip < mPanels; ip++) {
      const i0 = ip * _PANEL;
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let p = 0, x = ip * panelLength, y = bStart; p < k; p++, x += 4, y += 4) {
        const b0 = w[y], b1 = w[y + 1], b2 = w[y + 2], b3 = w[y + 3];
        const a0 = w[x], a1 = w[x + 1], a2 = w[x + 2], a3 = w[x + 3];
        c00 += a0 * b0, c01 += a0 * b1, c02 += a0 * b2, c03 += a0 * b3;
        c10 += a1 * b0, c11 += a1 * b1, c12 += a1 * b2, c13 += a1 * b3;
        c20 += a2 * b0, c21 += a2 * b1, c22 += a2 * b2, c23 += a2 * b3;
        c30 += a3 * b0, c31 += a3 * b1, c32 += a3 * b2, c33 += a3 * b3;
      }
      if (i0 + 4 <= m && j0 + 4 <= n) {
        let o = i0 * n + j0;
        c[o] = c00, c[o + 1] = c01, c[o + 2] = c02, c[o + 3] = c03, o += n;
        c[o] = c10, c[o + 1] = c11, c[o + 2] = c12, c[o + 3] = c13, o += n;
        c[o] = c20, c[o + 1] = c21, c[o + 2] = c22, c[o + 3] = c23, o += n;
        c[o] = c30, c[o + 1] = c31, c[o + 2] = c32, c[o + 3] = c33;
      } else {
        const tile = [c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33];
        for (let r = 0; r < _PANEL && i0 + r < m; r++) {
          for (let s = 0; s < _PANEL && j0 + s < n; s++) c[(i0 + r) * n + j0 + s] = tile[r * 4 + s];
        }
      }
    }
  }
}

/** The exports of `lib/_gemm.wat`; pointers and strides are in bytes. */
interface _WasmKernel {
  memory: WebAssembly.Memory;
  packRows(src: number, ld: number, panels: number, kPad: number, dst: number): void;
  packCols(src: number, ld: number, panels: number, k: number, kPad: number, dst: number): void;
  gemm(
    a: number,
    b: number,
    c: number,
    mPanels: number,
    nPanels: number,
    kPad: number,
    ldc: number,
    ldb: number,
    bPanelBytes: number,
  ): void;
  gemmDot(a: number, b: number, c: number, mPairs: number, nQuads: number, kPad: number, ldc: number): void;
}

/** Instantiates the kernel, or returns null when the runtime lacks (relaxed) SIMD. */
function _loadWasm(): _WasmKernel | null {
  const bytes = Uint8Array.from(atob(GEMM_WASM_BASE64), (ch) => ch.charCodeAt(0));
  if (!WebAssembly.validate(bytes)) return null;
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
  return instance.exports as unknown as _WasmKernel;
}

const _wasm = _loadWasm();

/** A Float64Array over the whole wasm memory, replaced whenever the memory grows. */
let _heap = new Float64Array(_wasm ? _wasm.memory.buffer : new ArrayBuffer(0));

/** The most wasm memory gemm uses (byte offsets stay positive i32); larger products run gemmTs. */
const _WASM_MAX_BYTES = 2 ** 31 - 65536;

/**
 * Makes the wasm memory at least `bytes` long and returns a view over all of it, or null when
 * the memory cannot grow that far. The memory is kept between calls and never shrinks.
 */
function _heapOf(wasm: _WasmKernel, bytes: number): Float64Array | null {
  const have = wasm.memory.buffer.byteLength;
  if (have < bytes) {
    if (bytes > _WASM_MAX_BYTES) return null;
    try {
      wasm.memory.grow(Math.ceil((bytes - have) / 65536));
    } catch {
      return null;
    }
  }
  if (_heap.buffer !== wasm.memory.buffer) _heap = new Float64Array(wasm.memory.buffer);
  return _heap;
}

/**
 * Packs X ([rows, k], element [i, p] at `raw + i·rowStride + p·kStride`, already in wasm memory)
 * into panels at `dst` (offsets in elements), then zeroes what the kernel must read as padding:
 * the lanes past `rows` in the last panel and the k-step past an odd k.
 */
function _packWasm(
  wasm: _WasmKernel,
  heap: Float64Array,
  raw: number,
  rows: number,
  k: number,
  rowStride: number,
  kStride: number,
  dst: number,
  kPad: number,
): void {
  const panels = Math.ceil(rows / _PANEL), panelLength = kPad * _PANEL;
  if (kStride === 1) wasm.packRows(raw * 8, rowStride * 8, panels, kPad, dst * 8);
  else wasm.packCols(raw * 8, kStride * 8, panels, k, kPad, dst * 8);
  if (kPad > k) {
    for (let o = dst + k * _PANEL; o < dst + panels * panelLength; o += panelLength) {
      heap.fill(0, o, o + _PANEL);
    }
  }
  const live = rows - (panels - 1) * _PANEL;
  if (live < _PANEL) {
    const last = dst + (panels - 1) * panelLength;
    for (let o = last; o < last + panelLength; o += _PANEL) {
      for (let r = live; r < _PANEL; r++) heap[o + r] = 0;
    }
  }
}

/** Copies the first `length` elements of `x` into the heap at `offset`. */
function _copyIn(heap: Float64Array, x: Float64Array, length: number, offset: number): void {
  heap.set(x.length === length ? x : x.subarray(0, length), offset);
}

/**
 * gemm through the WebAssembly kernel. Wasm memory holds, in elements: raw A (m·k, plus slack),
 * raw B (k·n, plus slack), packed A, packed B (unless B is read as it is, see {@link _DIRECT_MAX}),
 * then C ([mPad, nPad]). Products that would need more than 2 GiB of it run {@link gemmTs} instead.
 */
function _gemmWasm(
  wasm: _WasmKernel,
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  m: number,
  k: number,
  n: number,
  transA: boolean,
  transB: boolean,
  accumulate: boolean,
): void {
  if (!_checkShapes(a, b, c, m, k, n, accumulate)) return;
  if (
    !transA && transB && (m <= _DIRECT_MAX || n <= _DIRECT_MAX) &&
    _gemmDotWasm(wasm, a, b, c, m, k, n, accumulate)
  ) {
    return;
  }
  const mPad = _roundUp(m, _PANEL), nPad = _roundUp(n, _PANEL), kPad = _roundUp(k, 2);
  const direct = !transB && (m <= _DIRECT_MAX || k <= _DIRECT_MAX);
  // The pack routines read up to a whole panel past the last row, and one step past an odd k;
  // a direct B is read up to the next multiple of four columns in its padding k-step.
  const rawB = mPad * k + _PANEL, packA = rawB + (direct ? kPad * n : nPad * k) + _PANEL;
  const packB = packA + mPad * kPad, cOffset = direct ? packB : packB + nPad * kPad;
  const heap = _heapOf(wasm, (cOffset + mPad * nPad) * 8);
  if (heap === null) return _gemmTsInto(a, b, c, m, k, n, transA, transB, accumulate);
  _copyIn(heap, a, m * k, 0);
  _copyIn(heap, b, k * n, rawB);
  _packWasm(wasm, heap, 0, m, k, transA ? 1 : k, transA ? m : 1, packA, kPad);
  if (direct) {
    // Past B: the padding k-step and the columns the last panel reads past n, as zeros.
    heap.fill(0, rawB + k * n, packA);
    wasm.gemm(packA * 8, rawB * 8, cOffset * 8, mPad / _PANEL, nPad / _PANEL, kPad, nPad, n * 8, _PANEL * 8);
  } else {
    _packWasm(wasm, heap, rawB, n, k, transB ? k : 1, transB ? 1 : n, packB, kPad);
    const panelBytes = kPad * _PANEL * 8;
    wasm.gemm(
      packA * 8,
      packB * 8,
      cOffset * 8,
      mPad / _PANEL,
      nPad / _PANEL,
      kPad,
      nPad,
      _PANEL * 8,
      panelBytes,
    );
  }
  _copyOut(heap, c, cOffset, m, n, nPad, accumulate);
}

/**
 * Copies C ([m, n] inside [m, nPad] at `offset` in the heap) out to `c`, or adds it to `c` when
 * `accumulate` (one pass, no temporary: how a gradient is accumulated in place).
 */
function _copyOut(
  heap: Float64Array,
  c: Float64Array,
  offset: number,
  m: number,
  n: number,
  nPad: number,
  accumulate: boolean,
) {
  if (accumulate) {
    for (let i = 0, o = 0; i < m; i++) {
      for (let h = offset + i * nPad, end = h + n; h < end; h++, o++) c[o] += heap[h];
    }
  } else if (nPad === n) {
    c.set(heap.subarray(offset, offset + m * n));
  } else {
    for (let i = 0; i < m; i++) c.set(heap.subarray(offset + i * nPad, offset + i * nPad + n), i * n);
  }
}

/**
 * Copies X ([rows, k], row-major) into the heap at `offset` as [rowsPad, kPad], zero-padded:
 * the layout of the operands of the kernel's `gemmDot`.
 */
function _copyRows(
  heap: Float64Array,
  x: Float64Array,
  rows: number,
  k: number,
  offset: number,
  rowsPad: number,
  kPad: number,
): void {
  if (kPad === k) {
    _copyIn(heap, x, rows * k, offset);
  } else {
    for (let i = 0; i < rows; i++) {
      heap.set(x.subarray(i * k, (i + 1) * k), offset + i * kPad);
      heap.fill(0, offset + i * kPad + k, offset + (i + 1) * kPad);
    }
  }
  heap.fill(0, offset + rows * kPad, offset + rowsPad * kPad);
}

/**
 * A·Bᵀ (A stored [m, k], B stored [n, k]) through the kernel's `gemmDot`, which takes both as
 * they are (rows zero-padded to [2·⌈m/2⌉, kPad] and [4·⌈n/4⌉, kPad]) and forms each element as
 * a dot product of two rows: for few rows of A or of B, packing them would cost as much as the
 * product. Returns false when the wasm memory cannot hold it.
 */
function _gemmDotWasm(
  wasm: _WasmKernel,
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  m: number,
  k: number,
  n: number,
  accumulate: boolean,
): boolean {
  const mPad = _roundUp(m, 2), nPad = _roundUp(n, _PANEL), kPad = _roundUp(k, 2);
  const bOffset = mPad * kPad, cOffset = bOffset + nPad * kPad;
  const heap = _heapOf(wasm, (cOffset + mPad * nPad) * 8);
  if (heap === null) return false;
  _copyRows(heap, a, m, k, 0, mPad, kPad);
  _copyRows(heap, b, n, k, bOffset, nPad, kPad);
  wasm.gemmDot(0, bOffset * 8, cOffset * 8, mPad / 2, nPad / _PANEL, kPad, nPad);
  _copyOut(heap, c, cOffset, m, n, nPad, accumulate);
  return true;
}

/**
 * Which backend {@link gemm} uses: `"wasm-simd"`, or `"typescript"` ({@link gemmTs}) when the
 * runtime cannot compile WebAssembly relaxed SIMD.
 *
 * @example
 * ```ts
 * import { gemmBackend } from "./_gemm.ts";
 * console.log(`matmul backend: ${gemmBackend}`);
 * ```
 */
export const gemmBackend: string = _wasm ? "wasm-simd" : "typescript";

/**
 * C = op(A)·op(B) for row-major float64 matrices; C is overwritten, or, when `accumulate`,
 * C += op(A)·op(B) (the product is formed first, then added: the same sums as a separate add).
 *
 * op(A) is [m, k]: A is stored [m, k] when `!transA`, [k, m] when `transA`.
 * op(B) is [k, n]: B is stored [k, n] when `!transB`, [n, k] when `transB`.
 * C is [m, n]. Arrays may be views (subarrays); only their first m·k, k·n and m·n elements are
 * used. Runs the WebAssembly SIMD kernel (see {@link gemmBackend}), else {@link gemmTs}.
 *
 * @throws {TypeError} when an array is too short for its shape.
 * @throws {RangeError} when m, k or n is not a non-negative integer.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gemm } from "./_gemm.ts";
 * // [[1, 2], [3, 4]] · [[5, 6], [7, 8]]ᵀ = [[17, 23], [39, 53]]
 * const c = new Float64Array(4);
 * gemm(new Float64Array([1, 2, 3, 4]), new Float64Array([5, 6, 7, 8]), c, 2, 2, 2, false, true);
 * assert.deepEqual([...c], [17, 23, 39, 53]);
 * ```
 */
export function gemm(
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  m: number,
  k: number,
  n: number,
  transA: boolean,
  transB: boolean,
  accumulate = false,
): void {
  if (_wasm) _gemmWasm(_wasm, a, b, c, m, k, n, transA, transB, accumulate);
  else _gemmTsInto(a, b, c, m, k, n, transA, transB, accumulate);
}

/** {@link gemmTs}, adding into C when `accumulate` (through a temporary: the fallback path). */
function _gemmTsInto(
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  m: number,
  k: number,
  n: number,
  transA: boolean,
  transB: boolean,
  accumulate: boolean,
): void {
  if (!accumulate) return gemmTs(a, b, c, m, k, n, transA, transB);
  if (!_checkShapes(a, b, c, m, k, n, true)) return;
  const product = new Float64Array(m * n);
  gemmTs(a, b, product, m, k, n, transA, transB);
  for (let i = 0; i < m * n; i++) c[i] += product[i];
}
