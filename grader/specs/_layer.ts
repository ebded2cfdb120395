/**
 * The spec builder shared by the module lessons. For each input case the
 * parent draws (from a `Rng` labelled with the probe id) the parameters, the
 * input and a random upstream gradient R, and the `layer` probe runs them:
 * forward and backward, a second backward (accumulation),
 * `zeroGradParameters()`, and on the cases marked `gradcheck` the outputs at
 * every input and parameter moved by ±h (the parent takes the central
 * differences). The checks compare with the reference (anchored) and with the
 * student's own results (gated on the anchored ones).
 *
 * @module
 */

import type { ProbePlan } from "../probes/plan.ts";
import { Rng } from "./_rng.ts";
import {
  type Check,
  type CheckAbout,
  type EvidenceContext,
  isTensorValue,
  type Judge,
  type NamedConstant,
  type ProbeSpec,
  type Related,
  type TensorValue,
  tensorValue,
} from "../spec.ts";
import { sizeConstants } from "../judge/explain.ts";
import {
  batchOf,
  close,
  failShowing,
  failWith,
  type Mistake,
  NUMERIC_TOL,
  pass,
  REFERENCE_TOL,
  ruleCheck,
  scaled,
  tensorCheck,
} from "../judge/compare.ts";
import { tv } from "../judge/signatures.ts";

/** One input case of a layer lesson. */
export interface LayerCase {
  /** Stable id part (`batch1`). */
  readonly id: string;
  /** In words (`a batch of 1`). */
  readonly label: string;
  /** The input's shape. */
  readonly shape: readonly number[];
  /** Constructor arguments for this case (default: the lesson's). */
  readonly args?: readonly (number | boolean)[];
  /** Also check against central differences. */
  readonly gradcheck?: boolean;
  /** How to draw the input (default: the lesson's). */
  readonly fill?: (rng: Rng, n: number) => Float64Array;
  /**
   * What sets this case apart, for the diagnosis across cases (besides its
   * batch size and rank): `{ kernel: "a 5×5 kernel" }`, `{ values: "inputs of ±1000" }`.
   */
  readonly traits?: Readonly<Record<string, string | number>>;
}

/** Signatures by result: `output`, `gradInput`, or a gradient's name (`gradW`). */
export type MistakeTable = Record<string, (probe: string, c: LayerCase) => Mistake[]>;

/** A parameter of a layer: its name, its gradient's name, its shape for the constructor arguments. */
export interface LayerParam {
  readonly name: string;
  readonly grad: string;
  readonly shape: (args: readonly (number | boolean)[]) => number[];
}

/** What a layer lesson is. */
export interface LayerOptions {
  /** The exported class. */
  readonly className: string;
  /** Default constructor arguments. */
  readonly args: readonly (number | boolean)[];
  /** The cases. */
  readonly cases: readonly LayerCase[];
  /** Default input fill. */
  readonly fill?: (rng: Rng, n: number) => Float64Array;
  /** Parameters, in `getParameters()` order. */
  readonly params?: readonly LayerParam[];
  /** The output's shape for an input shape and the constructor arguments (default: the input's). */
  readonly outputShape?: (shape: readonly number[], args: readonly (number | boolean)[]) => number[];
  /** Signatures of classic mistakes. */
  readonly mistakes?: MistakeTable;
  /** Hints by result name, said when no signature matches. */
  readonly hints?: Record<string, string>;
  /** Evaluation mode instead of training mode. */
  readonly evaluate?: boolean;
  /** Numbers of a case a wrong factor might be (the slope, alpha), besides the sizes. */
  readonly constants?: (c: LayerCase) => NamedConstant[];
  /** Each output element depends only on the input element at the same place (ReLU, ELU, SoftPlus). */
  readonly elementwise?: boolean;
  /** Traits of every case (`{ mode: "in training mode" }`), besides each case's own. */
  readonly traits?: Readonly<Record<string, string | number>>;
}

/** The step of the central differences. */
export const H = 1e-6;

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** The most coordinates of one tensor moved for central differences. */
export const FD_COORDINATES = 32;

