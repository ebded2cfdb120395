/**
 * Generic patterns of a wrong result (parent side): when no signature of a
 * lesson's classic mistakes matches, say how the student's value differs
 * from the expected one, from the numbers alone: a different shape (the
 * right values reshaped, transposed or in column-major order), NaN or
 * Infinity and where, all zeros, equal to another tensor of the probe (the
 * input, gradOutput), a constant factor (named when it is a size or a rate of
 * the probe: N, D, 1/(1 − p), learningRate), the sign, wrong only where the
 * input is negative (or positive, 0, large), only in some samples, zeroed
 * elements, a constant shift per row or column, a factor per row or column,
 * the right values at the wrong positions, or close but not within
 * tolerance.
 *
 * Each finding completes "looks like …" and carries the id of its pattern
 * ({@linkcode PATTERNS}), which the grader's coverage test proves fires on
 * some wrong implementation and never on a correct one.
 *
 * @module
 */

import { close, fmt, indexOf, sameShape, shapeText, SIGNATURE_TOL } from "./compare.ts";
import type { Evidence, NamedConstant, Related, TensorValue } from "../spec.ts";

/** What a pattern found: its id and the words that complete "looks like …". */
export interface Finding {
  /** The pattern's id (`pattern:factor`). */
  readonly id: string;
  /** The diagnosis. */
  readonly says: string;
}

/** The ids of the generic patterns of a single result. */
export const PATTERNS = {
  shape: "pattern:shape",
  reshaped: "pattern:reshaped",
  transposed: "pattern:transposed",
  columnMajor: "pattern:column-major",
  nonFinite: "pattern:non-finite",
  zeros: "pattern:zeros",
  uniform: "pattern:uniform",
  equals: "pattern:equals",
  sign: "pattern:sign",
  factor: "pattern:factor",
  region: "pattern:region",
  samples: "pattern:samples",
  masked: "pattern:masked",
  offset: "pattern:offset",
  axisFactor: "pattern:axis-factor",
  permuted: "pattern:permuted",
  near: "pattern:near",
} as const;

const T = SIGNATURE_TOL;

function tensor(shape: readonly number[], data: Float64Array): TensorValue {
  return { shape: [...shape], data };
}

/** True when `a` matches `b` to a signature's tolerance (same shape). */
function matches(a: TensorValue, b: TensorValue): boolean {
  return close(a, b, T);
}

/** `a` matches `b` but `expected` does not: `b` tells the mistake apart. */
function tells(a: TensorValue, b: TensorValue, expected: TensorValue): boolean {
  return matches(a, b) && !matches(expected, b);
}

function scaledBy(t: TensorValue, c: number): TensorValue {
  return tensor(t.shape, t.data.map((x) => x * c));
}

/** The elements of `t` at `at`, as a 1-D value. */
function pick(t: TensorValue, at: readonly number[]): TensorValue {
  return tensor([at.length], Float64Array.from(at, (i) => t.data[i]));
}

/** The flat indices where `got` is not within the reference tolerance of `expected`. */
function wrongAt(got: TensorValue, expected: TensorValue): number[] {
  let scale = 1e-4;
  for (const e of expected.data) if (Math.abs(e) > scale) scale = Math.abs(e);
  const out: number[] = [];
  for (let i = 0; i < expected.data.length; i++) {
    const g = got.data[i];
    const e = expected.data[i];
    if (!(Math.abs(g - e) <= T.rtol * Math.abs(e) + T.atol * scale) && !Object.is(g, e)) out.push(i);
  }
  return out;
}

function ratio(c: number, k: number): boolean {
  return Math.abs(c - k) <= 1e-6 * Math.abs(k);
}

/** A symbol as it reads after × or ÷: `N`, `(1 − p)`. */
function operand(symbol: string): string {
  return /^[\w.·]+$/.test(symbol) ? symbol : `(${symbol})`;
}

/** A factor as a message shows it: `6`, `1.429`, `3.5e+13`. */
function shown(m: number): string {
  const r = Number(m.toPrecision(4));
  return r < 1e5 ? `${r}` : fmt(m);
}

