import assert from "node:assert/strict";
import { Tensor } from "../lib/tensor.ts";
import { seed } from "../lib/random.ts";
import { SoftMax } from "./softmax.ts";
import { assertTensorClose } from "../testing/asserts.ts";
import { assertModuleGradients } from "../testing/gradcheck.ts";
import { assertModuleContract } from "../testing/contract.ts";
import ref from "../testing/torch_reference.json" with { type: "json" };

Deno.test("SoftMax matches torch.softmax, rows of magnitude 1e3-1e4 included", () => {
  const x = Tensor.from(ref.softmax.input);
  const m = new SoftMax();
  assertTensorClose(m.forward(x), ref.softmax.output, "output", { rtol: 1e-10, atol: 1e-300 });
  assertTensorClose(m.backward(x, Tensor.from(ref.softmax.gradOutput)), ref.softmax.gradInput, "gradInput", {
    rtol: 1e-9,
    atol: 1e-14,
  });
});

Deno.test("SoftMax gradient matches central differences", () => {
  seed(31);
  assertModuleGradients(new SoftMax(), Tensor.normal([4, 5]).mul(2), { seed: 31 });
});

Deno.test("SoftMax is finite and exact for inputs of magnitude 1e3 and 1e4", async (t) => {
  for (const v of [1e3, 1e4]) {
    await t.step(`±${v}`, () => {
      const m = new SoftMax();
      const x = Tensor.from([[v, v, -v], [-v, -v, -v], [v, v - Math.log(3), 0]]);
      const y = m.forward(x);
      assertTensorClose(y, [[0.5, 0.5, 0], [1 / 3, 1 / 3, 1 / 3], [0.75, 0.25, 0]], "output", {
        atol: 1e-15,
      });
      const g = m.backward(x, Tensor.from([[1, 2, 3], [1, 2, 3], [1, 0, 0]]));
      assert.ok(g.data.every(Number.isFinite), `gradInput not finite at ±${v}: ${g}`);
      // Row 0: s = (½, ½, 0), G·s = 1.5, gradInput = s ⊙ (G − 1.5).
      assertTensorClose(g.slice([0, 1]), [[-0.25, 0.25, 0]], "gradInput row 0", { atol: 1e-15 });
    });
  }
});

Deno.test("SoftMax keeps the module contract", async (t) => {
  await t.step("contract", () => {
    seed(32);
    assertModuleContract(new SoftMax(), Tensor.normal([3, 4]), { seed: 32 });
  });
  await t.step("batch size 1", () => {
    seed(33);
    assertModuleContract(new SoftMax(), Tensor.normal([1, 4]), { seed: 33 });
  });
});

Deno.test("SoftMax rejects input that is not [N, D]", () => {
  assert.throws(
    () => new SoftMax().forward(Tensor.zeros([2, 3, 4])),
    new TypeError("SoftMax: expected input of shape [N, D], received [2, 3, 4]"),
  );
});
