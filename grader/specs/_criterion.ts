/**
 * The spec builder of the criterion lessons: loss and gradInput against the
 * reference on several cases (anchored), gradInput against central
 * differences of the student's own loss, and the contract: forward returns
 * and stores the loss, backward returns and stores gradInput, input and
 * target are not modified (gated on the anchored checks).
 *
 * @module
 */

import { Rng } from "./_rng.ts";
import { H, markers } from "./_layer.ts";
import {
  failWith,
  type Mistake,
  NUMERIC_TOL,
  pass,
  ruleCheck,
  SCALAR_TOL,
  scaled,
  tensorCheck,
  type Tolerance,
} from "../judge/compare.ts";
import { tv } from "../judge/signatures.ts";
import {
  type Check,
  type CheckAbout,
  type EvidenceContext,
  type Judge,
  type LessonSpec,
  type NamedConstant,
  type ProbeSpec,
  type TensorValue,
  tensorValue,
} from "../spec.ts";

/** One case: shapes and how to draw input and target (apart, or as a pair). */
export type CriterionCase =
  & {
    readonly id: string;
    readonly label: string;
    readonly shape: readonly number[];
    readonly gradcheck?: boolean;
    /**
     * gradInput counts only once the loss of the case passes: for a gradient
     * with few possible values (−target/N of a one-hot target), which a report
     * copied from another seed could match by chance.
     */
    readonly gradInputAfterLoss?: boolean;
    /** How gradInput is compared (default the reference tolerance). */
    readonly tol?: Tolerance;
    /** What sets this case apart, for the diagnosis across cases (besides its batch size). */
    readonly traits?: Readonly<Record<string, string | number>>;
  }
  & (
    | {
      readonly input: (rng: Rng, shape: readonly number[]) => Float64Array;
      readonly target: (rng: Rng, shape: readonly number[]) => Float64Array;
    }
    | { readonly pair: (rng: Rng, shape: readonly number[]) => [Float64Array, Float64Array] }
  );

/**
 * Exact rows of inputs and targets, laid out anew for each seed: the rows
 * given, then rows of random probabilities with random one-hot targets up to
 * the case's batch size (so the loss differs from seed to seed), all shuffled
 * together, and the columns of each row (input and target alike).
 */
export function shuffledPairs(exactInputs: readonly number[], exactTargets: readonly number[]) {
  return (rng: Rng, shape: readonly number[]): [Float64Array, Float64Array] => {
    const [n, d] = shape;
    const extra = n - exactInputs.length / d;
    const inputs = [...exactInputs, ...probabilities(rng, [extra, d])];
    const targets = [...exactTargets, ...oneHot(rng, [extra, d])];
    const x = new Float64Array(n * d);
    const t = new Float64Array(n * d);
    rng.permutation(n).forEach((r, i) => {
      const cols = rng.permutation(d);
      for (let k = 0; k < d; k++) {
        x[i * d + k] = inputs[r * d + cols[k]];
        t[i * d + k] = targets[r * d + cols[k]];
      }
    });
    return [x, t];
  };
}

/** What a criterion lesson is. */
export interface CriterionOptions {
  readonly className: string;
  readonly cases: readonly CriterionCase[];
  /** What the second axis is, for diagnoses: features (default) or classes. */
  readonly axis?: "features" | "classes";
  readonly mistakes?: {
    readonly loss?: (p: string) => Mistake[];
    readonly gradInput?: (p: string) => Mistake[];
  };
}

function sameTensor(v: unknown, want: TensorValue): boolean {
  if (typeof v !== "object" || v === null) return false;
  const t = tv(v as TensorValue);
  return t.shape.join() === want.shape.join() && want.data.every((x, i) => Object.is(x, t.data[i]));
}

/**
 * How a criterion can divide by the wrong number, for the loss (`key`
 * `loss`) or gradInput: not by N, or by N·D (N·C for classes), the mean over
 * every element. Every criterion lesson names them.
 */
export function divisionMistakes(p: string, key: "loss" | "gradInput", symbol = "D"): Mistake[] {
  const what = key === "loss" ? "the loss" : "gradInput";
  const ref = (j: Judge, c: number) => {
    const v = j.reference(p, key);
    return typeof v === "number" ? v * c : scaled(v, c);
  };
  return [{
    says: `${what} is not divided by the batch size N`,
    hint: "Criterions divide by the batch size N (SPEC.md)",
    value: (j) => ref(j, tv(j.plan(p, "input")).shape[0]),
  }, {
    says: `${what} is divided by N·${symbol} (the mean over every element) instead of N`,
    hint: "SPEC.md: criterions divide by the batch size N only",
    value: (j) => {
      const x = tv(j.plan(p, "input"));
      return ref(j, x.shape[0] / x.data.length);
    },
  }];
}

/** The sizes of a criterion's input: N, and D or C. */
function criterionSizes(input: TensorValue, axis: "features" | "classes"): NamedConstant[] {
  const n = input.shape[0];
  const d = input.data.length / n;
  const [symbol, meaning] = axis === "classes"
    ? ["C", "the number of classes"]
    : ["D", "the elements of a sample"];
  return [
    { value: n, symbol: "N", meaning: "the batch size" },
    { value: d, symbol, meaning },
    { value: n * d, symbol: `N·${symbol}`, meaning: "every element" },
    { value: n / d, symbol: `N/${symbol}`, meaning: `divided by ${symbol} instead of N?` },
  ];
}

