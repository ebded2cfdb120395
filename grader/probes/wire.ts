/**
 * The wire format between the grader and the processes it runs: plans go
 * in, probe outcomes come out, both as JSON text. A tensor travels as
 * `{"$t": shape, "$d": elements}`, a non-finite number as `{"$n": "NaN"}`
 * (also inside `$d`, as the strings `"NaN"`, `"Infinity"`, `"-Infinity"`).
 * Numbers are written in JavaScript's shortest round-trip form, so every
 * float64 arrives bit for bit (±0 aside: `-0` arrives as `0`).
 *
 * The encoder is hand-written over primitives (no `JSON.stringify` of
 * objects), so it does not depend on `toJSON` or prototype getters; the
 * decoder validates everything it reads. Neither makes what a child sends
 * trustworthy: it is a claim, judged by the parent.
 *
 * @module
 */

import { printable } from "./printable.ts";
import { F64, isArray, isFinite, ownKeys, stringifyPrimitive, typedLength } from "./_pristine.ts";
import type { LessonPlan, ProbePlan } from "./plan.ts";
import type { ProbeError, ProbeOutcome, TensorValue, Value } from "./values.ts";

/** Data the wire carries: JSON plus tensors and non-finite numbers. */
export type Tree = Value | null | readonly Tree[] | { readonly [k: string]: Tree };

function num(x: number): string {
  return isFinite(x) ? `${x}` : `"${x}"`;
}

function isTensor(v: object): v is TensorValue {
  return "data" in v && "shape" in v && v.data instanceof F64;
}

/** Encodes a tree as JSON text. */
export function encode(v: Tree): string {
  if (v === null) return "null";
  switch (typeof v) {
    case "number":
      return isFinite(v) ? `${v}` : `{"$n":"${v}"}`;
    case "boolean":
      return v ? "true" : "false";
    case "string":
      return stringifyPrimitive(`${v}`);
  }
  if (isArray(v)) {
    let out = "[";
    for (let i = 0; i < v.length; i++) out += (i ? "," : "") + encode(v[i]);
    return out + "]";
  }
  const o = v as Record<string, Tree>;
  if (isTensor(o)) {
    const t = o as unknown as TensorValue;
    let shape = "";
    for (let i = 0; i < t.shape.length; i++) shape += (i ? "," : "") + `${t.shape[i] | 0}`;
    const n = typedLength(t.data);
    const parts = new Array<string>(n);
    for (let i = 0; i < n; i++) parts[i] = num(t.data[i]);
    return `{"$t":[${shape}],"$d":[${parts.join(",")}]}`;
  }
  let out = "{";
  let first = true;
  for (const k of ownKeys(o)) {
    out += (first ? "" : ",") + `${stringifyPrimitive(k)}:${encode(o[k])}`;
    first = false;
  }
  return out + "}";
}

/** A malformed message. */
export class WireError extends TypeError {
  constructor(why: string) {
    super(`Malformed grader message: ${why}`);
    this.name = "WireError";
  }
}

function fail(why: string): never {
  throw new WireError(why);
}

function decodeNumber(x: unknown): number {
  if (typeof x === "number") return x;
  if (x === "NaN") return NaN;
  if (x === "Infinity") return Infinity;
  if (x === "-Infinity") return -Infinity;
  return fail(`expected a number, received ${typeof x}`);
}

function revive(x: unknown, depth = 0): Tree {
  if (depth > 32) fail("too deeply nested");
  if (x === null || typeof x === "number" || typeof x === "boolean" || typeof x === "string") return x;
  if (Array.isArray(x)) return x.map((e) => revive(e, depth + 1));
  const o = x as Record<string, unknown>;
  if ("$n" in o) return decodeNumber(o.$n);
  if ("$t" in o || "$d" in o) {
    if (!Array.isArray(o.$t) || !Array.isArray(o.$d)) fail("a tensor needs $t and $d arrays");
    const shape = (o.$t as unknown[]).map((d) =>
      typeof d === "number" && Number.isInteger(d) && d >= 0 ? d : fail("a bad shape")
    );
    if (shape.length > 8) fail("a tensor of rank above 8");
    const raw = o.$d as unknown[];
    if (shape.reduce((a, b) => a * b, 1) !== raw.length) fail("a tensor's shape and data disagree");
    const data = new Float64Array(raw.length);
    for (let i = 0; i < data.length; i++) data[i] = decodeNumber(raw[i]);
    return { shape, data };
  }
  // A null prototype: a key "__proto__" is an ordinary key here, never the object's prototype.
  const out: Record<string, Tree> = Object.create(null);
  for (const [k, v] of Object.entries(o)) out[k] = revive(v, depth + 1);
  return out;
}

