import assert from "node:assert/strict";
import { Tensor } from "../lib/tensor.ts";
import { seed } from "../lib/random.ts";
import { Flatten } from "./flatten.ts";
import { assertTensorClose } from "../testing/asserts.ts";
import { assertModuleContract } from "../testing/contract.ts";
import ref from "../testing/torch_reference.json" with { type: "json" };

Deno.test("Flatten matches torch.flatten(x, 1) forward and backward", () => {
  const c = ref.flatten;
  const x = Tensor.from(c.input);
  const f = new Flatten();
  assertTensorClose(f.forward(x), c.output, "output", { rtol: 0, atol: 0 });
  assertTensorClose(f.backward(x, Tensor.from(c.gradOutput)), c.gradInput, "gradInput", { rtol: 0, atol: 0 });
});

Deno.test("Flatten keeps the module contract", async (t) => {
  await t.step("rank 4", () => {
    seed(161);
    assertModuleContract(new Flatten(), Tensor.normal([2, 3, 2, 2]), { seed: 161 });
  });
  await t.step("rank 2 is unchanged, batch size 1", () => {
    seed(162);
    const x = Tensor.normal([1, 5]);
    assertModuleContract(new Flatten(), x, { seed: 162 });
    assert.ok(new Flatten().forward(x).equals(x));
  });
});

Deno.test("Flatten rejects bad input with a clear error", () => {
  assert.throws(
    () => new Flatten().forward(Tensor.zeros([5])),
    new TypeError("Flatten: expected input of shape [N, ...], received [5]"),
  );
  assert.throws(
    () => new Flatten().backward(Tensor.zeros([2, 3, 4]), Tensor.zeros([2, 3, 4])),
    new TypeError("Flatten: expected gradOutput of shape [2, 12], received [2, 3, 4]"),
  );
});
