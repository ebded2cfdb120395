/**
 * The spec builder of the criterion lessons: loss and gradInput against the
 * reference on several cases, gradInput against central differences of the
 * student's own loss, and the contract (returns and stores, inputs not
 * modified).
 *
 * @module
 */

import { F64, typedLength } from "./_pristine.ts";
import type { Rng } from "./_rng.ts";
import { centralDifferences } from "./_layer.ts";
import { failWith, type Mistake, NUMERIC_TOL, pass, ruleCheck, tensorCheck } from "./judge.ts";
import { type Check, ContractError, type Judge, type LessonSpec, type Probe } from "./spec.ts";

/** One case: shapes and how to draw input and target. */
export interface CriterionCase {
  readonly id: string;
  readonly label: string;
  readonly shape: readonly number[];
  readonly input: (rng: Rng, shape: readonly number[]) => Float64Array;
  readonly target: (rng: Rng, shape: readonly number[]) => Float64Array;
  readonly gradcheck?: boolean;
}

/** What a criterion lesson is. */
export interface CriterionOptions {
  readonly className: string;
  readonly cases: readonly CriterionCase[];
  readonly mistakes?: {
    readonly loss?: (p: string) => Mistake[];
    readonly gradInput?: (p: string) => Mistake[];
  };
}

function sameData(a: Float64Array, b: Float64Array): boolean {
  if (typedLength(a) !== typedLength(b)) return false;
  for (let i = 0; i < b.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/** The probes and checks of a criterion lesson. */
export function criterionSpec(lesson: string, o: CriterionOptions): LessonSpec {
  const probes: Probe[] = o.cases.map((c) => ({
    id: `case.${c.id}`,
    run(ctx) {
      const Cls = ctx.export(o.className);
      const cls = o.className;
      const m = ctx.run(`new ${cls}()`, () => new Cls());
      const xData = c.input(ctx.rng, c.shape);
      const tData = c.target(ctx.rng, c.shape);
      const x = ctx.tensor(c.shape, xData);
      const t = ctx.tensor(c.shape, tData);
      ctx.put("input", { shape: [...c.shape], data: xData });
      ctx.put("target", { shape: [...c.shape], data: tData });
      const loss = ctx.run(`${cls}.forward`, () => m.forward(x, t));
      if (typeof loss !== "number") throw new ContractError(`${cls}.forward() should return a number`);
      ctx.put("loss", loss);
      ctx.put("forwardReturnsOutput", Object.is(loss, m.output));
      const g = ctx.run(`${cls}.backward`, () => m.backward(x, t));
      ctx.put("gradInput", g, `${cls}.backward() result`);
      ctx.put("backwardReturnsGradInput", g === m.gradInput);
      ctx.put("inputsUnchanged", sameData(x.data, xData) && sameData(t.data, tData));
      if (c.gradcheck) {
        ctx.step = `${cls}.forward (central differences)`;
        const f = () => {
          const v = m.forward(x, t);
          if (typeof v !== "number") throw new ContractError(`${cls}.forward() should return a number`);
          return v;
        };
        const num = centralDifferences(x.data, f);
        ctx.put("numGradInput", { shape: [...c.shape], data: new F64(num) });
      }
    },
  }));
  const checks: Check[] = [];
  for (const c of o.cases) {
    const p = `case.${c.id}`;
    checks.push(tensorCheck({
      id: `loss.${c.id}`,
      name: `loss on ${c.label} matches the reference`,
      points: 2,
      what: "loss",
      got: [p, "loss"],
      mistakes: o.mistakes?.loss?.(p),
    }));
    checks.push(tensorCheck({
      id: `gradInput.${c.id}`,
      name: `gradInput on ${c.label} matches the reference`,
      points: 2,
      what: "gradInput",
      got: [p, "gradInput"],
      mistakes: o.mistakes?.gradInput?.(p),
    }));
    if (c.gradcheck) {
      checks.push(tensorCheck({
        id: `numeric.gradInput.${c.id}`,
        name: `gradInput on ${c.label} matches central differences of your loss`,
        points: 2,
        what: "gradInput",
        got: [p, "gradInput"],
        expected: (j) => j.student(p, "numGradInput"),
        tol: NUMERIC_TOL,
        hint:
          "Your backward is not the derivative of your own forward: check the factors and the division by N",
      }));
    }
  }
  const first = `case.${o.cases[0].id}`;
  const flag = (id: string, name: string, key: string, message: string): Check =>
    ruleCheck({
      id,
      name,
      points: 1,
      judge: (j: Judge) => (j.student(first, key) === true ? pass : failWith(`${message} (seed ${j.seed})`)),
    });
  checks.push(
    flag(
      "contract.forward-returns-output",
      "forward returns and stores this.output",
      "forwardReturnsOutput",
      "forward() returned a value different from this.output",
    ),
    flag(
      "contract.backward-returns-gradInput",
      "backward returns and stores this.gradInput",
      "backwardReturnsGradInput",
      "backward() returned a different object from this.gradInput",
    ),
    flag(
      "contract.inputs-unchanged",
      "input and target are not modified",
      "inputsUnchanged",
      "input or target was modified",
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
