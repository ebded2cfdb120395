import assert from "node:assert/strict";
import { Tensor } from "../lib/tensor.ts";
import { seed } from "../lib/random.ts";
import { ReLU } from "./relu.ts";
import { assertTensorClose } from "../testing/asserts.ts";
import { assertModuleGradients } from "../testing/gradcheck.ts";
import { assertModuleContract } from "../testing/contract.ts";
import ref from "../testing/torch_reference.json" with { type: "json" };

Deno.test("ReLU matches torch.relu forward and backward", () => {
  const x = Tensor.from(ref.relu.input);
  const relu = new ReLU();
  assertTensorClose(relu.forward(x), ref.relu.output, "output", { rtol: 0, atol: 0 });
  assertTensorClose(relu.backward(x, Tensor.from(ref.relu.gradOutput)), ref.relu.gradInput, "gradInput");
});

Deno.test("ReLU gradient matches central differences away from 0", () => {
  seed(11);
  const x = Tensor.normal([3, 4]);
  x.addInPlace(x.sign().mul(0.1)); // keep every input at least 0.1 from the kink
  assertModuleGradients(new ReLU(), x, { seed: 11 });
});

Deno.test("ReLU has gradient 0 at exactly 0 and accepts any shape", async (t) => {
  await t.step("kink", () => {
    const relu = new ReLU();
    const x = Tensor.from([[0, -0, 1e-300, -1e-300]]);
    assert.deepEqual(relu.forward(x).toArray(), [[0, 0, 1e-300, 0]]);
    assert.deepEqual(relu.backward(x, Tensor.from([[2, 2, 2, 2]])).toArray(), [[0, 0, 2, 0]]);
  });
  await t.step("rank 4 input (after a Conv2d)", () => {
    seed(12);
    assertModuleContract(new ReLU(), Tensor.normal([2, 3, 2, 2]), { seed: 12 });
  });
  await t.step("batch size 1", () => {
    seed(13);
    assertModuleContract(new ReLU(), Tensor.normal([1, 5]), { seed: 13 });
  });
});

Deno.test("ReLU rejects a gradOutput of another shape", () => {
  assert.throws(
    () => new ReLU().backward(Tensor.zeros([2, 3]), Tensor.zeros([3, 2])),
    new TypeError("ReLU: expected gradOutput of shape [2, 3], received [3, 2]"),
  );
  assert.throws(
    () => new ReLU().forward([1, 2] as unknown as Tensor),
    new TypeError("ReLU: expected input to be a Tensor, received an array"),
  );
});
