/**
 * A plan: what the grader asks the code under test to do, as plain data.
 * The parent builds it from a lesson's spec and a seed (it draws every
 * input); the sandboxed child, the trusted reference process and the
 * notebook check interpret it with the same probe code. A plan holds no
 * expected value and no verdict: the child learns only what it must compute.
 *
 * @module
 */

import type { Value } from "./values.ts";

/** The probe kinds (one interpreter each, in this folder). */
export type ProbeKind = "layer" | "criterion" | "optimizer" | "chain" | "deep" | "dropout" | "moving";

/** A setting: JSON data. */
export type Setting = number | string | boolean | null | readonly Setting[] | {
  readonly [k: string]: Setting;
};

/** One probe's plan. */
export interface ProbePlan {
  /** Stable id, unique within the lesson. */
  readonly id: string;
  /** Which interpreter runs it. */
  readonly kind: ProbeKind;
  /** Seeds `lib/random.ts` before the module is built (its initialisation, dropout masks). */
  readonly kitSeed: number;
  /** The kind's settings: class name, constructor arguments, flags. */
  readonly settings: { readonly [k: string]: Setting };
  /** The inputs the parent drew, by key (`input`, `gradOutput`, `param.0`, …). */
  readonly inputs: Readonly<Record<string, Value>>;
}

/**
 * What a run is for: `grade` runs everything (the student's code, in the
 * sandbox); `reference` skips what only judges the code against itself
 * (central differences, the contract's marker writes), which the reference
 * values never need.
 */
export type Purpose = "grade" | "reference";

/** A lesson's plan: the probes of one run. */
export interface LessonPlan {
  /** The lesson. */
  readonly lesson: string;
  /** What the run is for. */
  readonly purpose: Purpose;
  /** The probes, run in order. */
  readonly probes: readonly ProbePlan[];
}
