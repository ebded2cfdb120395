/**
 * What a probe interpreter works with: the lesson's exports, its plan (the
 * parent's inputs and settings) and `put` to record values. `step` names what
 * is running, for error messages.
 *
 * @module
 */

import { Tensor } from "../../lib/tensor.ts";
import { seed as seedKit } from "../../lib/random.ts";
import { defineProperty, F64, typedLength } from "./_pristine.ts";
import type { ProbePlan, Purpose, Setting } from "./plan.ts";
import {
  ContractError,
  describe,
  isTensorValue,
  type TensorValue,
  toTensorValue,
  type Value,
} from "./values.ts";

/** The state of one probe run. */
export class ProbeContext {
  /** The values recorded so far. */
  readonly values: Record<string, Value> = Object.create(null);
  /** What the probe is doing now (shown when the student's code throws). */
  step = "setting up";
  /** The plan being run. */
  readonly plan: ProbePlan;
  /** What the run is for. */
  readonly purpose: Purpose;
  readonly #exports: Record<string, unknown>;

  constructor(exports: Record<string, unknown>, plan: ProbePlan, purpose: Purpose) {
    this.#exports = exports;
    this.plan = plan;
    this.purpose = purpose;
  }

  /** True when grading (not making reference values): run the self-consistency probes too. */
  get grading(): boolean {
    return this.purpose === "grade";
  }

  /** Seeds `lib/random.ts` from the plan (before building a module). */
  seedKit(): void {
    seedKit(this.plan.kitSeed);
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

  /** A setting of the plan. */
  setting<T extends Setting>(key: string): T {
    return this.plan.settings[key] as T;
  }

  /** The plan's input `key` as a tensor value (throws when it is not one). */
  input(key: string): TensorValue {
    const v = this.plan.inputs[key];
    if (!isTensorValue(v)) throw new TypeError(`The plan has no tensor input "${key}"`);
    return v;
  }

  /** A fresh tensor over a copy of input `key`, optionally with another shape of the same size. */
  tensor(key: string, shape?: readonly number[]): Tensor {
    const v = this.input(key);
    return new Tensor(copyOf(v.data), [...(shape ?? v.shape)]);
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

/** A copy of a typed array, read with the original getters. */
export function copyOf(data: Float64Array): Float64Array {
  const n = typedLength(data);
  const out = new F64(n);
  for (let i = 0; i < n; i++) out[i] = data[i];
  return out;
}
