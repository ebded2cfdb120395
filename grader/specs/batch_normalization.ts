/**
 * BatchNormalization: training-mode forward and backward (batch statistics,
 * biased variance, EPS) on several shapes with central differences; moving
 * statistics after several batches; evaluation mode with them.
 *
 * @module
 */

import { layerSpec } from "./_layer.ts";
import { columnStats, rowMap, tv } from "../judge/signatures.ts";
import { failWith, type Mistake, pass, ruleCheck, tensorCheck } from "../judge/compare.ts";
import { type ProbeSpec, type TensorValue, tensorValue, type Value } from "../spec.ts";
import { Rng } from "./_rng.ts";

const EPS = 1e-3;
const ALPHA = 0.9;

function normalise(x: Value, mean: number[], variance: number[], eps = EPS) {
  return rowMap(x, (row) => row.map((v, k) => (v - mean[k]) / Math.sqrt(variance[k] + eps)));
}

const base = layerSpec("batch_normalization", {
  className: "BatchNormalization",
  args: [],
  fill: (rng, n) => rng.array(n, -1, 3),
  cases: [
    { id: "batch2", label: "a batch of 2", shape: [2, 3] },
    { id: "rect", label: "an 8×5 batch", shape: [8, 5], gradcheck: true },
    { id: "large", label: "a 32×6 batch (alpha 0.5)", shape: [32, 6], args: [0.5] },
  ],
  mistakes: {
    output: (p) => [{
      says: "the unbiased variance (÷ (N − 1)) is used instead of the biased one (÷ N)",
      hint: "SPEC.md: normalise by the biased batch variance, mean((x − μ)²)",
      value: (j) => {
        const x = j.plan(p, "input");
        const s = columnStats(x, 1);
        return normalise(x, s.mean, s.variance);
      },
    }, {
      says:
        "training mode normalises with the moving statistics (mean 0, variance 1 before the first update)",
      hint: "In training, normalise with the batch's μ and σ²; the moving statistics are only for evaluation",
      value: (j) => normalise(j.plan(p, "input"), [0, 0, 0, 0, 0, 0, 0, 0], new Array(8).fill(1)),
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
      says: "the batch mean and variance are treated as constants (gradOutput/√(σ² + EPS))",
      hint: "μ and σ² depend on every input of the batch: differentiate through them too",
      value: (j) => {
        const s = columnStats(j.plan(p, "input"));
        return rowMap(
          j.plan(p, "gradOutput"),
          (row) => row.map((g, k) => g / Math.sqrt(s.variance[k] + EPS)),
        );
      },
    }],
  },
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

const moving = movingProbe(
  "moving",
  ALPHA,
  3,
  (rng) => tensorValue([6, 4], rng.array(6 * 4, -1, 4)),
  (rng) => tensorValue([5, 4], rng.array(5 * 4, -1, 4)),
  true,
);

function movingStats(j: { plan(p: string, k: string): Value }, unbiased: boolean, swapped: boolean) {
  let mean = [0, 0, 0, 0];
  let variance = [1, 1, 1, 1];
  for (let b = 0; b < 3; b++) {
    const s = columnStats(j.plan("moving", `batch.${b}`), unbiased ? 1 : 0);
    const [keep, take] = swapped ? [1 - ALPHA, ALPHA] : [ALPHA, 1 - ALPHA];
    mean = mean.map((m, k) => keep * m + take * s.mean[k]);
    variance = variance.map((v, k) => keep * v + take * s.variance[k]);
  }
  return { mean, variance };
}

const vec = (xs: number[]) => ({ shape: [xs.length], data: new Float64Array(xs) });
const swappedMistake = (key: "mean" | "variance"): Mistake => ({
  says: "alpha and 1 − alpha are swapped in the moving-average update",
  hint: "moving = alpha·moving + (1 − alpha)·batch: alpha is how much of the old value is kept",
  value: (j) => vec(movingStats(j, false, true)[key]),
});

/** The spec. */
export const spec = {
  lesson: base.lesson,
  probes: [...base.probes, moving],
  checks: [
    ...base.checks,
    tensorCheck({
      id: "moving.mean",
      name: "movingMean after three training batches (alpha 0.9)",
      points: 2,
      what: "movingMean",
      got: ["moving", "movingMean"],
      mistakes: [swappedMistake("mean")],
    }),
    tensorCheck({
      id: "moving.variance",
      name: "movingVariance after three training batches (alpha 0.9)",
      points: 2,
      what: "movingVariance",
      got: ["moving", "movingVariance"],
      mistakes: [{
        says: "the moving variance is updated with the unbiased batch variance",
        hint: "SPEC.md: the moving variance averages the biased batch variance (unlike PyTorch)",
        value: (j) => vec(movingStats(j, true, false).variance),
      }, swappedMistake("variance")],
    }),
    tensorCheck({
      id: "eval.output",
      name: "evaluation mode normalises with the moving statistics",
      points: 2,
      what: "output in evaluation mode",
      got: ["moving", "evalOutput"],
      mistakes: [{
        says: "evaluation mode still uses the batch statistics",
        hint: "After evaluate(), normalise with movingMean and movingVariance",
        value: (j) => {
          const x = j.plan("moving", "evalInput");
          const s = columnStats(x);
          return normalise(x, s.mean, s.variance);
        },
      }],
    }),
    tensorCheck({
      id: "eval.gradInput",
      name: "evaluation-mode backward (constant statistics)",
      points: 1,
      what: "gradInput in evaluation mode",
      got: ["moving", "evalGradInput"],
    }),
    ruleCheck({
      id: "eval.frozen",
      name: "evaluation mode leaves movingMean and movingVariance unchanged",
      points: 1,
      gate: ["moving.mean", "moving.variance"],
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
      judge: (j) => {
        const m = tv(j.student("moving", "movingMean"));
        const v = tv(j.student("moving", "movingVariance"));
        return m.shape.join() === "4" && v.shape.join() === "4" ? pass : failWith(
          `movingMean has shape [${m.shape}] and movingVariance [${v.shape}], expected [4] (seed ${j.seed})`,
        );
      },
    }),
  ],
};
