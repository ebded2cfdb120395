import assert from "node:assert/strict";
import { Tensor } from "../lib/tensor.ts";
import { seed } from "../lib/random.ts";
import { SoftPlus } from "./softplus.ts";
import { assertTensorClose } from "../testing/asserts.ts";
import { assertModuleGradients } from "../testing/gradcheck.ts";
import { assertModuleContract } from "../testing/contract.ts";
import ref from "../testing/torch_reference.json" with { type: "json" };

// Departure from torch: its Softplus returns x itself above threshold=20; the reference uses
// threshold=1e9, i.e. the exact log(1 + eˣ) that SPEC asks for, on moderate inputs.
Deno.test("SoftPlus matches torch softplus (exact branch) forward and backward", () => {
  const c = ref.softplus;
  const m = new SoftPlus();
  const x = Tensor.from(c.input);
  assertTensorClose(m.forward(x), c.output, "output", { rtol: 1e-13, atol: 1e-15 });
  assertTensorClose(m.backward(x, Tensor.from(c.gradOutput)), c.gradInput, "gradInput", {
    rtol: 1e-13,
    atol: 1e-15,
  });
});

Deno.test("SoftPlus gradient matches central differences", () => {
  seed(101);
  assertModuleGradients(new SoftPlus(), Tensor.normal([3, 4]).mul(3), { seed: 101 });
});

Deno.test("SoftPlus is exact and finite for inputs of magnitude 1e3 and 1e4", () => {
  const m = new SoftPlus();
  const x = Tensor.from([1e3, -1e3, 1e4, -1e4, 40, -40, 0]);
  // By hand: log(1 + eˣ) = x + log1p(e⁻ˣ) for x > 0; for x ≪ 0 it is eˣ (which underflows to 0 at −1e3).
  const expected = [1e3, 0, 1e4, 0, 40 + Math.exp(-40), Math.exp(-40), Math.LN2];
  assertTensorClose(m.forward(x), expected, "output", { rtol: 1e-15, atol: 0 });
  const g = m.backward(x, Tensor.ones([7]));
  assertTensorClose(g, [1, 0, 1, 0, 1 / (1 + Math.exp(-40)), Math.exp(-40), 0.5], "gradInput", {
    rtol: 1e-15,
    atol: 0,
  });
});

Deno.test("SoftPlus keeps the module contract", async (t) => {
  await t.step("rank 4", () => {
    seed(102);
    assertModuleContract(new SoftPlus(), Tensor.normal([2, 2, 3, 3]), { seed: 102 });
  });
  await t.step("batch size 1", () => {
    seed(103);
    assertModuleContract(new SoftPlus(), Tensor.normal([1, 4]), { seed: 103 });
  });
});

Deno.test("SoftPlus rejects a gradOutput of another shape", () => {
  assert.throws(
    () => new SoftPlus().backward(Tensor.zeros([2, 2]), Tensor.zeros([4])),
    new TypeError("SoftPlus: expected gradOutput of shape [2, 2], received [4]"),
  );
});