/** `a factor 6 too small (÷ N, the batch size)`, or the sign. */
function factorText(c: number, constants: readonly NamedConstant[]): Finding {
  const m = Math.abs(c) >= 1 ? Math.abs(c) : 1 / Math.abs(c);
  if (ratio(m, 1)) return { id: PATTERNS.sign, says: "the sign is flipped" };
  const names: string[] = [];
  for (const k of constants) {
    if (k.value <= 0 || ratio(k.value, 1)) continue;
    const phrase = (op: string) => `${op} ${operand(k.symbol)}${k.meaning ? `, ${k.meaning}` : ""}`;
    if (ratio(Math.abs(c), k.value)) names.push(phrase("×"));
    else if (ratio(Math.abs(c), 1 / k.value)) names.push(phrase("÷"));
  }
  const unique = [...new Set(names)];
  const which = unique.length ? ` (${unique.join(", or ")})` : "";
  const sign = c < 0 ? "the sign is flipped and " : "";
  const size = Math.abs(c) >= 1 ? "too large" : "too small";
  return {
    id: PATTERNS.factor,
    says: `${sign}a ${which ? "" : "constant "}factor ${shown(m)} ${size}${which}`,
  };
}

/** The factor `c` with `got ≈ c·expected`, when there is one (not 0, not about 1). */
function constantFactor(got: TensorValue, expected: TensorValue): number | undefined {
  let ge = 0;
  let ee = 0;
  for (let i = 0; i < got.data.length; i++) {
    ge += got.data[i] * expected.data[i];
    ee += expected.data[i] * expected.data[i];
  }
  if (!(ee > 0) || !Number.isFinite(ge)) return undefined;
  const c = ge / ee;
  if (c === 0 || Math.abs(c - 1) < 1e-2 || !matches(got, scaledBy(expected, c))) return undefined;
  return c;
}

// ------------------------------------------------------------------ shapes

/**
 * Column-major readings of a row-major layout of `shape`: for each, the flat
 * row-major index that its k-th element reads. Over every axis (a transpose
 * of the whole), over each sample's axes (the batch axis kept first), and the
 * [N, rest] view transposed (a transpose before a reshape).
 */
function columnMajorIndices(shape: readonly number[]): Int32Array[] {
  const size = shape.reduce((a, b) => a * b, 1);
  const out: Int32Array[] = [];
  const reversed = (dims: readonly number[], base: number, into: Int32Array, from: number) => {
    const count = dims.reduce((a, b) => a * b, 1);
    const strides = dims.map((_, d) => dims.slice(d + 1).reduce((a, b) => a * b, 1));
    for (let k = 0; k < count; k++) {
      let rest = k;
      let at = 0;
      for (let d = 0; d < dims.length; d++) {
        at += (rest % dims[d]) * strides[d];
        rest = Math.floor(rest / dims[d]);
      }
      into[from + k] = base + at;
    }
  };
  if (shape.length >= 2) {
    const all = new Int32Array(size);
    reversed(shape, 0, all, 0);
    out.push(all);
  }
  if (shape.length >= 3) {
    const [n, ...rest] = shape;
    const per = size / n;
    const each = new Int32Array(size);
    for (let s = 0; s < n; s++) reversed(rest, s * per, each, s * per);
    out.push(each, Int32Array.from({ length: size }, (_, k) => (k % n) * per + Math.floor(k / n)));
  }
  return out;
}

/** True when `got` holds `expected`'s elements in one of the column-major orders (read either way). */
function inColumnMajor(
  got: Float64Array,
  expected: Float64Array,
  shapes: readonly (readonly number[])[],
): boolean {
  const flat = (d: Float64Array) => tensor([d.length], d);
  for (const shape of shapes) {
    for (const at of columnMajorIndices(shape)) {
      const read = Float64Array.from(at, (i) => expected[i]);
      const written = new Float64Array(expected.length);
      at.forEach((i, k) => (written[i] = expected[k]));
      if (matches(flat(got), flat(read)) || matches(flat(got), flat(written))) return true;
    }
  }
  return false;
}

function sortedEqual(got: TensorValue, expected: TensorValue): boolean {
  const a = tensor([got.data.length], Float64Array.from(got.data).sort());
  const b = tensor([expected.data.length], Float64Array.from(expected.data).sort());
  return matches(a, b);
}

