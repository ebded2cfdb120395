/**
 * The spec builder shared by the module lessons: for each input case it
 * builds the module, sets its parameters in place to grader-drawn values,
 * runs forward and backward with a random upstream gradient R, runs backward
 * again (accumulation), zeroes the gradients, and on the cases marked
 * `gradcheck` takes central differences of Σ(output ⊙ R). The checks compare
 * with the reference and with the student's own central differences.
 *
 * @module
 */

import { F64, typedLength } from "./_pristine.ts";
import type { Rng } from "./_rng.ts";
import {
  type Check,
  ContractError,
  type Judge,
  type Probe,
  type ProbeContext,
  toTensorValue,
} from "./spec.ts";
import {
  batchOf,
  failWith,
  type Mistake,
  NUMERIC_TOL,
  pass,
  ruleCheck,
  scaled,
  tensorCheck,
} from "./judge.ts";
import { Tensor } from "../lib/tensor.ts";

/** One input case of a layer lesson. */
export interface LayerCase {
  /** Stable id part (`batch1`). */
  readonly id: string;
  /** In words (`a batch of 1`). */
  readonly label: string;
  /** The input's shape. */
  readonly shape: readonly number[];
  /** Constructor arguments for this case (default: the lesson's). */
  readonly args?: readonly unknown[];
  /** Also check against central differences. */
  readonly gradcheck?: boolean;
  /** How to draw the input (default: the lesson's). */
  readonly fill?: (rng: Rng, n: number) => Float64Array;
}

/** Signatures by result: `output`, `gradInput`, or a gradient's name (`gradW`). */
export type MistakeTable = Record<string, (probe: string, c: LayerCase) => Mistake[]>;

/** What a layer lesson is. */
export interface LayerOptions {
  /** The exported class. */
  readonly className: string;
  /** Default constructor arguments. */
  readonly args: readonly unknown[];
  /** The cases. */
  readonly cases: readonly LayerCase[];
  /** Default input fill. */
  readonly fill?: (rng: Rng, n: number) => Float64Array;
  /** Parameter names and their gradients' names, in `getParameters()` order. */
  readonly params?: readonly { readonly name: string; readonly grad: string }[];
  /** Signatures of classic mistakes. */
  readonly mistakes?: MistakeTable;
  /** Hints by result name, said when no signature matches. */
  readonly hints?: Record<string, string>;
  /** Extra values to record at the end of each case (e.g. signature variants). */
  readonly extra?: (ctx: ProbeContext, m: ModuleLike, x: Tensor, c: LayerCase) => void;
  /** Evaluation mode instead of training mode. */
  readonly evaluate?: boolean;
}

/** The surface of a student module the probes use. */
export interface ModuleLike {
  forward(x: Tensor): unknown;
  updateOutput(x: Tensor): unknown;
  updateGradInput(x: Tensor, g: Tensor): unknown;
  backward(x: Tensor, g: Tensor): unknown;
  output: unknown;
  gradInput: unknown;
  getParameters(): unknown;
  getGradParameters(): unknown;
  zeroGradParameters(): void;
  evaluate(): void;
  train(): void;
}

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function argsText(args: readonly unknown[]): string {
  return args.map((a) => `${a}`).join(", ");
}

/** The list `getParameters()` (or `getGradParameters()`) returned, validated. */
export function tensorList(value: unknown, what: string, count: number): Tensor[] {
  if (!Array.isArray(value)) throw new ContractError(`${what} should return an array of tensors`);
  if (value.length !== count) {
    throw new ContractError(`${what} returned ${value.length} tensors, expected ${count}`);
  }
  for (const t of value) {
    if (!(t instanceof Tensor)) throw new ContractError(`${what} should return tensors only`);
  }
  return value as Tensor[];
}

/** Σ(output ⊙ R) with plain loops over a private copy of the output. */
export function lossOf(m: ModuleLike, x: Tensor, r: Float64Array, cls: string): number {
  const y = toTensorValue(m.forward(x), `${cls}.forward() result`);
  if (typeof y === "string" || y.data.length !== typedLength(r)) {
    throw new ContractError(`${cls}.forward() changed its output size between calls`);
  }
  let s = 0;
  for (let i = 0; i < y.data.length; i++) s += y.data[i] * r[i];
  return s;
}

/** Central differences of `loss` with respect to `data`, perturbed in place and restored exactly. */
export function centralDifferences(data: Float64Array, loss: () => number, h = 1e-6): Float64Array {
  const n = typedLength(data);
  const out = new F64(n);
  for (let i = 0; i < n; i++) {
    const old = data[i];
    data[i] = old + h;
    const plus = loss();
    data[i] = old - h;
    const minus = loss();
    data[i] = old;
    out[i] = (plus - minus) / (2 * h);
  }
  return out;
}

