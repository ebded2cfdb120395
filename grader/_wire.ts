/**
 * The child → parent wire format of probe outcomes: JSON, written by hand
 * from primitives on the child side (no `JSON.stringify` of objects, so a
 * patched `toJSON` or prototype getter cannot change it), and validated
 * strictly on the parent side. Non-finite numbers travel as the strings
 * `"NaN"`, `"Infinity"` and `"-Infinity"`.
 *
 * @module
 */

import { F64, isFinite, ownKeys, stringifyPrimitive, typedLength } from "./_pristine.ts";
import type { ProbeError, ProbeOutcome, TensorValue, Value } from "./spec.ts";

function num(x: number): string {
  return isFinite(x) ? `${x}` : `"${x}"`;
}

function str(s: string): string {
  return stringifyPrimitive(`${s}`);
}

function encodeValue(v: Value): string {
  if (typeof v === "number") return `{"n":${num(v)}}`;
  if (typeof v === "boolean") return `{"b":${v ? "true" : "false"}}`;
  if (typeof v === "string") return `{"s":${str(v)}}`;
  let shape = "";
  for (let i = 0; i < v.shape.length; i++) shape += (i ? "," : "") + `${v.shape[i] | 0}`;
  let data = "";
  const n = typedLength(v.data);
  for (let i = 0; i < n; i++) data += (i ? "," : "") + num(v.data[i]);
  return `{"t":[${shape}],"d":[${data}]}`;
}

function encodeError(e: ProbeError): string {
  let out = `{"kind":${str(e.kind)},"step":${str(e.step)},"name":${str(e.name)},"message":${str(e.message)}`;
  if (typeof e.where === "string") out += `,"where":${str(e.where)}`;
  return out + "}";
}

/** Encodes outcomes by probe id (child side). */
export function encodeOutcomes(outcomes: Record<string, ProbeOutcome>): string {
  let out = "{";
  let first = true;
  for (const id of ownKeys(outcomes)) {
    const o = outcomes[id];
    let values = "";
    let firstValue = true;
    for (const key of ownKeys(o.values)) {
      values += (firstValue ? "" : ",") + `${str(key)}:${encodeValue(o.values[key])}`;
      firstValue = false;
    }
    out += (first ? "" : ",") + `${str(id)}:{"values":{${values}}` +
      (o.error ? `,"error":${encodeError(o.error)}` : "") + "}";
    first = false;
  }
  return out + "}";
}

function fail(why: string): never {
  throw new TypeError(`Malformed grader report: ${why}`);
}

function decodeNumber(x: unknown): number {
  if (typeof x === "number") return x;
  if (x === "NaN") return NaN;
  if (x === "Infinity") return Infinity;
  if (x === "-Infinity") return -Infinity;
  return fail(`expected a number, received ${typeof x}`);
}

function decodeValue(x: unknown): Value {
  if (typeof x !== "object" || x === null) fail("value is not an object");
  const o = x as Record<string, unknown>;
  if ("n" in o) return decodeNumber(o.n);
  if ("b" in o && typeof o.b === "boolean") return o.b;
  if ("s" in o && typeof o.s === "string") return o.s;
  if (Array.isArray(o.t) && Array.isArray(o.d)) {
    const shape = o.t.map((d) => (Number.isInteger(d) && d >= 0 ? d as number : fail("bad shape")));
    const data = new F64(o.d.length);
    for (let i = 0; i < data.length; i++) data[i] = decodeNumber(o.d[i]);
    if (shape.reduce((a, b) => a * b, 1) !== data.length) fail("shape and data disagree");
    return { shape, data } satisfies TensorValue;
  }
  return fail("unknown value kind");
}

function decodeError(x: unknown): ProbeError {
  const o = x as Record<string, unknown>;
  if (typeof o !== "object" || o === null) fail("error is not an object");
  const s = (k: string) => (typeof o[k] === "string" ? o[k] as string : fail(`error.${k} is not a string`));
  const kind = s("kind");
  if (kind !== "not-implemented" && kind !== "error") fail("unknown error kind");
  return {
    kind,
    step: s("step"),
    name: s("name"),
    message: s("message"),
    ...(typeof o.where === "string" ? { where: o.where } : {}),
  };
}

/** Decodes and validates outcomes (parent side); throws a `TypeError` on anything malformed. */
export function decodeOutcomes(text: string, probeIds: readonly string[]): Record<string, ProbeOutcome> {
  const raw = JSON.parse(text) as unknown;
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) fail("not an object");
  const out: Record<string, ProbeOutcome> = {};
  for (const [id, o] of Object.entries(raw as Record<string, unknown>)) {
    if (!probeIds.includes(id)) fail(`unknown probe ${id}`);
    if (typeof o !== "object" || o === null) fail(`probe ${id} is not an object`);
    const rec = o as Record<string, unknown>;
    if (typeof rec.values !== "object" || rec.values === null) fail(`probe ${id} has no values`);
    const values: Record<string, Value> = {};
    for (const [k, v] of Object.entries(rec.values as Record<string, unknown>)) values[k] = decodeValue(v);
    out[id] = rec.error === undefined ? { values } : { values, error: decodeError(rec.error) };
  }
  return out;
}