/** The same elements in another order: column-major, or some other permutation (of mostly non-zero values). */
function reordered(ev: Evidence, shapeNote: string): Finding | undefined {
  // Mostly zeros (a routed gradient) reorder into each other by chance.
  if (ev.expected.data.filter((x) => x !== 0).length * 2 < ev.expected.data.length) return undefined;
  const flat = (d: Float64Array) => tensor([d.length], d);
  const layouts = [ev.expected.shape, ev.got.shape, ...(ev.aligned ? [ev.aligned.shape] : [])]
    .filter((l) => l.reduce((a, b) => a * b, 1) === ev.expected.data.length);
  if (inColumnMajor(ev.got.data, ev.expected.data, layouts)) {
    return {
      id: PATTERNS.columnMajor,
      says: `the right values in column-major order${shapeNote} (row-major: the last axis varies fastest)`,
    };
  }
  if (sortedEqual(ev.got, ev.expected) && !matches(flat(ev.got.data), flat(ev.expected.data))) {
    return {
      id: PATTERNS.permuted,
      says: `the right values at the wrong positions${shapeNote}: an index, stride or axis-order mistake?`,
    };
  }
  return undefined;
}

/** What an integer size might be, from the probe's constants (`N, the batch size`). */
function sizeName(n: number, constants: readonly NamedConstant[]): string | undefined {
  const k = constants.find((c) => c.value === n && Number.isInteger(c.value));
  return k ? `${k.symbol}${k.meaning ? `, ${k.meaning}` : ""}` : undefined;
}

function shapeFinding(ev: Evidence): Finding {
  const g = ev.got.shape;
  const e = ev.expected.shape;
  const note = ` (shape ${shapeText(g)} instead of ${shapeText(e)})`;
  const sameSize = ev.got.data.length === ev.expected.data.length;
  for (const r of ev.related ?? []) {
    if (sameShape(r.value.shape, g) && matches(ev.got, r.value)) {
      return { id: PATTERNS.equals, says: `${ev.what} is ${r.name} unchanged${note}` };
    }
  }
  if (
    sameSize &&
    matches(tensor([ev.got.data.length], ev.got.data), tensor([ev.got.data.length], ev.expected.data))
  ) {
    return {
      id: PATTERNS.reshaped,
      says: `the right values in the wrong shape${note}: reshape to ${shapeText(e)}`,
    };
  }

  if (sameSize && g.length === 2 && e.length === 2 && g[0] === e[1] && g[1] === e[0]) {
    if (matches(ev.got, transposeLast(ev.expected))) {
      return { id: PATTERNS.transposed, says: `${ev.what} is transposed${note}` };
    }
  }
  if (sameSize) {
    const found = reordered(ev, note);
    if (found) return found;
  }
  const why = shapeWhy(g, e, ev.constants ?? []);
  return { id: PATTERNS.shape, says: `a different shape${note}${why ? `: ${why}` : ""}` };
}

/** Why a result of shape `g` might not have shape `e` (keepdims, an axis summed away, a size of the probe in the wrong axis, a window off). */
export function shapeWhy(
  g: readonly number[],
  e: readonly number[],
  constants: readonly NamedConstant[],
): string | undefined {
  const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
  const squeeze = (s: readonly number[]) => s.filter((d) => d !== 1).join();
  if (squeeze(g) === squeeze(e)) {
    return g.length > e.length ? "an extra axis of size 1 (keepdims?)" : "an axis of size 1 is missing";
  }
  if (g.length === 2 && e.length === 2 && g[0] === e[1] && g[1] === e[0]) {
    return "the transpose's shape (a transpose missing or extra?)";
  }
  if (g.length === e.length) {
    const differ = g.map((_, i) => i).filter((i) => g[i] !== e[i]);
    const deltas = new Set(differ.map((i) => g[i] - e[i]));
    if (deltas.size === 1 && differ.length > 1) {
      const d = [...deltas][0];
      return `${Math.abs(d)} ${d < 0 ? "smaller" : "larger"} in axes ${
        differ.join(" and ")
      } (a window or padding off?)`;
    }
    const named = differ.filter((i) => sizeName(g[i], constants));
    if (named.length) {
      const i = named[0];
      const theirs = sizeName(e[i], constants);
      return `${g[i]} (${sizeName(g[i], constants)}) stands where ${e[i]}${
        theirs ? ` (${theirs})` : ""
      } belongs: a sum or mean over the wrong axis?`;
    }
    if (deltas.size === 1 && differ.length === 1) {
      const d = [...deltas][0];
      const spatial = differ[0] >= 2 ? " (a window or padding off?)" : "";
      return `${Math.abs(d)} ${d < 0 ? "smaller" : "larger"} in axis ${differ[0]}${spatial}`;
    }
    return undefined;
  }
  if (size(g) === size(e)) return "the same elements in another shape (a reshape too many, or one missing?)";
  return g.length < e.length
    ? "an axis is missing (summed or flattened away?)"
    : "an extra axis (a sum over it missing?)";
}

