/**
 * What a probe records and how it copies the student's results: a recorded
 * value is a tensor (its shape and a private copy of its elements), a number,
 * a boolean or a string. Values are **claims** of the code under test: the
 * parent judges them and never trusts a value because of where it came from.
 *
 * This module runs inside the sandbox (and, on trusted code, in the
 * reference process and the notebook check).
 *
 * @module
 */

import { Tensor } from "../../lib/tensor.ts";
import { NotImplementedError } from "../../lib/module.ts";
import { defineProperty, F64, isArray, isFloat64Array, isInteger, typedLength } from "./_pristine.ts";

/** A recorded tensor: its shape and a private copy of its elements. */
export interface TensorValue {
  /** The shape. */
  readonly shape: number[];
  /** The elements, row-major (a copy: later changes by the module do not show). */
  readonly data: Float64Array;
}

/** A recorded result. */
export type Value = TensorValue | number | boolean | string;

/** True when `v` is a recorded tensor. */
export function isTensorValue(v: unknown): v is TensorValue {
  return typeof v === "object" && v !== null && "data" in v && "shape" in v;
}

/** Why a probe stopped early: the student's code threw (or a stub is not written yet). */
export interface ProbeError {
  /** `not-implemented` for a `NotImplementedError` (the lesson reads as not started). */
  readonly kind: "not-implemented" | "error";
  /** What the probe was doing, e.g. `Linear.backward` or `new Linear(3, 4)`. */
  readonly step: string;
  /** The error's name, or a description of the odd value thrown. */
  readonly name: string;
  /** The error's message. */
  readonly message: string;
  /** Where in the student's file it was thrown (`linear.ts:42`), when known. */
  readonly where?: string;
}

/** Everything one probe recorded, and the error that stopped it, if any. */
export interface ProbeOutcome {
  /** Recorded values by key. */
  readonly values: Record<string, Value>;
  /** Set when the probe did not run to its end. */
  readonly error?: ProbeError;
}

/** Thrown by a probe when the student's code returned something unusable. */
export class ContractError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ContractError";
  }
}

/**
 * Copies a student's tensor into a {@linkcode TensorValue}, without trusting
 * it: the shape must be an array of non-negative integers and `data` a real
 * `Float64Array` of matching length.
 */
export function toTensorValue(x: unknown, what: string): TensorValue {
  if (!(x instanceof Tensor) && (typeof x !== "object" || x === null)) {
    throw new ContractError(`${what} should be a Tensor, got ${describe(x)}`);
  }
  const t = x as { shape: unknown; data: unknown };
  const shape = t.shape;
  const data = t.data;
  if (!isArray(shape) && !(typeof shape === "object" && shape !== null)) {
    throw new ContractError(`${what} should be a Tensor, got ${describe(x)} (no shape)`);
  }
  if (!isFloat64Array(data)) {
    throw new ContractError(`${what} should be a Tensor, got ${describe(x)} (no Float64Array data)`);
  }
  const dims: number[] = [];
  const rank = (shape as { length: unknown }).length;
  if (typeof rank !== "number" || !isInteger(rank) || rank < 0 || rank > 8) {
    throw new ContractError(`${what} has an invalid shape`);
  }
  let size = 1;
  for (let i = 0; i < rank; i++) {
    const d = (shape as Record<number, unknown>)[i];
    if (typeof d !== "number" || !isInteger(d) || d < 0) {
      throw new ContractError(`${what} has an invalid shape`);
    }
    defineProperty(dims, i, { value: d, enumerable: true, writable: true, configurable: true });
    size *= d;
  }
  const n = typedLength(data);
  if (n !== size) throw new ContractError(`${what} has shape [${dims}] but ${n} elements`);
  const copy = new F64(n);
  for (let i = 0; i < n; i++) copy[i] = data[i];
  return { shape: dims, data: copy };
}

/** A short, safe description of any value (never runs the value's own code). */
export function describe(v: unknown): string {
  if (v === null) return "null";
  switch (typeof v) {
    case "undefined":
      return "undefined";
    case "number":
    case "boolean":
      return `${v}`;
    case "string":
      return `a string`;
    case "function":
      return "a function";
    case "object":
      return v instanceof Tensor ? "a Tensor" : isArray(v) ? "an array" : "an object";
    default:
      return `a ${typeof v}`;
  }
}

/** Turns anything thrown into a {@linkcode ProbeError}, without trusting it. */
export function describeThrown(e: unknown, step: string, lessonFile: string): ProbeError {
  try {
    if (e instanceof NotImplementedError) {
      const task = (e as { task: unknown }).task;
      return {
        kind: "not-implemented",
        step,
        name: "NotImplementedError",
        message: typeof task === "string" ? `${task} is not implemented yet` : "not implemented yet",
      };
    }
    if (e instanceof Error) {
      // Each property on its own: a stack getter that throws must not hide the message.
      const name = safeString(readSafely(e, "name"), "Error");
      const message = safeString(readSafely(e, "message"), "");
      const stack = safeString(readSafely(e, "stack"), "", 5000);
      return { kind: "error", step, name, message, where: whereIn(stack, lessonFile) };
    }
    return { kind: "error", step, name: "a non-Error value", message: `threw ${describe(e)}` };
  } catch {
    return { kind: "error", step, name: "an odd value", message: "threw a value whose properties throw" };
  }
}

function readSafely(e: Error, key: "name" | "message" | "stack"): unknown {
  try {
    return (e as unknown as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

function safeString(v: unknown, fallback: string, max = 500): string {
  return typeof v === "string" ? (v.length > max ? v.slice(0, max) + "…" : v) : fallback;
}

function whereIn(stack: string, lessonFile: string): string | undefined {
  const base = lessonFile.slice(lessonFile.lastIndexOf("/") + 1);
  for (const line of stack.split("\n")) {
    const at = line.indexOf(base + ":");
    if (at >= 0 && line.indexOf(lessonFile) >= 0) {
      const m = /:(\d+):\d+\)?\s*$/.exec(line);
      if (m) return `${base}:${m[1]}`;
    }
  }
  return undefined;
}

/** `shape`'s element count. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
