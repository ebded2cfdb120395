/**
 * How checks compare (parent side): tolerances suited to float64, messages
 * that name the tensor, the worst index, got vs expected and the seed, and
 * diagnosis by signatures of classic mistakes.
 *
 * @module
 */

import {
  type Check,
  type CheckAbout,
  type Evidence,
  type EvidenceContext,
  isTensorValue,
  type Judge,
  type TensorValue,
  type Value,
  type Verdict,
} from "../spec.ts";

/**
 * `|got − expected| ≤ rtol·|expected| + atol·scale`, scale = max(max|expected|, 1e-4)
 * (or scale = 1 when `absolute`).
 */
export interface Tolerance {
  /** Relative to the element. */
  readonly rtol: number;
  /** Relative to the largest expected magnitude (an absolute floor). */
  readonly atol: number;
  /**
   * `atol` is absolute, not scaled: for tensors whose elements span many
   * orders of magnitude, where a floor set by the largest would wave the
   * small ones through.
   */
  readonly absolute?: boolean;
}

/**
 * For a loss (one number, a sum of a few hundred terms at most): any correct
 * formula agrees to about 1e-14, and a tight tolerance keeps a number copied
 * from another seed from matching by chance.
 */
export const SCALAR_TOL: Tolerance = { rtol: 1e-10, atol: 1e-12, absolute: true };

/** For results that mix huge and ordinary magnitudes (1/EPS beside 1/p): each element on its own. */
export const ELEMENTWISE_TOL: Tolerance = { rtol: 1e-6, atol: 1e-12, absolute: true };

/** Against the reference: same maths, only rounding differs. */
export const REFERENCE_TOL: Tolerance = { rtol: 1e-6, atol: 1e-8 };
/** Against central differences (step 1e-6): truncation and rounding error. */
export const NUMERIC_TOL: Tolerance = { rtol: 1e-5, atol: 1e-5 };
/** How close a result must be to a mistake's signature to name the mistake. */
export const SIGNATURE_TOL: Tolerance = { rtol: 1e-4, atol: 1e-5 };

/** A classic mistake: what the result would be had the student made it. */
export interface Mistake {
  /** Completes "looks like …", e.g. "gradW was overwritten, not accumulated". */
  readonly says: string;
  /** Its id in results and coverage (default `says`). */
  readonly id?: string;
  /** What to look at. */
  readonly hint?: string;
  /**
   * The mistaken result, computed in the parent from the plan, the reference
   * (or the student's other values), undefined when it does not apply; a list
   * when the mistake comes in variants (any one matching names it).
   */
  readonly value: (j: Judge) => Value | readonly Value[] | undefined;
}

/** A mistake's id. */
export function mistakeId(m: Mistake): string {
  return m.id ?? m.says;
}

/** Formats a number for a message: 4 significant digits, exponent when tiny or huge. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return `${x}`;
  if (x === 0) return "0";
  const a = Math.abs(x);
  return a >= 1e-3 && a < 1e5 ? x.toPrecision(4) : x.toExponential(3);
}

/** A shape or an index as a message shows it: `[2, 3]`. */
export function shapeText(s: readonly number[]): string {
  return `[${s.join(", ")}]`;
}

/** The index of flat element `flat` of a tensor of `shape`. */
export function indexOf(shape: readonly number[], flat: number): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = flat % shape[d];
    flat = Math.floor(flat / shape[d]);
  }
  return idx;
}

/** A number as a 0-d tensor value, so one comparison serves both. */
export function asTensor(v: Value, what: string): TensorValue {
  if (typeof v === "number") return { shape: [], data: new Float64Array([v]) };
  if (isTensorValue(v)) return v;
  throw new TypeError(`${what}: expected a tensor or a number, received ${typeof v}`);
}

/** The first element that is out of tolerance, or -1. */
export function worstIndex(got: TensorValue, expected: TensorValue, tol: Tolerance): number {
  let scale = tol.absolute ? 1 : 1e-4;
  if (!tol.absolute) { for (const e of expected.data) if (Math.abs(e) > scale) scale = Math.abs(e); }
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < expected.data.length; i++) {
    const g = got.data[i];
    const e = expected.data[i];
    if (Object.is(g, e) || g === e) continue;
    const err = Number.isFinite(g) && Number.isFinite(e) ? Math.abs(g - e) : Infinity;
    const allowed = tol.rtol * Math.abs(e) + tol.atol * scale;
    if (!Number.isFinite(err) || !(err <= allowed)) {
      const excess = Number.isFinite(err) ? err / allowed : Infinity;
      if (worst < 0 || excess > worstExcess) {
        worst = i;
        worstExcess = excess;
      }
    }
  }
  return worst;
}