/** `t` with its last two axes swapped. */
function transposeLast(t: TensorValue): TensorValue {
  const s = t.shape;
  const [r, c] = s.slice(-2);
  const out = new Float64Array(t.data.length);
  const block = r * c;
  for (let b = 0; b < t.data.length / block; b++) {
    for (let i = 0; i < r; i++) {
      for (let k = 0; k < c; k++) out[b * block + k * r + i] = t.data[b * block + i * c + k];
    }
  }
  return tensor([...s.slice(0, -2), c, r], out);
}

// ------------------------------------------------------------------ values

function nonFinite(ev: Evidence): Finding | undefined {
  const bad: number[] = [];
  ev.got.data.forEach((g, i) => {
    if (!Number.isFinite(g) && Number.isFinite(ev.expected.data[i])) bad.push(i);
  });
  if (!bad.length) return undefined;
  const kinds = [...new Set(bad.map((i) => `${ev.got.data[i]}`))].join(" and ");
  const i = bad[0];
  const at = ev.expected.shape.length ? ` at ${shapeText(indexOf(ev.expected.shape, i))}` : "";
  const count = ev.got.data.length > 1 ? ` (${bad.length} of ${ev.got.data.length} elements)` : "";
  const x = ev.aligned && sameShape(ev.aligned.shape, ev.got.shape) ? ev.aligned.data[i] : undefined;
  const where = x === undefined ? "" : `, where the input is ${fmt(x)}`;
  const why = x !== undefined && x >= 20
    ? "an overflow (exp of a large number)?"
    : x !== undefined && x <= -20
    ? "an underflow (exp of a very negative number is 0, then 0/0 or log 0)?"
    : x === 0
    ? "a log or a division at 0?"
    : kinds === "NaN"
    ? "0/0, ∞ − ∞, or the root or log of a negative number?"
    : "an overflow, or a division by 0?";
  return { id: PATTERNS.nonFinite, says: `${kinds}${at}${count}${where}: ${why}` };
}

function zeros(ev: Evidence): Finding | undefined {
  if (!ev.got.data.every((x) => x === 0) || ev.expected.data.every((x) => x === 0)) return undefined;
  return { id: PATTERNS.zeros, says: `${ev.what} is all zeros` };
}

function uniform(ev: Evidence): Finding | undefined {
  const g = ev.got.data;
  if (
    g.length < 2 || !g.every((x) => x === g[0]) || ev.expected.data.every((x) => x === ev.expected.data[0])
  ) {
    return undefined;
  }
  return {
    id: PATTERNS.uniform,
    says: `every element of ${ev.what} is the same number (${
      fmt(g[0])
    }): a sum over every axis, broadcast back?`,
  };
}

function equalsRelated(ev: Evidence): Finding | undefined {
  for (const r of ev.related ?? []) {
    if (!sameShape(r.value.shape, ev.got.shape)) continue;
    if (tells(ev.got, r.value, ev.expected)) {
      return { id: PATTERNS.equals, says: `${ev.what} equals ${r.name}` };
    }
    if (tells(ev.got, scaledBy(r.value, -1), ev.expected)) {
      return { id: PATTERNS.equals, says: `${ev.what} equals −(${r.name})` };
    }
  }
  return undefined;
}

function factor(ev: Evidence): Finding | undefined {
  const c = constantFactor(ev.got, ev.expected);
  if (c === undefined) return undefined;
  const f = factorText(c, ev.constants ?? []);
  // Any two numbers differ by some factor: for a single number only a named one (or the sign) says something.
  return ev.got.data.length === 1 && f.says.includes("constant factor") ? undefined : f;
}

function transposed(ev: Evidence): Finding | undefined {
  const s = ev.got.shape;
  if (s.length < 2 || s.at(-1) !== s.at(-2) || s.at(-1)! < 2) return undefined;
  const t = transposeLast(ev.expected);
  if (!tells(ev.got, t, ev.expected)) return undefined;
  return {
    id: PATTERNS.transposed,
    says: s.length === 2
      ? `${ev.what} is transposed`
      : `${ev.what} has its last two axes swapped (transposed)`,
  };
}