/** Whether two arrays hold the same values, bit for bit (`Object.is`). */
export function sameData(a: Float64Array, b: Float64Array): boolean {
  if (typedLength(a) !== typedLength(b)) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/**
 * Records whether `updateOutput` and `updateGradInput`, called directly, store
 * their result in `this.output` / `this.gradInput` and return that very object
 * (keys `updateOutputReturnsOutput`, `updateGradInputReturnsGradInput`).
 */
export function recordMethodContract(
  ctx: ProbeContext,
  m: ModuleLike,
  x: Tensor,
  r: Tensor,
  cls: string,
): void {
  ctx.put(
    "updateOutputReturnsOutput",
    ctx.run(`${cls}.updateOutput`, () => m.updateOutput(x) === m.output),
  );
  ctx.put(
    "updateGradInputReturnsGradInput",
    ctx.run(`${cls}.updateGradInput`, () => m.updateGradInput(x, r) === m.gradInput),
  );
}

/** The probe of one case; the first case also records a second backward's gradInput. */
function caseProbe(o: LayerOptions, c: LayerCase, first: boolean): Probe {
  const params = o.params ?? [];
  return {
    id: `case.${c.id}`,
    run(ctx) {
      const Cls = ctx.export(o.className);
      const args = c.args ?? o.args;
      ctx.seedKit();
      const m = ctx.run(`new ${o.className}(${argsText(args)})`, () => new Cls(...args)) as ModuleLike;
      const cls = o.className;
      if (o.evaluate) ctx.run(`${cls}.evaluate()`, () => m.evaluate());
      const P = params.length
        ? ctx.run(
          `${cls}.getParameters()`,
          () => tensorList(m.getParameters(), `${cls}.getParameters()`, params.length),
        )
        : [];
      for (let i = 0; i < P.length; i++) {
        const d = P[i].data;
        const values = ctx.rng.array(typedLength(d), -1, 1);
        for (let k = 0; k < values.length; k++) d[k] = values[k];
      }
      const fill = c.fill ?? o.fill ?? ((rng: Rng, n: number) => rng.array(n, -2, 2));
      const xData = fill(ctx.rng, size(c.shape));
      const x = ctx.tensor(c.shape, xData);
      ctx.put("input", { shape: [...c.shape], data: xData });
      P.forEach((t, i) => ctx.put(`param.${i}`, t, o.params![i].name));
      const y = ctx.run(`${cls}.forward`, () => m.forward(x));
      ctx.put("output", y, `${cls}.forward() result`);
      ctx.put("forwardReturnsOutput", y === m.output);
      const out = ctx.values.output as { shape: number[]; data: Float64Array };
      const rData = ctx.rng.array(out.data.length, -1, 1);
      const r = ctx.tensor(out.shape, rData);
      ctx.put("gradOutput", { shape: [...out.shape], data: rData });
      const gi = ctx.run(`${cls}.backward`, () => m.backward(x, r));
      ctx.put("gradInput", gi, `${cls}.backward() result`);
      ctx.put("backwardReturnsGradInput", gi === m.gradInput);
      ctx.put("inputUnchanged", sameData(x.data, xData));
      ctx.put("gradOutputUnchanged", sameData(r.data, rData));
      const again = () => ctx.run(`${cls}.backward (a second time)`, () => m.backward(x, r));
      if (first && !P.length) ctx.put("gradInput2", again(), `${cls}.backward() result`);
      if (P.length) {
        ctx.put("paramShapes", P.map((t) => `[${t.shape.join(", ")}]`).join(" "));
        const G = ctx.run(
          `${cls}.getGradParameters()`,
          () => tensorList(m.getGradParameters(), `${cls}.getGradParameters()`, params.length),
        );
        G.forEach((g, i) => ctx.put(`grad.${i}`, g, params[i].grad));
        const gi2 = again();
        if (first) ctx.put("gradInput2", gi2, `${cls}.backward() result`);
        const G2 = tensorList(m.getGradParameters(), `${cls}.getGradParameters()`, params.length);
        G2.forEach((g, i) => ctx.put(`grad2.${i}`, g, params[i].grad));
        ctx.run(`${cls}.zeroGradParameters()`, () => m.zeroGradParameters());
        const G3 = tensorList(m.getGradParameters(), `${cls}.getGradParameters()`, params.length);
        G3.forEach((g, i) => ctx.put(`gradZero.${i}`, g, params[i].grad));
      }
      if (c.gradcheck) {
        const loss = () => lossOf(m, x, rData, cls);
        ctx.step = `${cls}.forward (central differences)`;
        ctx.put("numGradInput", { shape: [...c.shape], data: centralDifferences(x.data, loss) });
        P.forEach((p, i) =>
          ctx.put(`numGrad.${i}`, { shape: [...p.shape], data: centralDifferences(p.data, loss) })
        );
      }
      // The contract of the methods forward and backward call: each stores its result and returns it.
      recordMethodContract(ctx, m, x, r, cls);
      if (o.extra) {
        ctx.step = "setting up";
        o.extra(ctx, m, x, c);
      }
    },
  };
}

/** Points of the layer checks. */
export interface LayerPoints {
  /** Each forward case. */
  readonly forward: number;
  /** Each gradInput case. */
  readonly gradInput: number;
  /** Each parameter gradient, each case. */
  readonly gradParams?: number;
  /** Each central-difference comparison. */
  readonly numeric: number;
  /** Each contract point. */
  readonly contract: number;
}

const DEFAULT_POINTS: LayerPoints = { forward: 2, gradInput: 2, gradParams: 1, numeric: 2, contract: 1 };

function batchMistakes(what: string, probe: string, key: string): Mistake[] {
  return [
    {
      says: `${what} was divided by the batch size inside the module`,
      hint:
        "Only criterions divide by the batch size (SPEC.md): a module passes gradients through as they are",
      value: (j) => {
        const ref = j.reference(probe, key);
        const n = batchOf(j.reference(probe, "output"));
        return n > 1 ? scaled(ref, 1 / n) : undefined;
      },
    },
    {
      says: `${what} has its sign flipped`,
      value: (j) => scaled(j.reference(probe, key), -1),
    },
  ];
}

/** A probe {@linkcode contractChecks} reads, and its case in words. */
export interface ContractProbe {
  /** The probe id. */
  readonly id: string;
  /** In words (`a batch of 1`). */
  readonly label: string;
}

/**
 * The four contract checks of a module: updateOutput and updateGradInput
 * store and return their result (read on the first probe), and input and
 * gradOutput are left unmodified (read on every probe that got that far; the
 * first must). The probes record the keys `updateOutputReturnsOutput`,
 * `updateGradInputReturnsGradInput`, `inputUnchanged`, `gradOutputUnchanged`
 * (booleans) after `output` and `gradInput`.
 */
export function contractChecks(probes: readonly ContractProbe[], points: number): Check[] {
  const first = probes[0].id;
  const flag = (
    id: string,
    name: string,
    key: string,
    message: string,
    hint: string,
    after: string,
    every: boolean,
  ): Check =>
    ruleCheck({
      id,
      name,
      points,
      judge: (j: Judge) => {
        j.student(first, after);
        for (const p of every ? probes : probes.slice(0, 1)) {
          if (p.id !== first && !j.has(p.id, key)) continue;
          if (j.student(p.id, key) !== true) {
            return failWith(`${message}${every ? ` on ${p.label}` : ""} (seed ${j.seed})`, undefined, hint);
          }
        }
        return pass;
      },
    });
  return [
    flag(
      "contract.forward-returns-output",
      "updateOutput stores this.output and returns it",
      "updateOutputReturnsOutput",
      "updateOutput() returned a different object from this.output",
      "updateOutput must store its result in this.output and return it",
      "output",
      false,
    ),
    flag(
      "contract.backward-returns-gradInput",
      "updateGradInput stores this.gradInput and returns it",
      "updateGradInputReturnsGradInput",
      "updateGradInput() returned a different object from this.gradInput",
      "updateGradInput must store its result in this.gradInput and return it",
      "gradInput",
      false,
    ),
    flag(
      "contract.input-unchanged",
      "input is not modified",
      "inputUnchanged",
      "the input tensor was modified by forward or backward",
      "Never write into input: compute into a new tensor (or clone first)",
      "gradInput",
      true,
    ),
    flag(
      "contract.gradOutput-unchanged",
      "gradOutput is not modified",
      "gradOutputUnchanged",
      "the gradOutput tensor was modified by backward",
      "Never write into gradOutput: `gradOutput.mul(mask)` makes a new tensor, `mulInPlace` does not",
      "gradInput",
      true,
    ),
  ];
}

/** The probes and checks of a layer lesson. */
export function layerSpec(lesson: string, o: LayerOptions, points: LayerPoints = DEFAULT_POINTS) {
  const probes = o.cases.map((c, i) => caseProbe(o, c, i === 0));
  const checks: Check[] = [];
  const params = o.params ?? [];
  const mk = (name: string, probe: string, c: LayerCase) => o.mistakes?.[name]?.(probe, c) ?? [];
  for (const c of o.cases) {
    const p = `case.${c.id}`;
    checks.push(tensorCheck({
      id: `forward.${c.id}`,
      name: `forward on ${c.label} matches the reference`,
      points: points.forward,
      what: "output",
      got: [p, "output"],
      mistakes: mk("output", p, c),
      hint: o.hints?.output,
    }));
    checks.push(tensorCheck({
      id: `gradInput.${c.id}`,
      name: `gradInput on ${c.label} matches the reference`,
      points: points.gradInput,
      what: "gradInput",
      got: [p, "gradInput"],
      mistakes: [...mk("gradInput", p, c), ...batchMistakes("gradInput", p, "gradInput")],
      hint: o.hints?.gradInput,
    }));
    params.forEach((q, i) =>
      checks.push(tensorCheck({
        id: `${q.grad}.${c.id}`,
        name: `${q.grad} on ${c.label} matches the reference`,
        points: points.gradParams ?? 1,
        what: q.grad,
        got: [p, `grad.${i}`],
        mistakes: [...mk(q.grad, p, c), ...batchMistakes(q.grad, p, `grad.${i}`)],
        hint: o.hints?.[q.grad],
      }))
    );
    if (c.gradcheck) {
      checks.push(tensorCheck({
        id: `numeric.gradInput.${c.id}`,
        name: `gradInput on ${c.label} matches central differences of your forward`,
        points: points.numeric,
        what: "gradInput",
        got: [p, "gradInput"],
        expected: (j) => j.student(p, "numGradInput"),
        tol: NUMERIC_TOL,
        hint:
          "Your backward does not match the derivative of your own forward: re-derive ∂L/∂input = f'(input) ⊙ gradOutput",
      }));
      params.forEach((q, i) =>
        checks.push(tensorCheck({
          id: `numeric.${q.grad}.${c.id}`,
          name: `${q.grad} on ${c.label} matches central differences of your forward`,
          points: points.numeric,
          what: q.grad,
          got: [p, `grad.${i}`],
          expected: (j) => j.student(p, `numGrad.${i}`),
          tol: NUMERIC_TOL,
          hint: `Your ${q.grad} does not match the derivative of your own forward with respect to ${q.name}`,
        }))
      );
    }
  }
  const first = `case.${o.cases[0].id}`;
  checks.push(
    ...contractChecks(o.cases.map((c) => ({ id: `case.${c.id}`, label: c.label })), points.contract),
    tensorCheck({
      id: "contract.gradInput-not-accumulated",
      name: "gradInput does not accumulate across backward calls",
      points: points.contract,
      what: "gradInput of a second backward on the same input and gradOutput",
      got: [first, "gradInput2"],
      expected: (j) => j.student(first, "gradInput"),
      mistakes: [{
        says:
          "gradInput was accumulated across calls: it is ∂L/∂input of this call only; only parameter gradients accumulate",
        hint: "Store a new tensor in this.gradInput on every call (or overwrite it); never add into it",
        value: (j) => scaled(j.student(first, "gradInput"), 2),
      }],
      hint: "Two backward calls on the same input and gradOutput must give the same gradInput",
    }),
  );
  if (params.length) {
    checks.push(ruleCheck({
      id: "contract.parameters",
      name: `getParameters() returns ${params.map((q) => q.name).join(", ")} with the right shapes`,
      points: points.contract,
      judge: (j) => {
        j.student(first, "gradInput");
        const got = j.student(first, "paramShapes");
        const want = j.reference(first, "paramShapes");
        return got === want ? pass : failWith(
          `parameter shapes are ${got}, expected ${want} (seed ${j.seed})`,
          undefined,
          `getParameters() returns [${params.map((q) => q.name).join(", ")}] in this order`,
        );
      },
    }));
    params.forEach((q, i) =>
      checks.push(tensorCheck({
        id: `contract.accumulate.${q.grad}`,
        name: `${q.grad} accumulates over two backward calls`,
        points: points.contract,
        what: `${q.grad} after two backward calls`,
        got: [first, `grad2.${i}`],
        expected: (j) => scaled(j.student(first, `grad.${i}`), 2),
        mistakes: [{
          says: `${q.grad} was overwritten, not accumulated`,
          hint:
            `accGradParameters adds into ${q.grad} (\`${q.grad}.addInPlace(...)\`); zeroGradParameters() is what resets it`,
          value: (j) => j.student(first, `grad.${i}`),
        }],
      }))
    );
    checks.push(ruleCheck({
      id: "contract.zero-grad",
      name: "zeroGradParameters() clears every gradient",
      points: points.contract,
      judge: (j) => {
        for (let i = 0; i < params.length; i++) {
          const g = j.student(first, `gradZero.${i}`);
          if (typeof g === "object" && g.data.some((v) => v !== 0)) {
            return failWith(
              `${params[i].grad} is not zero after zeroGradParameters() (seed ${j.seed})`,
              undefined,
              "getGradParameters() must return the very tensors accGradParameters adds into",
            );
          }
        }
        return pass;
      },
    }));
  }
  return { lesson, probes, checks };
}
