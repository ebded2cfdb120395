/**
 * BatchNormalization: training-mode forward and backward (batch statistics,
 * biased variance, EPS) on several shapes with central differences; moving
 * statistics after several batches; evaluation mode with them.
 *
 * @module
 */

import { layerSpec, type MistakeTable } from "./_layer.ts";
import { columnStats, rowMap, tv } from "../judge/signatures.ts";
import { failWith, type Mistake, pass, ruleCheck, tensorCheck } from "../judge/compare.ts";
import {
  type Check,
  type Judge,
  type ProbeSpec,
  type TensorValue,
  tensorValue,
  type Value,
} from "../spec.ts";
import { Rng } from "./_rng.ts";

const EPS = 1e-3;

/** The mode of the training-mode cases, for the diagnosis across cases (the hidden part's too). */
export const TRAINING = { mode: "in training mode" };
const ALPHA = 0.9;

function normalise(x: Value, mean: ArrayLike<number>, variance: ArrayLike<number>, eps = EPS) {
  return rowMap(x, (row) => row.map((v, k) => (v - mean[k]) / Math.sqrt(variance[k] + eps)));
}

/** How a training-mode backward might have been derived (every field defaults to SPEC's). */
interface Derivation {
  /** EPS in the forward's x̂. */
  readonly epsForward?: number;
  /** EPS in backward's 1/√(σ² + ε). */
  readonly epsBack?: number;
  /** Which terms of ∂x̂/∂x are kept: both, only the mean's, or none (constant statistics). */
  readonly terms?: "all" | "mean" | "none";
  /** 1: the unbiased variance normalises the forward. */
  readonly ddof?: number;
  /** With `ddof` 1: differentiated exactly (Σ/(N − 1)), or with the biased formula's mean. */
  readonly exact?: boolean;
}

/** Training-mode gradInput through the batch statistics of `x`, derived as `d` says. */
function trainingBackward(x: Value, g: Value, d: Derivation = {}) {
  const { epsForward = EPS, epsBack = EPS, terms = "all", ddof = 0, exact = true } = d;
  const s = columnStats(x, ddof);
  const n = tv(x).shape[0];
  const xHat = tv(normalise(x, s.mean, s.variance, epsForward));
  const gm = columnStats(g).mean;
  const gx = columnStats(rowMap(g, (row, i) => row.map((v, k) => v * xHat.data[i * row.length + k]))).mean
    .map((m) => (exact ? m * n / (n - ddof) : m));
  return rowMap(g, (row, i) =>
    row.map((v, k) => {
      const centred = terms === "none"
        ? v
        : v - gm[k] - (terms === "all" ? xHat.data[i * row.length + k] * gx[k] : 0);
      return centred / Math.sqrt(s.variance[k] + epsBack);
    }));
}