/** The same evidence restricted to the flat indices `at`. */
function restricted(ev: Evidence, at: readonly number[]): Evidence {
  return {
    what: ev.what,
    got: pick(ev.got, at),
    expected: pick(ev.expected, at),
    related: (ev.related ?? []).filter((r) => sameShape(r.value.shape, ev.got.shape)).map((r): Related => ({
      name: r.name,
      value: pick(r.value, at),
    })),
    constants: ev.constants,
    ...(ev.aligned && sameShape(ev.aligned.shape, ev.got.shape) ? { aligned: pick(ev.aligned, at) } : {}),
    ...(ev.elementwise ? { elementwise: true } : {}),
  };
}

/** How a part of a result is wrong, in a few words (for region and sample findings). */
function partly(ev: Evidence): string | undefined {
  const f = nonFinite(ev) ?? zeros(ev) ?? equalsRelated(ev) ?? factor(ev) ?? offset(ev);
  if (!f) return undefined;
  return f.id === PATTERNS.zeros ? "all zeros" : f.says.replace(`${ev.what} `, "");
}

function region(ev: Evidence): Finding | undefined {
  const x = ev.aligned;
  if (!ev.elementwise || !x || !sameShape(x.shape, ev.got.shape)) return undefined;
  const bad = wrongAt(ev.got, ev.expected);
  if (!bad.length) return undefined;
  const regions: [string, (v: number) => boolean][] = [
    ["exactly 0", (v) => v === 0],
    ["large (|x| ≥ 20)", (v) => Math.abs(v) >= 20],
    ["negative", (v) => v < 0],
    ["positive", (v) => v > 0],
    ["≤ 0", (v) => v <= 0],
  ];
  for (const [name, inside] of regions) {
    const all = [...x.data.keys()].filter((i) => inside(x.data[i]));
    if (all.length === 0 || all.length === x.data.length) continue;
    if (!bad.every((i) => inside(x.data[i]))) continue;
    const sub = partly(restricted(ev, all));
    return {
      id: PATTERNS.region,
      says: `${ev.what} is wrong only where the input is ${name}${sub ? `: there, ${sub}` : ""}`,
    };
  }
  return undefined;
}

function samples(ev: Evidence): Finding | undefined {
  const s = ev.got.shape;
  if (s.length < 2 || s[0] < 2) return undefined;
  const n = s[0];
  const size = ev.got.data.length / n;
  const bad = new Set(wrongAt(ev.got, ev.expected).map((i) => Math.floor(i / size)));
  if (bad.size === 0 || bad.size === n) return undefined;
  const wrong = [...bad].sort((a, b) => a - b);
  const at = wrong.flatMap((b) => Array.from({ length: size }, (_, k) => b * size + k));
  const sub = partly(restricted(ev, at));
  const list = wrong.length > 4 ? `${wrong.slice(0, 4).join(", ")}, …` : wrong.join(" and ");
  const which = wrong.length === n - 1 && !bad.has(0)
    ? `right for sample 0 only (the first along axis 0), wrong for the other ${n - 1}`
    : `wrong only for sample${wrong.length > 1 ? "s" : ""} ${list} of ${n} (axis 0)`;
  return { id: PATTERNS.samples, says: `${which}${sub ? `: there, ${sub}` : ""}` };
}

function masked(ev: Evidence): Finding | undefined {
  const bad = wrongAt(ev.got, ev.expected);
  const zeroed = bad.filter((i) => ev.got.data[i] === 0);
  const kept = [...ev.got.data.keys()].filter((i) => ev.got.data[i] !== 0);
  if (!zeroed.length || !kept.length) return undefined;
  const n = ev.got.data.length;
  const count = `${zeroed.length} of ${n} elements are 0 where they should not be`;
  if (zeroed.length === bad.length) {
    return { id: PATTERNS.masked, says: `${count} (a mask, or skipped elements?)` };
  }
  const rest = restricted(ev, kept);
  const c = constantFactor(rest.got, rest.expected);
  if (c === undefined) return undefined;
  return {
    id: PATTERNS.masked,
    says: `${count}, and the rest ${factorText(c, ev.constants ?? []).says}: a mask still applied?`,
  };
}