/** The coordinates of an `n`-element tensor to move: all of them, or a sorted sample of {@linkcode FD_COORDINATES}. */
export function fdCoordinates(rng: Rng, n: number): number[] {
  const all = Array.from({ length: n }, (_, i) => i);
  if (n <= FD_COORDINATES) return all;
  for (let i = 0; i < FD_COORDINATES; i++) {
    const j = i + Math.floor(rng.next() * (n - i));
    [all[i], all[j]] = [all[j], all[i]];
  }
  return all.slice(0, FD_COORDINATES).sort((a, b) => a - b);
}

/** Two marker values for the contract writes, drawn from `rng`. */
export function markers(rng: Rng): number[] {
  return [rng.uniform(1000, 2000), rng.uniform(3000, 4000)];
}

/** The plan of one case; the first case also records a second backward's gradInput. */
function casePlan(o: LayerOptions, c: LayerCase, first: boolean, id: string, seed: number): ProbePlan {
  const rng = new Rng(seed, id);
  const args = c.args ?? o.args;
  const inputs: Record<string, TensorValue> = {};
  (o.params ?? []).forEach((p, i) => {
    const shape = p.shape(args);
    inputs[`param.${i}`] = tensorValue(shape, rng.array(size(shape), -1, 1));
  });
  const fill = c.fill ?? o.fill ?? ((r: Rng, n: number) => r.array(n, -2, 2));
  inputs.input = tensorValue(c.shape, fill(rng, size(c.shape)));
  const outputShape = o.outputShape?.(c.shape, args) ?? [...c.shape];
  inputs.gradOutput = tensorValue(outputShape, rng.array(size(outputShape), -1, 1));
  return {
    id,
    kind: "layer",
    kitSeed: seed,
    settings: {
      className: o.className,
      args: [...args],
      evaluate: o.evaluate === true,
      paramCount: o.params?.length ?? 0,
      outputShape,
      first,
      gradcheck: c.gradcheck === true,
      h: H,
      markers: markers(rng),
      fdInput: c.gradcheck ? fdCoordinates(rng, size(c.shape)) : [],
      fdParams: (o.params ?? []).map((p) => c.gradcheck ? fdCoordinates(rng, size(p.shape(args))) : []),
    },
    inputs,
  };
}

/** A layer case's probe. */
function caseProbe(o: LayerOptions, c: LayerCase, first: boolean): ProbeSpec {
  const id = `case.${c.id}`;
  return { id, plan: (seed, label = id) => casePlan(o, c, first, label, seed) };
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
      id: "divided by the batch size inside the module",
      says: `${what} was divided by the batch size inside the module`,
      hint:
        "Only criterions divide by the batch size (SPEC.md): a module passes gradients through as they are",
      value: (j) => {
        const ref = j.reference(probe, key);
        const n = batchOf(j.plan(probe, "input"));
        return n > 1 ? scaled(ref, 1 / n) : undefined;
      },
    },
  ];
}