/** True when `got` and `expected` have the same shape and all elements are within `tol`. */
export function close(got: TensorValue, expected: TensorValue, tol: Tolerance): boolean {
  return sameShape(got.shape, expected.shape) && worstIndex(got, expected, tol) < 0;
}

/** True when two shapes are equal. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * Compares `got` with `expected` and, when they differ, describes the worst
 * element: `gradW at [1, 3]: got 0.4210, expected 0.3977 (rel. error 2.9e-2, seed 7)`.
 */
export function compare(
  what: string,
  got: TensorValue,
  expected: TensorValue,
  tol: Tolerance,
  seed: number,
): string | undefined {
  if (!sameShape(got.shape, expected.shape)) {
    return `${what} has shape ${shapeText(got.shape)}, expected ${shapeText(expected.shape)} (seed ${seed})`;
  }
  const i = worstIndex(got, expected, tol);
  if (i < 0) return undefined;
  const g = got.data[i];
  const e = expected.data[i];
  const rel = Math.abs(g - e) / Math.max(Math.abs(e), Math.abs(g), 1e-300);
  const at = expected.shape.length === 0 ? "" : ` at ${shapeText(indexOf(expected.shape, i))}`;
  const relText = Number.isFinite(rel) ? rel.toExponential(1) : `${rel}`;
  return `${what}${at}: got ${fmt(g)}, expected ${fmt(e)} (rel. error ${relText}, seed ${seed})`;
}

/**
 * The first mistake whose signature `got` matches. A signature that is itself
 * indistinguishable from `expected` (the mistake makes no difference on this
 * input, e.g. a state reset at the first optimizer step) is never named.
 */
export function diagnose(
  j: Judge,
  got: TensorValue,
  mistakes: readonly Mistake[],
  expected?: TensorValue,
): Mistake | undefined {
  for (const m of mistakes) {
    let sigs: Value | readonly Value[] | undefined;
    try {
      sigs = m.value(j);
    } catch {
      continue;
    }
    for (const sig of Array.isArray(sigs) ? sigs : [sigs]) {
      if (sig === undefined || typeof sig === "string" || typeof sig === "boolean") continue;
      const s = asTensor(sig, m.says);
      if (expected && close(s, expected, SIGNATURE_TOL)) continue;
      if (close(got, s, SIGNATURE_TOL)) return m;
    }
  }
  return undefined;
}

/** Where a check reads a value: `[probe, key]` or a function of the judge. */
export type Source = readonly [string, string] | ((j: Judge) => Value);

function read(j: Judge, s: Source, side: "student" | "reference"): Value {
  return typeof s === "function"
    ? s(j)
    : side === "student"
    ? j.student(s[0], s[1])
    : j.reference(s[0], s[1]);
}

/** Options of {@linkcode tensorCheck}. */
export interface TensorCheckOptions {
  /** Stable id. */
  readonly id: string;
  /** Shown to the student. */
  readonly name: string;
  /** Worth. */
  readonly points: number;
  /** The tensor's name in messages (`gradW`). */
  readonly what: string;
  /** The student's value: `[probe, key]` or a function. */
  readonly got: Source;
  /** What it should be; default: the reference's value for the same `[probe, key]`. */
  readonly expected?: Source;
  /** Default {@linkcode REFERENCE_TOL}. */
  readonly tol?: Tolerance;
  /** Signatures to name when it fails. */
  readonly mistakes?: readonly Mistake[];
  /** Said when no mistake matches. */
  readonly hint?: string;
  /** Set when `expected` is a function of reference or plan values only (the default reference value is). */
  readonly anchored?: boolean;
  /** Anchored checks that must pass first, when `expected` reads the student's own values. */
  readonly gate?: readonly string[];
  /** What it is about, for the lesson-level diagnosis pass. */
  readonly about?: CheckAbout;
  /** What a diagnosis may relate a wrong result to (related tensors, sizes, rates, the aligned input). */
  readonly context?: (j: Judge) => EvidenceContext;
  /**
   * What the diagnosis pass looks at instead of the values compared (an
   * optimizer's step rather than the variable it moved); undefined to keep them.
   */
  readonly view?: (
    j: Judge,
    got: TensorValue,
    expected: TensorValue,
  ) => Omit<Evidence, keyof EvidenceContext> | undefined;
}

