import assert from "node:assert/strict";
import { Tensor } from "../lib/tensor.ts";
import { sgdMomentum } from "./sgd_momentum.ts";
import { assertTensorClose } from "../testing/asserts.ts";
import { quadGradients, type QuadVariable, startingPoint } from "../testing/quadratic.ts";
import ref from "../testing/torch_reference.json" with { type: "json" };

// Departure from torch: torch.optim.SGD keeps the learning rate outside the velocity
// (v = μv + g; x −= lr·v), SPEC inside (v = μv + lr·g; x −= v). With a constant learning rate
// the velocities differ by the factor lr and the parameter trajectories are equal.
Deno.test("sgdMomentum follows torch.optim.SGD(momentum) step by step on a quadratic", () => {
  const r = ref.sgd_momentum;
  const problem = r.problem as QuadVariable[][];
  const xs = startingPoint(problem);
  const objects = xs.flat();
  const state = {};
  r.trajectory.forEach((expected, step) => {
    sgdMomentum(
      xs,
      quadGradients(problem, xs),
      { learningRate: r.learningRate, momentum: r.momentum },
      state,
    );
    xs.forEach((group, i) => {
      group.forEach((x, j) =>
        assertTensorClose(x, expected[i][j], `step ${step + 1}, variable [${i}][${j}]`)
      );
    });
  });
  assert.ok(xs.flat().every((x, i) => x === objects[i]), "variables must be updated in place");
});

Deno.test("sgdMomentum keeps its velocity in state", async (t) => {
  await t.step("by hand: v = momentum·v + learningRate·g, x -= v", () => {
    const x = Tensor.from([[1, 1]]);
    const state: Record<string, unknown> = {};
    const config = { learningRate: 0.5, momentum: 0.5 };
    sgdMomentum([[x]], [[Tensor.from([[2, -2]])]], config, state); // v = (1, −1)
    sgdMomentum([[x]], [[Tensor.from([[0, 0]])]], config, state); // v = (0.5, −0.5)
    assert.deepEqual(x.toArray(), [[-0.5, 2.5]]);
  });
  await t.step("a fresh state restarts the velocity at 0", () => {
    const x = Tensor.from([0]);
    sgdMomentum([[x]], [[Tensor.from([1])]], { learningRate: 1, momentum: 0.9 }, {});
    sgdMomentum([[x]], [[Tensor.from([1])]], { learningRate: 1, momentum: 0.9 }, {});
    assert.deepEqual(x.toArray(), [-2]);
  });
  await t.step("gradients are not modified", () => {
    const g = Tensor.from([1, 2]);
    sgdMomentum([[Tensor.zeros([2])]], [[g]], { learningRate: 0.1, momentum: 0.9 }, {});
    assert.deepEqual(g.toArray(), [1, 2]);
  });
});

Deno.test("sgdMomentum rejects bad arguments with a clear error", async (t) => {
  const x = Tensor.zeros([2]);
  const config = { learningRate: 0.1, momentum: 0.9 };
  await t.step("a flat list instead of one list per module", () => {
    assert.throws(
      () => sgdMomentum([x] as unknown as Tensor[][], [x] as unknown as Tensor[][], config, {}),
      new TypeError(
        "sgdMomentum: expected variables as one list of tensors per module (Tensor[][]), received a list with a non-list entry",
      ),
    );
  });
  await t.step("structures that differ", () => {
    assert.throws(
      () => sgdMomentum([[x], []], [[x]], config, {}),
      new TypeError(
        "sgdMomentum: expected gradients with the structure of variables (list lengths [1, 0]), received [1]",
      ),
    );
  });
  await t.step("a gradient of another shape", () => {
    assert.throws(
      () => sgdMomentum([[x]], [[Tensor.zeros([3])]], config, {}),
      new TypeError("sgdMomentum: expected gradients[0][0] of shape [2], received [3]"),
    );
  });
  await t.step("a state used with other variables", () => {
    const state = {};
    sgdMomentum([[x]], [[x]], config, state);
    assert.throws(
      () => sgdMomentum([[x, x]], [[x, x]], config, state),
      /state.velocities to hold one tensor per variable/,
    );
  });
  await t.step("momentum out of range", () => {
    assert.throws(
      () => sgdMomentum([[x]], [[x]], { learningRate: 0.1, momentum: 1 }, {}),
      new RangeError("sgdMomentum: expected momentum in [0, 1), received 1"),
    );
  });
});