/** Rows (along axis 0) and, for a 2-D value, columns: flat indices of each group. */
function groups(t: TensorValue): { name: string; of: number[][] }[] {
  const s = t.shape;
  const out: { name: string; of: number[][] }[] = [];
  if (s.length >= 2 && s[0] >= 2) {
    const size = t.data.length / s[0];
    out.push({
      name: s.length === 2 ? "row" : "sample",
      of: Array.from({ length: s[0] }, (_, r) => Array.from({ length: size }, (_, k) => r * size + k)),
    });
  }
  if (s.length === 2 && s[1] >= 2 && s[0] >= 2) {
    out.push({
      name: "column",
      of: Array.from({ length: s[1] }, (_, c) => Array.from({ length: s[0] }, (_, r) => r * s[1] + c)),
    });
  }
  return out;
}

function offset(ev: Evidence): Finding | undefined {
  const d = ev.got.data.map((g, i) => g - ev.expected.data[i]);
  if (ev.got.data.length < 2 || !d.every(Number.isFinite) || d.every((x) => x === 0)) return undefined;
  // A shift far below the values' scale is a small term, said by near(): not a shift worth naming.
  const scale = Math.max(...ev.expected.data.map(Math.abs));
  if (!(Math.max(...d.map(Math.abs)) > 1e-3 * scale)) return undefined;
  const shifted = (value: (i: number) => number) =>
    matches(ev.got, tensor(ev.expected.shape, ev.expected.data.map((e, i) => e + value(i))));
  const mean = (at: readonly number[]) => at.reduce((a, i) => a + d[i], 0) / at.length;
  const all = mean([...d.keys()]);
  if (Math.abs(all) > 0 && shifted(() => all)) {
    return { id: PATTERNS.offset, says: `${ev.what} is off by a constant ${fmt(all)} everywhere` };
  }
  for (const g of groups(ev.got)) {
    const by = new Float64Array(d.length);
    for (const at of g.of) {
      const m = mean(at);
      for (const i of at) by[i] = m;
    }
    if (shifted((i) => by[i])) {
      return {
        id: PATTERNS.offset,
        says: `each ${g.name} is off by its own constant (a ${g.name}-wise term that should cancel${
          g.name === "column" ? "" : ", such as a row's max or log-sum-exp"
        }?)`,
      };
    }
  }
  return undefined;
}

function axisFactor(ev: Evidence): Finding | undefined {
  for (const g of groups(ev.got)) {
    const scale = new Float64Array(ev.got.data.length);
    const factors: number[] = [];
    for (const at of g.of) {
      const part = restricted(ev, at);
      let ge = 0;
      let ee = 0;
      part.got.data.forEach((x, k) => {
        ge += x * part.expected.data[k];
        ee += part.expected.data[k] ** 2;
      });
      const c = ee > 0 ? ge / ee : 1;
      factors.push(c);
      for (const i of at) scale[i] = c;
    }
    const spread = Math.max(...factors) - Math.min(...factors);
    if (!(spread > 1e-3)) continue;
    if (matches(ev.got, tensor(ev.expected.shape, ev.expected.data.map((e, i) => e * scale[i])))) {
      return {
        id: PATTERNS.axisFactor,
        says: `each ${g.name} is off by its own factor (${fmt(Math.min(...factors))} to ${
          fmt(Math.max(...factors))
        }): a ${g.name}-wise scale is wrong`,
      };
    }
  }
  return undefined;
}

function near(ev: Evidence): Finding | undefined {
  let worst = 0;
  let scale = 0;
  for (const e of ev.expected.data) scale = Math.max(scale, Math.abs(e));
  if (!(scale > 0)) return undefined;
  ev.got.data.forEach((g, i) => (worst = Math.max(worst, Math.abs(g - ev.expected.data[i]))));
  const rel = worst / scale;
  if (!(rel < 1e-2)) return undefined;
  const pct = rel * 100 >= 0.01 ? `${(rel * 100).toPrecision(2)}%` : `${fmt(rel)} of its scale`;
  return {
    id: PATTERNS.near,
    says:
      `${ev.what} is close but off by up to ${pct}: a small term (such as an epsilon) in the wrong place?`,
  };
}

/**
 * How `ev.got` differs from `ev.expected`, when a generic pattern says it;
 * undefined when none does (or when they do not differ).
 */
export function describeDifference(ev: Evidence): Finding | undefined {
  if (!sameShape(ev.got.shape, ev.expected.shape)) return shapeFinding(ev);
  return nonFinite(ev) ?? zeros(ev) ?? uniform(ev) ?? factor(ev) ?? equalsRelated(ev) ?? offset(ev) ??
    near(ev) ?? transposed(ev) ?? region(ev) ?? samples(ev) ?? masked(ev) ?? axisFactor(ev) ??
    reordered(ev, "");
}
