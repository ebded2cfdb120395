/**
 * What a lesson spec is made of (parent side). A spec
 * (`grader/specs/<lesson>.ts`, plus `grader/hidden/<lesson>.ts` for the
 * hidden part) is data: **probes** say, for a seed, which inputs to draw and
 * which probe kind runs them (a {@linkcode ProbePlan}); **checks** say what a
 * recorded result is worth and what it is compared with.
 *
 * Every check is judged here, in the parent, from three sources the
 * {@linkcode Judge} gives it: the plan the parent drew, the reference values
 * (fixtures or `solutions/` in a trusted process), and the values the
 * sandboxed child reported, which are claims of untrusted code. A check that
 * compares the student with the reference on fresh inputs is **anchored**; a
 * check that compares the student only with the student (central differences
 * of their own forward, accumulation, the contract) can be satisfied by
 * self-consistent nonsense, so it names a **gate**: anchored checks that must
 * pass before it counts.
 *
 * @module
 */

import type { ProbePlan, Setting } from "./probes/plan.ts";
import type { ProbeError, TensorValue, Value } from "./probes/values.ts";

export type { ProbeError, ProbeOutcome, TensorValue, Value } from "./probes/values.ts";
export { isTensorValue } from "./probes/values.ts";

/** A probe of a spec: its id and how to draw its plan for a seed. */
export interface ProbeSpec {
  /** Stable id, unique within the lesson. */
  readonly id: string;
  /** Part of the hidden spec (run in a child of its own, never shown before publication). */
  readonly hidden?: boolean;
  /**
   * The plan at `seed`: every input drawn by the parent from a `Rng` labelled
   * with `id` (default: the probe's id; a hidden part that reuses a builder
   * renames its probes, and so draws other inputs).
   */
  plan(seed: number, id?: string): ProbePlan;
}

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

/** What a check reads. */
export interface Judge {
  /** The run's seed. */
  readonly seed: number;
  /** A value the student's code reported (or the parent derived from it); throws {@linkcode Missing}. */
  student(probe: string, key: string): Value;
  /** The reference's value for the same probe and key. */
  reference(probe: string, key: string): Value;
  /** An input of the plan the parent drew (`input`, `gradOutput`, `param.0`, …). */
  plan(probe: string, key: string): Value;
  /** A setting of the plan (`markers`, `args`, …). */
  planSetting(probe: string, key: string): Setting;
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
  /** True when it compares the student with the reference or the plan (values the child cannot know unless it computes them). */
  readonly anchored?: boolean;
  /** Ids of anchored checks that must pass before this one counts (required when not anchored). */
  readonly gate?: readonly string[];
  /** Decides the verdict, in the parent. */
  judge(j: Judge): Verdict;
}

/** A lesson's spec: its probes and its checks. */
export interface LessonSpec {
  /** The lesson name (`linear`). */
  readonly lesson: string;
  /** What to run. */
  readonly probes: readonly ProbeSpec[];
  /** What it is worth. */
  readonly checks: readonly Check[];
}

/** A tensor value (a helper for plans). */
export function tensorValue(shape: readonly number[], data: Float64Array): TensorValue {
  return { shape: [...shape], data };
}