/** The probes and checks of a criterion lesson. */
export function criterionSpec(lesson: string, o: CriterionOptions): LessonSpec {
  const probes: ProbeSpec[] = o.cases.map((c) => {
    const id = `case.${c.id}`;
    return {
      id,
      plan: (seed, label = id) => {
        const rng = new Rng(seed, label);
        const [x, t] = "pair" in c ? c.pair(rng, c.shape) : [c.input(rng, c.shape), c.target(rng, c.shape)];
        const input = tensorValue(c.shape, x);
        const target = tensorValue(c.shape, t);
        return {
          id: label,
          kind: "criterion",
          kitSeed: seed,
          settings: { className: o.className, gradcheck: c.gradcheck === true, h: H, markers: markers(rng) },
          inputs: { input, target },
        };
      },
    };
  });
  const checks: Check[] = [];
  for (const c of o.cases) {
    const p = `case.${c.id}`;
    const on = (result: string, against: CheckAbout["against"] = "reference") => ({
      about: {
        result,
        against,
        probe: p,
        label: c.label,
        traits: { batch: c.shape[0], rank: `${c.shape.length}-D inputs`, ...c.traits },
      },
      context: (j: Judge): EvidenceContext => {
        const input = tv(j.plan(p, "input"));
        return {
          related: [{ name: "the target", value: tv(j.plan(p, "target")) }, {
            name: "the input",
            value: input,
          }],
          constants: criterionSizes(input, o.axis ?? "features"),
          aligned: input,
        };
      },
    });
    checks.push(tensorCheck({
      id: `loss.${c.id}`,
      tol: SCALAR_TOL,
      name: `loss on ${c.label} matches the reference`,
      points: 2,
      what: "loss",
      got: [p, "loss"],
      mistakes: o.mistakes?.loss?.(p),
      ...on("loss"),
    }));
    checks.push(tensorCheck({
      id: `gradInput.${c.id}`,
      ...(c.gradInputAfterLoss ? { gate: [`loss.${c.id}`], anchored: false } : {}),
      ...(c.tol ? { tol: c.tol } : {}),
      name: `gradInput on ${c.label} matches the reference`,
      points: 2,
      what: "gradInput",
      got: [p, "gradInput"],
      mistakes: o.mistakes?.gradInput?.(p),
      ...on("gradInput"),
    }));
    if (c.gradcheck) {
      checks.push(tensorCheck({
        id: `numeric.gradInput.${c.id}`,
        name: `gradInput on ${c.label} matches central differences of your loss`,
        points: 2,
        what: "gradInput",
        got: [p, "gradInput"],
        expected: (j) => j.student(p, "numGradInput"),
        gate: [`loss.${c.id}`, `gradInput.${c.id}`],
        tol: NUMERIC_TOL,
        hint:
          "Your backward is not the derivative of your own forward: check the factors and the division by N",
        ...on("gradInput", "numeric"),
      }));
    }
  }
  const first = `case.${o.cases[0].id}`;
  const gate = [`loss.${o.cases[0].id}`, `gradInput.${o.cases[0].id}`];
  const about: CheckAbout = { result: "contract", against: "contract", probe: first };
  /** A contract rule: `broken` says which of its `says` applies (−1: none), or undefined when the rule holds. */
  const rule = (
    id: string,
    name: string,
    message: string,
    says: readonly string[],
    broken: (j: Judge) => number | undefined,
  ): Check =>
    ruleCheck({
      id,
      name,
      points: 1,
      gate,
      about,
      signatures: says,
      judge: (j: Judge) => {
        j.student(first, "gradInput"); // a probe that stopped earlier says why
        const which = broken(j);
        return which === undefined ? pass : failWith(`${message} (seed ${j.seed})`, says[which]);
      },
    });
  checks.push(
    rule(
      "contract.forward-returns-output",
      "forward returns and stores this.output",
      "forward() returned a value different from this.output",
      ["this.output is never set to a number (updateOutput must store the loss there)"],
      (j) =>
        !j.has(first, "outputField")
          ? 0
          : Object.is(j.student(first, "loss"), j.student(first, "outputField"))
          ? undefined
          : -1,
    ),
    rule(
      "contract.backward-returns-gradInput",
      "backward returns and stores this.gradInput",
      "backward() returned a different object from this.gradInput",
      [],
      (j) => {
        const base = (j.planSetting(first, "markers") as number[])[1];
        const g = tv(j.student(first, "marked.gradInput"));
        return g.data.length > 0 && g.data.every((x, i) => x === base + i / 1024) ? undefined : -1;
      },
    ),
    rule(
      "contract.inputs-unchanged",
      "input and target are not modified",
      "input or target was modified",
      [
        "forward or backward writes into the input (an in-place method such as mulInPlace on it?)",
        "forward or backward writes into the target (an in-place method such as divInPlace on it?)",
      ],
      (j) =>
        !sameTensor(j.student(first, "inputAfter"), j.plan(first, "input") as TensorValue)
          ? 0
          : !sameTensor(j.student(first, "targetAfter"), j.plan(first, "target") as TensorValue)
          ? 1
          : undefined,
    ),
  );
  return { lesson, probes, checks };
}

/** Rows of probabilities (a softmax of random logits). */
export function probabilities(rng: Rng, shape: readonly number[]): Float64Array {
  const [n, d] = shape;
  const out = rng.array(n * d, -2, 2);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += out[i * d + k] = Math.exp(out[i * d + k]);
    for (let k = 0; k < d; k++) out[i * d + k] /= s;
  }
  return out;
}

/** One-hot targets. */
export function oneHot(rng: Rng, shape: readonly number[]): Float64Array {
  return rng.oneHot(shape[0], shape[1]);
}
