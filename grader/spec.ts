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

/** A tensor of a probe that a wrong result might equal by mistake (`gradOutput`, `the input`). */
export interface Related {
  /** In words, as it reads after "equals" (`gradOutput`, `the input`). */
  readonly name: string;
  /** Its value (from the plan, the reference or the student's own results). */
  readonly value: TensorValue;
}

/** A number of a probe that a wrong factor might be (N, the batch size). */
export interface NamedConstant {
  /** The number. */
  readonly value: number;
  /** Its symbol (`N`, `1 − p`, `learningRate`). */
  readonly symbol: string;
  /** What it is (`the batch size`), when the symbol does not say. */
  readonly meaning?: string;
}

/**
 * What a failing comparison compared, kept (in the parent, never reported)
 * for the diagnosis pass (`judge/explain.ts`): the student's value, the
 * expected one, and what else of the probe the difference could be related to.
 */
export interface Evidence {
  /** The result in words (`gradInput`, `loss`, `the step of variable 2`). */
  readonly what: string;
  /** The student's value. */
  readonly got: TensorValue;
  /** What it should be. */
  readonly expected: TensorValue;
  /** Tensors of the probe the result could wrongly equal. */
  readonly related?: readonly Related[];
  /** Numbers of the probe a wrong factor could be (sizes, rates, constants of the lesson). */
  readonly constants?: readonly NamedConstant[];
  /** The input, when its elements line up with the result's (gradInput, elementwise layers). */
  readonly aligned?: TensorValue;
  /** Each element of the result depends only on the aligned input's element (ReLU, ELU): a region of inputs can explain an error. */
  readonly elementwise?: boolean;
}

/** What a diagnosis may relate a check's result to, besides the result itself. */
export type EvidenceContext = Pick<Evidence, "related" | "constants" | "aligned" | "elementwise">;

/** The outcome of one check. */
export type Verdict =
  | { readonly pass: true }
  | {
    readonly pass: false;
    /** What is wrong: tensor, index, got vs expected, the seed. */
    readonly message: string;
    /** The likely mistake, when a signature matched. */
    readonly diagnosis?: string;
    /** Which signature named it: a mistake's id, or a generic pattern's (`pattern:…`); default the diagnosis. */
    readonly signature?: string;
    /** What to look at. */
    readonly hint?: string;
    /** What was compared, for the diagnosis pass when no signature matched. */
    readonly evidence?: Evidence;
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

/**
 * What a check is about, for the lesson-level diagnosis pass: checks of the
 * same `result` compared the same way on different cases can tell where a
 * mistake shows (a batch of 1 or larger ones, training or evaluation mode, a
 * step of a trajectory).
 */
export interface CheckAbout {
  /** The result compared (`output`, `gradInput`, `gradW`, `loss`, `variable`, `movingMean`). */
  readonly result: string;
  /** With the reference (or the plan), with central differences of the student's own code, or a contract point. */
  readonly against: "reference" | "numeric" | "contract";
  /** The probe whose values it reads. */
  readonly probe?: string;
  /** Its case in words (`a batch of 1`). */
  readonly label?: string;
  /**
   * Traits of its case that may tell where a mistake shows: `batch` and
   * `step` (numbers), or phrases (`kernel: "a 5×5 kernel"`, `mode: "evaluation mode"`).
   */
  readonly traits?: Readonly<Record<string, string | number>>;
  /** What an error that stops its probe most likely means, when the check knows (also one of its `signatures`). */
  readonly onError?: string;
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
  /** What it is about, for the diagnosis pass. */
  readonly about?: CheckAbout;
  /** The ids of the mistakes its own verdict can name (the grader's coverage test proves each one fires). */
  readonly signatures?: readonly string[];
  /** What a diagnosis may relate its result to (sizes and rates of its probe, other tensors). */
  context?(j: Judge): EvidenceContext;
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