/** BatchNormalization's classic mistakes in training mode (the hidden part names them too). */
export const BATCH_NORMALIZATION_MISTAKES: MistakeTable = {
  output: (p) => [{
    says: "the unbiased variance (÷ (N − 1)) is used instead of the biased one (÷ N)",
    hint: "SPEC.md: normalise by the biased batch variance, mean((x − μ)²)",
    value: (j) => {
      const x = j.plan(p, "input");
      const s = columnStats(x, 1);
      return normalise(x, s.mean, s.variance);
    },
  }, {
    says: "training mode normalises with the moving statistics (mean 0, variance 1 before the first update)",
    hint: "In training, normalise with the batch's μ and σ²; the moving statistics are only for evaluation",
    value: (j) => normalise(j.plan(p, "input"), new Array(64).fill(0), new Array(64).fill(1)),
  }, {
    says: "EPS is missing under the square root",
    hint: "(x − μ)/√(σ² + EPS) with BatchNormalization.EPS = 1e-3",
    value: (j) => {
      const x = j.plan(p, "input");
      const s = columnStats(x);
      return normalise(x, s.mean, s.variance, 0);
    },
  }, {
    says: "the statistics are taken over each row (axis 1) instead of each feature (axis 0)",
    value: (j) => {
      const x = j.plan(p, "input");
      return rowMap(x, (row) => {
        const m = row.reduce((a, b) => a + b, 0) / row.length;
        const v = row.reduce((a, b) => a + (b - m) ** 2, 0) / row.length;
        return row.map((y) => (y - m) / Math.sqrt(v + EPS));
      });
    },
  }],
  gradInput: (p) => [{
    says: "backward goes through the unbiased variance (÷ (N − 1)), as the forward does",
    hint: "SPEC.md: the biased variance (÷ N) in forward, and so in backward",
    value: (j) => [
      trainingBackward(j.plan(p, "input"), j.plan(p, "gradOutput"), { ddof: 1 }),
      trainingBackward(j.plan(p, "input"), j.plan(p, "gradOutput"), { ddof: 1, exact: false }),
    ],
  }, {
    says: "the batch mean and variance are treated as constants (gradOutput/√(σ² + EPS))",
    hint: "μ and σ² depend on every input of the batch: differentiate through them too",
    value: (j) => trainingBackward(j.plan(p, "input"), j.plan(p, "gradOutput"), { terms: "none" }),
  }, {
    says:
      "backward goes through the batch mean but not through the variance: the x̂·mean(gradOutput ⊙ x̂) term is missing",
    hint:
      "gradInput = (gradOutput − mean(gradOutput) − x̂ ⊙ mean(gradOutput ⊙ x̂)) / √(σ² + EPS), means over the batch",
    value: (j) => trainingBackward(j.plan(p, "input"), j.plan(p, "gradOutput"), { terms: "mean" }),
  }, {
    says: "backward divides by √σ²: EPS is missing there (the forward has it)",
    hint: "Keep 1/√(σ² + EPS) from the forward and use the same in backward",
    value: (j) => trainingBackward(j.plan(p, "input"), j.plan(p, "gradOutput"), { epsBack: 0 }),
  }, {
    says: "EPS is missing (forward and backward divide by √σ²)",
    hint: "(x − μ)/√(σ² + EPS) with BatchNormalization.EPS = 1e-3, and the same in backward",
    value: (j) =>
      trainingBackward(j.plan(p, "input"), j.plan(p, "gradOutput"), { epsBack: 0, epsForward: 0 }),
  }],
};

const base = layerSpec("batch_normalization", {
  className: "BatchNormalization",
  args: [],
  fill: (rng, n) => rng.array(n, -1, 3),
  cases: [
    { id: "batch2", label: "a batch of 2", shape: [2, 3] },
    { id: "rect", label: "an 8×5 batch", shape: [8, 5], gradcheck: true },
    { id: "large", label: "a 32×6 batch (alpha 0.5)", shape: [32, 6], args: [0.5] },
  ],
  mistakes: BATCH_NORMALIZATION_MISTAKES,
  traits: TRAINING,
});

/** The `moving` probe: `batches` training batches drawn by `batch(rng, b)`, then an evaluation batch. */
export function movingProbe(
  id: string,
  alpha: number,
  batches: number,
  batch: (rng: Rng, b: number) => TensorValue,
  evaluation: (rng: Rng) => TensorValue,
  backward: boolean,
): ProbeSpec {
  return {
    id,
    plan: (seed, label = id) => {
      const rng = new Rng(seed, label);
      const inputs: Record<string, TensorValue> = {};
      for (let b = 0; b < batches; b++) inputs[`batch.${b}`] = batch(rng, b);
      inputs.evalInput = evaluation(rng);
      if (backward) {
        const [n, d] = inputs.evalInput.shape;
        inputs.evalGradOutput = tensorValue([n, d], rng.array(n * d, -1, 1));
      }
      return { id: label, kind: "moving", kitSeed: seed, settings: { alpha, batches, backward }, inputs };
    },
  };
}

/** How the moving statistics might have been kept. */
type Keeping = "right" | "unbiased" | "swapped" | "first-batch" | "never" | "last-batch" | "std";