/** A plan or reference tensor of `probe`, or undefined. */
function tensorOf(read: () => unknown): TensorValue | undefined {
  try {
    const v = read();
    return isTensorValue(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** What a result of a layer case may be related to: the probe's tensors, sizes and the lesson's constants. */
function layerContext(o: LayerOptions, c: LayerCase, probe: string, result: string) {
  return (j: Judge): EvidenceContext => {
    const input = tensorOf(() => j.plan(probe, "input"));
    const gradOutput = tensorOf(() => j.plan(probe, "gradOutput"));
    const output = tensorOf(() => j.reference(probe, "output"));
    const related: Related[] = [];
    if (result !== "output" && gradOutput) related.push({ name: "gradOutput", value: gradOutput });
    if (input) related.push({ name: "the input", value: input });
    if (result !== "output" && output) related.push({ name: "the output", value: output });
    if (result === "gradInput" && o.elementwise && output && gradOutput) {
      related.push({
        name: "gradOutput ⊙ the output (the output in place of its derivative?)",
        value: { shape: [...output.shape], data: output.data.map((y, i) => y * gradOutput.data[i]) },
      });
    }
    return {
      related,
      constants: [...(o.constants?.(c) ?? []), ...sizeConstants(input, gradOutput)],
      ...(input ? { aligned: input } : {}),
      ...(o.elementwise ? { elementwise: true } : {}),
    };
  };
}

/** What a check of a layer case is about. */
function layerAbout(
  o: LayerOptions,
  c: LayerCase,
  probe: string,
  result: string,
  against: CheckAbout["against"],
): CheckAbout {
  return {
    result,
    against,
    probe,
    label: c.label,
    traits: {
      arguments: `new ${o.className}(${(c.args ?? o.args).join(", ")})`,
      batch: c.shape[0],
      rank: `${c.shape.length}-D inputs`,
      ...o.traits,
      ...c.traits,
    },
  };
}

/** A probe {@linkcode contractChecks} reads, and its case in words. */
export interface ContractProbe {
  /** The probe id. */
  readonly id: string;
  /** In words (`a batch of 1`). */
  readonly label: string;
}

/** True when `v` is a tensor equal, bit for bit, to `want`. */
function sameTensor(v: unknown, want: TensorValue): boolean {
  if (typeof v !== "object" || v === null) return false;
  const t = tv(v as TensorValue);
  if (t.shape.join() !== want.shape.join()) return false;
  for (let i = 0; i < want.data.length; i++) if (!Object.is(t.data[i], want.data[i])) return false;
  return true;
}

/** True when `v` holds the marker `base + i/1024` the probe wrote. */
function marked(v: unknown, base: number): boolean {
  if (typeof v !== "object" || v === null) return false;
  const t = tv(v as TensorValue);
  return t.data.length > 0 && t.data.every((x, i) => x === base + i / 1024);
}

/**
 * The four contract checks of a module, judged from raw values: a marker
 * written into what updateOutput (updateGradInput) returned shows in
 * this.output (this.gradInput) on the first probe, i.e. the result was stored
 * and returned as one object; and the input and gradOutput the module was
 * given read, after every call, exactly as the parent drew them (on every
 * probe that got that far; the first must). Gated on `gate`: a module that
 * computes nothing right earns no contract points.
 */
export function contractChecks(
  probes: readonly ContractProbe[],
  points: number,
  gate: readonly string[],
): Check[] {
  const first = probes[0].id;
  const about = { result: "contract", against: "contract", probe: first } as const;
  const markerCheck = (
    id: string,
    name: string,
    key: string,
    index: number,
    message: string,
    diagnosis: string,
    hint: string,
  ) =>
    ruleCheck({
      id,
      name,
      points,
      gate,
      about,
      signatures: [diagnosis],
      judge: (j: Judge) => {
        const base = (j.planSetting(first, "markers") as number[])[index];
        return marked(j.student(first, key), base)
          ? pass
          : failWith(`${message} (seed ${j.seed})`, diagnosis, hint);
      },
    });
  const unchanged = (
    id: string,
    name: string,
    key: string,
    drawn: string,
    related: readonly [string, string][],
    message: string,
    hint: string,
  ) =>
    ruleCheck({
      id,
      name,
      points,
      gate,
      about,
      signatures: [WRITTEN],
      judge: (j: Judge) => {
        j.student(first, key);
        for (const p of probes) {
          if (p.id !== first && !j.has(p.id, key)) continue;
          const before = j.plan(p.id, drawn) as TensorValue;
          const after = j.student(p.id, key);
          if (!sameTensor(after, before)) {
            const others = related.filter(([k]) => j.has(p.id, k))
              .map(([k, name]) => ({ name, value: tv(j.student(p.id, k)) }));
            const msg = `${message} on ${p.label} (seed ${j.seed})`;
            // Equal to a result of the module: the generic patterns say which; else it was changed in place.
            if (!others.some((r) => close(r.value, tv(after as TensorValue), REFERENCE_TOL))) {
              return failWith(msg, WRITTEN, hint);
            }
            return failShowing(msg, {
              what: `${drawn} after the calls`,
              got: tv(after as TensorValue),
              expected: before,
              related: others,
              constants: sizeConstants(tensorOf(() => j.plan(p.id, "input"))),
            }, hint);
          }
        }
        return pass;
      },
    });
  return [
    markerCheck(
      "contract.forward-returns-output",
      "updateOutput stores this.output and returns it",
      "marked.output",
      0,
      "updateOutput() returned a different object from this.output",
      "this.output and the tensor updateOutput returns are two tensors (a copy on one side?)",
      "updateOutput must store its result in this.output and return it",
    ),
    markerCheck(
      "contract.backward-returns-gradInput",
      "updateGradInput stores this.gradInput and returns it",
      "marked.gradInput",
      1,
      "updateGradInput() returned a different object from this.gradInput",
      "this.gradInput and the tensor updateGradInput returns are two tensors (a copy on one side?)",
      "updateGradInput must store its result in this.gradInput and return it",
    ),
    unchanged(
      "contract.input-unchanged",
      "input is not modified",
      "inputAfter",
      "input",
      [["output", "your output"], ["gradInput", "your gradInput"]],
      "the input tensor was modified by forward or backward",
      "Never write into input: compute into a new tensor (or clone first)",
    ),
    unchanged(
      "contract.gradOutput-unchanged",
      "gradOutput is not modified",
      "gradOutputAfter",
      "gradOutput",
      [["gradInput", "your gradInput"], ["output", "your output"]],
      "the gradOutput tensor was modified by backward",
      "Never write into gradOutput: `gradOutput.mul(mask)` makes a new tensor, `mulInPlace` does not",
    ),
  ];
}

/** Said when the input or gradOutput a module was given changed under it. */
export const WRITTEN =
  "it is changed in place: an …InPlace method (or a write into its data) is called on it";

/** The diagnoses of the zero-grad contract check. */
const ZERO_GRAD =
  "zeroGradParameters() leaves this gradient as it was (it clears other tensors than getGradParameters() returns, or none)";

/** The diagnoses of the parameter-shapes contract check. */
const PARAMETER_SHAPES = {
  reshaped: "a parameter holds the right number of elements in another shape",
};

/** Why `got` parameter shapes (`[4, 3] [4]`) differ from `want`, when a reason is known. */
function parameterShapes(got: string, want: string): string | undefined {
  const parse = (s: string) =>
    (s.match(/\[[^\]]*\]/g) ?? []).map((x) => x.slice(1, -1).split(",").map(Number));
  const [g, w] = [parse(got), parse(want)];
  const size = (s: number[]) => s.reduce((a, b) => a * (Number.isFinite(b) ? b : 0), 1);
  return g.length === w.length && g.every((s, i) => size(s) === size(w[i]))
    ? PARAMETER_SHAPES.reshaped
    : undefined;
}

/** The probes and checks of a layer lesson. */
export function layerSpec(lesson: string, o: LayerOptions, points: LayerPoints = DEFAULT_POINTS) {
  const probes = o.cases.map((c, i) => caseProbe(o, c, i === 0));
  const checks: Check[] = [];
  const params = o.params ?? [];
  const mk = (name: string, probe: string, c: LayerCase) => o.mistakes?.[name]?.(probe, c) ?? [];
  for (const c of o.cases) {
    const p = `case.${c.id}`;
    const on = (result: string, against: CheckAbout["against"] = "reference") => ({
      about: layerAbout(o, c, p, result, against),
      context: layerContext(o, c, p, result),
    });
    checks.push(tensorCheck({
      id: `forward.${c.id}`,
      name: `forward on ${c.label} matches the reference`,
      points: points.forward,
      what: "output",
      got: [p, "output"],
      mistakes: mk("output", p, c),
      hint: o.hints?.output,
      ...on("output"),
    }));
    checks.push(tensorCheck({
      id: `gradInput.${c.id}`,
      name: `gradInput on ${c.label} matches the reference`,
      points: points.gradInput,
      what: "gradInput",
      got: [p, "gradInput"],
      mistakes: [...mk("gradInput", p, c), ...batchMistakes("gradInput", p, "gradInput")],
      hint: o.hints?.gradInput,
      ...on("gradInput"),
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
        ...on(q.grad),
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
        gate: [`forward.${c.id}`, `gradInput.${c.id}`],
        tol: NUMERIC_TOL,
        hint:
          "Your backward does not match the derivative of your own forward: re-derive ∂L/∂input = f'(input) ⊙ gradOutput",
        ...on("gradInput", "numeric"),
      }));
      params.forEach((q, i) =>
        checks.push(tensorCheck({
          id: `numeric.${q.grad}.${c.id}`,
          name: `${q.grad} on ${c.label} matches central differences of your forward`,
          points: points.numeric,
          what: q.grad,
          got: [p, `grad.${i}`],
          expected: (j) => j.student(p, `numGrad.${i}`),
          gate: [`forward.${c.id}`, `${q.grad}.${c.id}`],
          tol: NUMERIC_TOL,
          hint: `Your ${q.grad} does not match the derivative of your own forward with respect to ${q.name}`,
          ...on(q.grad, "numeric"),
        }))
      );
    }
  }
  const first = `case.${o.cases[0].id}`;
  const firstId = o.cases[0].id;
  checks.push(
    ...contractChecks(
      o.cases.map((c) => ({ id: `case.${c.id}`, label: c.label })),
      points.contract,
      [`forward.${firstId}`, `gradInput.${firstId}`],
    ),
    tensorCheck({
      id: "contract.gradInput-not-accumulated",
      about: { result: "contract", against: "contract", probe: first },
      name: "gradInput does not accumulate across backward calls",
      points: points.contract,
      what: "gradInput of a second backward on the same input and gradOutput",
      got: [first, "gradInput2"],
      expected: (j) => j.student(first, "gradInput"),
      gate: [`gradInput.${firstId}`],
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
      about: { result: "contract", against: "contract", probe: first },
      name: `getParameters() returns ${params.map((q) => q.name).join(", ")} with the right shapes`,
      points: points.contract,
      gate: [`forward.${firstId}`],
      signatures: Object.values(PARAMETER_SHAPES),
      judge: (j) => {
        j.student(first, "gradInput");
        const got = j.student(first, "paramShapes");
        const want = j.reference(first, "paramShapes");
        return got === want ? pass : failWith(
          `parameter shapes are ${got}, expected ${want} (seed ${j.seed})`,
          parameterShapes(String(got), String(want)),
          `getParameters() returns [${params.map((q) => q.name).join(", ")}] in this order`,
        );
      },
    }));
    params.forEach((q, i) =>
      checks.push(tensorCheck({
        id: `contract.accumulate.${q.grad}`,
        about: { result: "contract", against: "contract", probe: first },
        name: `${q.grad} accumulates over two backward calls`,
        points: points.contract,
        what: `${q.grad} after two backward calls`,
        got: [first, `grad2.${i}`],
        expected: (j) => scaled(j.student(first, `grad.${i}`), 2),
        gate: [`${q.grad}.${firstId}`],
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
      about: { result: "contract", against: "contract", probe: first },
      name: "zeroGradParameters() clears every gradient",
      points: points.contract,
      gate: params.map((q) => `${q.grad}.${firstId}`),
      signatures: [ZERO_GRAD],
      judge: (j) => {
        for (let i = 0; i < params.length; i++) {
          const g = j.student(first, `gradZero.${i}`);
          if (typeof g !== "object" || g.data.some((v) => v !== 0)) {
            const before = typeof g === "object" ? tv(j.student(first, `grad2.${i}`)) : undefined;
            const untouched = typeof g === "object" && before !== undefined &&
              g.data.every((v, k) => v === before.data[k]);
            return failWith(
              `${params[i].grad} is not zero after zeroGradParameters() (seed ${j.seed})`,
              untouched ? ZERO_GRAD : undefined,
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
