/**
 * What a lesson spec is made of. A spec (`grader/specs/<lesson>.ts`, plus
 * `grader/hidden/<lesson>.ts` for the hidden part) is data: **probes** say
 * which module to build, which seeded inputs to feed it and which results to
 * record; **checks** say how many points a recorded result is worth and what
 * it is compared with. One runner interprets every spec.
 *
 * Probes run in the sandboxed grader child on the student's code (and, to
 * make the fixtures, on the reference solutions). They only record values.
 * Checks run in the parent, which student code cannot reach: they compare
 * the student's recorded values with the reference's (from the fixtures) or
 * with the student's own central differences, and name the likely mistake.
 *
 * @module
 */

import { Tensor } from "../lib/tensor.ts";
import { seed as seedKit } from "../lib/random.ts";
import { NotImplementedError } from "../lib/module.ts";
import {
  defineProperty,
  F64,
  isArray,
  isFinite,
  isFloat64Array,
  isInteger,
  typedLength,
} from "./_pristine.ts";
import { Rng } from "./_rng.ts";

/** A recorded tensor: its shape and a private copy of its elements. */
export interface TensorValue {
  /** The shape, as the module reported it. */
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

/** A probe: runs the module under test and records values (in the child). */
export interface Probe {
  /** Stable id, unique within the lesson (fixtures are keyed by it). */
  readonly id: string;
  /** Part of the hidden spec (its fixtures live in `grader/hidden/fixtures/`). */
  readonly hidden?: boolean;
  /** Records values through `ctx.put`; any throw is caught and recorded. */
  run(ctx: ProbeContext): void;
}

/** Thrown by a probe when the student's code returned something unusable. */
export class ContractError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ContractError";
  }
}

/**
 * What a probe works with: the lesson's exports, the grader's own seeded
 * random stream, and `put` to record values. `step` names what is running,
 * for error messages.
 */
export class ProbeContext {
  /** The run's seed. */
  readonly seed: number;
  /** The grader's stream for this probe (independent of `lib/random.ts`). */
  readonly rng: Rng;
  /** The values recorded so far. */
  readonly values: Record<string, Value> = Object.create(null);
  /** What the probe is doing now (shown when the student's code throws). */
  step = "setting up";
  readonly #exports: Record<string, unknown>;

  constructor(exports: Record<string, unknown>, seed: number, probeId: string) {
    this.#exports = exports;
    this.seed = seed;
    this.rng = new Rng(seed, probeId);
  }

  /** Re-seeds `lib/random.ts` from the run's seed (before building a module). */
  seedKit(offset = 0): void {
    seedKit(this.seed + offset);
  }

  /** An exported class (or function) of the lesson; a clear error when missing. */
  // deno-lint-ignore no-explicit-any
  export(name: string): any {
    const v = this.#exports[name];
    if (typeof v !== "function") {
      throw new ContractError(`The lesson file does not export ${name} (found ${describe(v)})`);
    }
    return v;
  }

  /** A fresh tensor over a copy of `data`. */
  tensor(shape: readonly number[], data: Float64Array): Tensor {
    const copy = new F64(typedLength(data));
    for (let i = 0; i < copy.length; i++) copy[i] = data[i];
    return new Tensor(copy, [...shape]);
  }

  /** Records a value under `key` (a tensor is copied and validated). */
  put(key: string, value: unknown, what = key): void {
    const v = typeof value === "number" || typeof value === "boolean" || typeof value === "string"
      ? value
      : toTensorValue(value, what);
    defineProperty(this.values, key, { value: v, enumerable: true, writable: true, configurable: true });
  }

  /** Runs `fn` as step `step` (for error messages) and returns its result. */
  run<T>(step: string, fn: () => T): T {
    this.step = step;
    return fn();
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
      return isFinite(v) ? `${v}` : `${v}`;
    case "string":
      return `a string`;
    case "boolean":
      return `${v}`;
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
      const stack = safeString(readSafely(e, "stack"), "");
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

function safeString(v: unknown, fallback: string): string {
  return typeof v === "string" ? (v.length > 500 ? v.slice(0, 500) + "…" : v) : fallback;
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

// ----------------------------------------------------------------- checks

/** The outcome of one check. */
export type Verdict =
  | { readonly pass: true }
  | {
    readonly pass: false;
    /** What is wrong: tensor, index, got vs expected, the seed. */
    readonly message: string;
    /** The likely mistake, when a signature matched. */
    readonly diagnosis?: string;
    /** What to look at. */
    readonly hint?: string;
  };

/** What a check reads: the student's recorded values and the reference's. */
export interface Judge {
  /** The run's seed. */
  readonly seed: number;
  /** A value the student's code produced; throws {@linkcode Missing} when the probe stopped before it. */
  student(probe: string, key: string): Value;
  /** The reference's value for the same probe and key (from the fixtures). */
  reference(probe: string, key: string): Value;
  /** True when the student's probe recorded `key`. */
  has(probe: string, key: string): boolean;
}

/** Thrown by {@linkcode Judge.student} when the value was never recorded. */
export class Missing extends Error {
  /** Why: the probe's error, if it stopped on one. */
  readonly error?: ProbeError;
  constructor(probe: string, key: string, error?: ProbeError) {
    super(
      error ? `${error.step} threw ${error.name}: ${error.message}` : `no value ${key} from probe ${probe}`,
    );
    this.name = "Missing";
    this.error = error;
  }
}

/** A check: points for one recorded behaviour. */
export interface Check {
  /** Stable id, unique within the lesson (e.g. `forward.batch1`). */
  readonly id: string;
  /** What it checks, in words (shown to the student). */
  readonly name: string;
  /** What it is worth. */
  readonly points: number;
  /** Hidden checks live in `grader/hidden/` and are dropped from a student release. */
  readonly hidden?: boolean;
  /** Decides the verdict, in the parent. */
  judge(j: Judge): Verdict;
}

/** A lesson's spec: its probes and its checks. */
export interface LessonSpec {
  /** The lesson name (`linear`). */
  readonly lesson: string;
  /** What to run. */
  readonly probes: readonly Probe[];
  /** What it is worth. */
  readonly checks: readonly Check[];
}