/** The evidence of a failing comparison: the values (or their view) and their context. */
function evidenceOf(o: TensorCheckOptions, j: Judge, got: TensorValue, expected: TensorValue): Evidence {
  const base = { what: o.what, got, expected };
  let view: Omit<Evidence, keyof EvidenceContext> | undefined;
  let context: EvidenceContext = {};
  try {
    view = o.view?.(j, got, expected);
  } catch { /* no view: the values themselves */ }
  try {
    context = o.context?.(j) ?? {};
  } catch { /* a context that cannot be computed adds nothing */ }
  return { ...(view ?? base), ...context };
}

/** A check that a recorded tensor (or number) matches what it should be. */
export function tensorCheck(o: TensorCheckOptions): Check {
  const mistakes = o.mistakes ?? [];
  return {
    id: o.id,
    name: o.name,
    points: o.points,
    ...((o.anchored ?? (o.expected === undefined && !o.gate?.length)) ? { anchored: true } : {}),
    ...(o.gate ? { gate: o.gate } : {}),
    ...(o.about ? { about: o.about } : {}),
    ...(o.context ? { context: o.context } : {}),
    ...(mistakes.length || o.about?.onError
      ? { signatures: [...mistakes.map(mistakeId), ...(o.about?.onError ? [o.about.onError] : [])] }
      : {}),
    judge(j: Judge): Verdict {
      const got = asTensor(read(j, o.got, "student"), o.what);
      const expectedSource = o.expected ?? (typeof o.got === "function" ? undefined : o.got);
      if (expectedSource === undefined) throw new TypeError(`Check ${o.id} has no expected value`);
      const expected = asTensor(read(j, expectedSource, "reference"), o.what);
      const message = compare(o.what, got, expected, o.tol ?? REFERENCE_TOL, j.seed);
      if (message === undefined) return { pass: true };
      const m = diagnose(j, got, mistakes, expected);
      return m
        ? { pass: false, message, diagnosis: m.says, signature: mistakeId(m), hint: m.hint ?? o.hint }
        : { pass: false, message, hint: o.hint, evidence: evidenceOf(o, j, got, expected) };
    },
  };
}

/**
 * A check decided by a predicate over recorded values: anchored (it reads the
 * plan or the reference) or gated. `signatures` lists the diagnoses its
 * verdicts can give (their text is their id).
 */
export function ruleCheck(o: {
  readonly id: string;
  readonly name: string;
  readonly points: number;
  readonly anchored?: boolean;
  readonly gate?: readonly string[];
  readonly about?: CheckAbout;
  readonly signatures?: readonly string[];
  readonly judge: (j: Judge) => Verdict;
}): Check {
  return {
    id: o.id,
    name: o.name,
    points: o.points,
    ...(o.anchored ? { anchored: true } : {}),
    ...(o.gate ? { gate: o.gate } : {}),
    ...(o.about ? { about: o.about } : {}),
    ...(o.signatures?.length || o.about?.onError
      ? { signatures: [...(o.signatures ?? []), ...(o.about?.onError ? [o.about.onError] : [])] }
      : {}),
    judge: o.judge,
  };
}

/** The verdicts builders. */
export const pass: Verdict = { pass: true };

/** A failing verdict. */
export function failWith(message: string, diagnosis?: string, hint?: string): Verdict {
  return { pass: false, message, ...(diagnosis ? { diagnosis } : {}), ...(hint ? { hint } : {}) };
}

/**
 * A failing verdict with what it compared: the diagnosis given, or else the
 * generic patterns' (the lesson-level pass reads the evidence).
 */
export function failShowing(message: string, evidence: Evidence, hint?: string, diagnosis?: string): Verdict {
  return { pass: false, message, evidence, ...(hint ? { hint } : {}), ...(diagnosis ? { diagnosis } : {}) };
}

// ------------------------------------------------ signature helpers (plain arrays)

/** `v` with every element mapped. */
export function mapValue(v: Value, f: (x: number, i: number) => number): TensorValue {
  const t = asTensor(v, "value");
  return { shape: [...t.shape], data: t.data.map(f) };
}

/** `v · c`. */
export function scaled(v: Value, c: number): TensorValue {
  return mapValue(v, (x) => x * c);
}

/** The transpose of a 2-D value. */
export function transposed(v: Value): TensorValue {
  const t = asTensor(v, "value");
  const [r, c] = t.shape;
  const data = new Float64Array(r * c);
  for (let i = 0; i < r; i++) for (let k = 0; k < c; k++) data[k * r + i] = t.data[i * c + k];
  return { shape: [c, r], data };
}

/** A value's reshaped view (same data). */
export function reshaped(v: Value, shape: number[]): TensorValue {
  return { shape, data: asTensor(v, "value").data };
}

/** The first dimension of a recorded tensor (the batch size). */
export function batchOf(v: Value): number {
  return asTensor(v, "value").shape[0];
}