/** The moving statistics after the probe's batches, kept the `how` way. */
function movingStats(j: Judge, probe: string, alpha: number, batches: number, how: Keeping) {
  const d = tv(j.plan(probe, "batch.0")).shape[1];
  let mean = new Array<number>(d).fill(0);
  let variance = new Array<number>(d).fill(1);
  for (let b = 0; b < batches; b++) {
    const s = columnStats(j.plan(probe, `batch.${b}`), how === "unbiased" ? 1 : 0);
    if (how === "never") break;
    if (how === "std") s.variance = s.variance.map(Math.sqrt);
    if (how === "first-batch" && b === 0) [mean, variance] = [s.mean, s.variance];
    const [keep, take] = how === "swapped"
      ? [1 - alpha, alpha]
      : how === "last-batch"
      ? [0, 1]
      : [alpha, 1 - alpha];
    mean = mean.map((m, k) => keep * m + take * s.mean[k]);
    variance = variance.map((v, k) => keep * v + take * s.variance[k]);
  }
  return { mean, variance };
}

const vec = (xs: number[]) => ({ shape: [xs.length], data: new Float64Array(xs) });

/** Said when evaluation mode is right with the student's own (wrong) moving statistics. */
const MOVING_FOLLOWS =
  "evaluation mode is right with your moving statistics: those are what is wrong (see movingMean and movingVariance)";

const MOVING_SHAPE = "the moving statistics are not [D] tensors (an axis kept by keepdims?)";

/** The moving-statistics and evaluation checks of a `moving` probe (public and hidden). */
export function movingChecks(o: {
  probe: string;
  alpha: number;
  batches: number;
  prefix?: string;
  points: { mean: number; variance: number; output: number };
  names: { mean: string; variance: string; output: string };
}): Check[] {
  const { probe, alpha, batches } = o;
  const prefix = o.prefix ?? "";
  const mistake = (says: string, how: Keeping, key: "mean" | "variance", hint?: string): Mistake => ({
    says,
    ...(hint ? { hint } : {}),
    value: (j) => vec(movingStats(j, probe, alpha, batches, how)[key]),
  });
  const common = (key: "mean" | "variance"): Mistake[] => [
    mistake(
      "alpha and 1 − alpha are swapped in the moving-average update",
      "swapped",
      key,
      "moving = alpha·moving + (1 − alpha)·batch: alpha is how much of the old value is kept",
    ),
    mistake(
      "the moving statistics start from the first batch's instead of mean 0 and variance 1",
      "first-batch",
      key,
      "SPEC.md: before the first training batch the moving mean is 0 and the moving variance 1; the first batch is averaged in like the others",
    ),
    mistake(
      "the moving statistics are replaced by each batch's (alpha is not used)",
      "last-batch",
      key,
      "moving = alpha·moving + (1 − alpha)·batch, with the alpha given to the constructor",
    ),
  ];
  const about = (result: string, label: string) => ({
    result,
    against: "reference" as const,
    probe,
    label,
    traits: { arguments: `new BatchNormalization(${alpha})`, mode: "in evaluation mode" },
  });
  return [
    tensorCheck({
      id: `${prefix}moving.mean`,
      name: o.names.mean,
      points: o.points.mean,
      what: "movingMean",
      got: [probe, "movingMean"],
      mistakes: common("mean"),
      about: about("movingMean", o.names.mean),
    }),
    tensorCheck({
      id: `${prefix}moving.variance`,
      name: o.names.variance,
      points: o.points.variance,
      what: "movingVariance",
      got: [probe, "movingVariance"],
      mistakes: [
        mistake(
          "the moving variance is updated with the unbiased batch variance",
          "unbiased",
          "variance",
          "SPEC.md: the moving variance averages the biased batch variance (unlike PyTorch)",
        ),
        mistake(
          "the moving variance averages the batch's standard deviation (√σ²), not its variance",
          "std",
          "variance",
          "moving variance = alpha·moving + (1 − alpha)·σ², with σ² the biased batch variance",
        ),
        ...common("variance"),
      ],
      about: about("movingVariance", o.names.variance),
    }),
    tensorCheck({
      id: `${prefix}eval.output`,
      name: o.names.output,
      points: o.points.output,
      what: "output in evaluation mode",
      got: [probe, "evalOutput"],
      mistakes: [{
        says: "evaluation mode still uses the batch statistics",
        hint: "After evaluate(), normalise with movingMean and movingVariance",
        value: (judge) => {
          const x = judge.plan(probe, "evalInput");
          const s = columnStats(x);
          return normalise(x, s.mean, s.variance);
        },
      }, {
        says: MOVING_FOLLOWS,
        hint: "Fix the moving-average update first",
        value: (judge) =>
          normalise(
            judge.plan(probe, "evalInput"),
            tv(judge.student(probe, "movingMean")).data,
            tv(judge.student(probe, "movingVariance")).data,
          ),
      }],
      about: about("output", o.names.output),
    }),
  ];
}

