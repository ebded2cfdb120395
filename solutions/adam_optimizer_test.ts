import assert from "node:assert/strict";
import { Tensor } from "../lib/tensor.ts";
import { adamOptimizer } from "./adam_optimizer.ts";
import { assertTensorClose } from "../testing/asserts.ts";
import { quadGradients, type QuadVariable, startingPoint } from "../testing/quadratic.ts";
import ref from "../testing/torch_reference.json" with { type: "json" };

function run(problem: QuadVariable[][], config: typeof ref.adam.config, steps: number): Tensor[][][] {
  const xs = startingPoint(problem);
  const objects = xs.flat();
  const state: Record<string, unknown> = {};
  const trajectory: Tensor[][][] = [];
  for (let s = 0; s < steps; s++) {
    adamOptimizer(xs, quadGradients(problem, xs), config, state);
    trajectory.push(xs.map((g) => g.map((x) => x.clone())));
  }
  assert.equal(state.t, steps);
  assert.ok(xs.flat().every((x, i) => x === objects[i]), "variables must be updated in place");
  return trajectory;
}

// Departure from torch: SPEC adds epsilon to √v after folding the bias corrections into lrₜ, torch
// adds it to the bias-corrected √v̂. The reference is SPEC's formula in numpy (same script); torch
// is a cross-check with an epsilon so small that the two formulas agree.
Deno.test("adamOptimizer follows SPEC's formula (numpy) step by step on a quadratic", () => {
  const r = ref.adam;
  const got = run(r.problem as QuadVariable[][], r.config, r.trajectory.length);
  r.trajectory.forEach((expected, step) => {
    got[step].forEach((group, i) => {
      group.forEach((x, j) =>
        assertTensorClose(x, expected[i][j], `step ${step + 1}, variable [${i}][${j}]`)
      );
    });
  });
});

Deno.test("adamOptimizer agrees with torch.optim.Adam when epsilon is negligible", () => {
  const r = ref.adam;
  const got = run(
    r.problem as QuadVariable[][],
    { ...r.config, epsilon: r.torchTinyEpsilon },
    r.trajectory.length,
  );
  r.torchTrajectory.forEach((expected, step) => {
    got[step].forEach((group, i) => {
      group.forEach((x, j) =>
        assertTensorClose(x, expected[i][j], `step ${step + 1}, variable [${i}][${j}]`)
      );
    });
  });
});

Deno.test("adamOptimizer keeps t, m and v in state", async (t) => {
  const config = { learningRate: 0.1, beta1: 0.5, beta2: 0.75, epsilon: 0 };
  await t.step("by hand, two steps", () => {
    const x = Tensor.from([0]);
    const state: Record<string, unknown> = {};
    adamOptimizer([[x]], [[Tensor.from([2])]], config, state);
    // t = 1: m = 1, v = 1, lr₁ = 0.1·√0.25/0.5 = 0.1, x = −0.1.
    assertTensorClose(x, [-0.1], "x after step 1");
    adamOptimizer([[x]], [[Tensor.from([0])]], config, state);
    // t = 2: m = 0.5, v = 0.75, lr₂ = 0.1·√(1 − 0.5625)/0.75, x −= lr₂·0.5/√0.75.
    const lr2 = 0.1 * Math.sqrt(1 - 0.5625) / 0.75;
    assertTensorClose(x, [-0.1 - lr2 * 0.5 / Math.sqrt(0.75)], "x after step 2");
    assert.equal(state.t, 2);
  });
  await t.step("gradients are not modified", () => {
    const g = Tensor.from([1, -2]);
    adamOptimizer([[Tensor.zeros([2])]], [[g]], { ...config, epsilon: 1e-8 }, {});
    assert.deepEqual(g.toArray(), [1, -2]);
  });
});

Deno.test("adamOptimizer rejects bad arguments with a clear error", () => {
  const x = Tensor.zeros([2]);
  assert.throws(
    () => adamOptimizer([[x]], [[x]], { learningRate: 0.1, beta1: 1, beta2: 0.999, epsilon: 1e-8 }, {}),
    new RangeError("adamOptimizer: expected beta1 in [0, 1), received 1"),
  );
  assert.throws(
    () =>
      adamOptimizer([[x]], [[Tensor.zeros([2, 1])]], {
        learningRate: 0.1,
        beta1: 0.9,
        beta2: 0.999,
        epsilon: 1e-8,
      }, {}),
    new TypeError("adamOptimizer: expected gradients[0][0] of shape [2], received [2, 1]"),
  );
});