/** Decodes JSON text into a tree; throws {@linkcode WireError} on anything malformed. */
export function decode(text: string): Tree {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    fail(`not JSON (${(e as Error).message.slice(0, 80)})`);
  }
  return revive(raw);
}

// --------------------------------------------------------------- plans

/** Encodes a lesson plan. */
export function encodePlan(plan: LessonPlan): string {
  return encode(plan as unknown as Tree);
}

/** Decodes a lesson plan (sent by the trusted parent; checked loosely). */
export function decodePlan(text: string): LessonPlan {
  const p = decode(text) as unknown as LessonPlan;
  if (typeof p !== "object" || p === null || typeof p.lesson !== "string" || !Array.isArray(p.probes)) {
    fail("not a lesson plan");
  }
  return p;
}

// ------------------------------------------------------------ outcomes

function isError(x: unknown): x is ProbeError {
  return typeof x === "object" && x !== null && "kind" in x && "step" in x;
}

/** Encodes outcomes by probe id. */
export function encodeOutcomes(outcomes: Record<string, ProbeOutcome>): string {
  const tree: Record<string, Tree> = {};
  for (const id of ownKeys(outcomes)) {
    const o = outcomes[id];
    const e = o.error;
    tree[id] = e
      ? {
        values: o.values,
        error: {
          kind: e.kind,
          step: e.step,
          name: e.name,
          message: e.message,
          ...(typeof e.where === "string" ? { where: e.where } : {}),
        },
      }
      : { values: o.values };
  }
  return encode(tree);
}

function decodeValue(x: Tree, where: string): Value {
  if (typeof x === "number" || typeof x === "boolean" || typeof x === "string") return x;
  if (typeof x === "object" && x !== null && !Array.isArray(x) && isTensor(x)) {
    return x as unknown as TensorValue;
  }
  return fail(`${where} is not a number, boolean, string or tensor`);
}

function decodeError(x: unknown, where: string): ProbeError {
  if (!isError(x)) fail(`${where} is not an error`);
  const o = x as unknown as Record<string, unknown>;
  const s = (
    k: string,
  ) => (typeof o[k] === "string" ? o[k] as string : fail(`${where}.${k} is not a string`));
  const kind = s("kind");
  if (kind !== "not-implemented" && kind !== "error") fail(`${where} has an unknown kind`);
  return {
    kind,
    step: printable(s("step").slice(0, 300)),
    name: printable(s("name").slice(0, 300)),
    message: printable(s("message").slice(0, 2000)),
    ...(typeof o.where === "string" ? { where: printable((o.where as string).slice(0, 300)) } : {}),
  };
}

/** The largest report a child may send (the reference's largest is about 2.3 MB). */
export const MAX_REPORT_BYTES = 16 << 20;
/** The most keys a report may hold (the reference's hold a few hundred). */
export const MAX_REPORT_KEYS = 50_000;

/**
 * Decodes and validates outcomes: only the probe ids given, each with a map
 * of values and an optional error. Throws {@linkcode WireError}, before
 * parsing when the text is larger or holds more keys than a report can.
 */
export function decodeOutcomes(text: string, probeIds: readonly string[]): Record<string, ProbeOutcome> {
  if (text.length > MAX_REPORT_BYTES) fail(`more than ${MAX_REPORT_BYTES} characters`);
  let keys = 0;
  for (let i = text.indexOf('":'); i >= 0; i = text.indexOf('":', i + 2)) {
    if (++keys > MAX_REPORT_KEYS) fail(`more than ${MAX_REPORT_KEYS} keys`);
  }
  const raw = decode(text);
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) fail("outcomes are not an object");
  const out: Record<string, ProbeOutcome> = Object.create(null);
  for (const [id, o] of Object.entries(raw as Record<string, Tree>)) {
    if (!probeIds.includes(id)) fail(`unknown probe ${id.slice(0, 60)}`);
    if (typeof o !== "object" || o === null || Array.isArray(o)) fail(`probe ${id} is not an object`);
    const rec = o as Record<string, Tree>;
    const vals = rec.values;
    if (typeof vals !== "object" || vals === null || Array.isArray(vals)) fail(`probe ${id} has no values`);
    const values: Record<string, Value> = Object.create(null);
    for (const [k, v] of Object.entries(vals as Record<string, Tree>)) {
      values[k] = decodeValue(v, `${id}/${k.slice(0, 60)}`);
    }
    out[id] = rec.error === undefined ? { values } : { values, error: decodeError(rec.error, `${id}.error`) };
  }
  return out;
}

/** `plan`'s probes, by id (for decoding a run's outcomes). */
export function probeIds(probes: readonly ProbePlan[]): string[] {
  return probes.map((p) => p.id);
}