/** The spec. */
export const spec = {
  lesson: base.lesson,
  probes: [
    ...base.probes,
    movingProbe(
      "moving",
      ALPHA,
      3,
      (rng) => tensorValue([6, 4], rng.array(6 * 4, -1, 4)),
      (rng) => tensorValue([5, 4], rng.array(5 * 4, -1, 4)),
      true,
    ),
  ],
  checks: [
    ...base.checks,
    ...movingChecks({
      probe: "moving",
      alpha: ALPHA,
      batches: 3,
      points: { mean: 2, variance: 2, output: 2 },
      names: {
        mean: "movingMean after three training batches (alpha 0.9)",
        variance: "movingVariance after three training batches (alpha 0.9)",
        output: "evaluation mode normalises with the moving statistics",
      },
    }),
    tensorCheck({
      id: "eval.gradInput",
      name: "evaluation-mode backward (constant statistics)",
      points: 1,
      what: "gradInput in evaluation mode",
      got: ["moving", "evalGradInput"],
      mistakes: [{
        says: MOVING_FOLLOWS,
        hint: "Fix the moving-average update first",
        value: (j) => {
          const v = tv(j.student("moving", "movingVariance")).data;
          return rowMap(
            j.plan("moving", "evalGradOutput"),
            (row) => row.map((g, k) => g / Math.sqrt(v[k] + EPS)),
          );
        },
      }, {
        says: "evaluation-mode backward divides by the batch's √(σ² + EPS) instead of the moving variance's",
        value: (j) =>
          trainingBackward(j.plan("moving", "evalInput"), j.plan("moving", "evalGradOutput"), {
            terms: "none",
          }),
      }],
      about: {
        result: "gradInput",
        against: "reference",
        probe: "moving",
        traits: { mode: "in evaluation mode" },
      },
    }),
    ruleCheck({
      id: "eval.frozen",
      name: "evaluation mode leaves movingMean and movingVariance unchanged",
      points: 1,
      gate: ["moving.mean", "moving.variance"],
      signatures: ["the moving statistics are updated in evaluation mode too"],
      judge: (j) => {
        for (const key of ["movingMean", "movingVariance"]) {
          const before = tv(j.student("moving", key));
          const after = tv(j.student("moving", `${key}AfterEval`));
          const same = before.shape.join() === after.shape.join() &&
            before.data.every((v, i) => Object.is(v, after.data[i]));
          if (!same) {
            return failWith(
              `${key} changed during an evaluation-mode forward (seed ${j.seed})`,
              "the moving statistics are updated in evaluation mode too",
              "Update movingMean and movingVariance only when this.training is true",
            );
          }
        }
        return pass;
      },
    }),
    ruleCheck({
      id: "moving.shapes",
      name: "movingMean and movingVariance are [D] tensors",
      points: 1,
      gate: ["eval.output"],
      signatures: [MOVING_SHAPE],
      judge: (j) => {
        const m = tv(j.student("moving", "movingMean"));
        const v = tv(j.student("moving", "movingVariance"));
        return m.shape.join() === "4" && v.shape.join() === "4" ? pass : failWith(
          `movingMean has shape [${m.shape}] and movingVariance [${v.shape}], expected [4] (seed ${j.seed})`,
          MOVING_SHAPE,
          "mean(0) and variance(0) without keepdims give [D] tensors",
        );
      },
    }),
  ],
};
