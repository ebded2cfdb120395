import assert from "node:assert/strict";
import { Tensor } from "../lib/tensor.ts";
import { seed } from "../lib/random.ts";
import { LogSoftMax } from "./log_softmax.ts";
import { assertTensorClose } from "../testing/asserts.ts";
import { assertModuleGradients } from "../testing/gradcheck.ts";
import { assertModuleContract } from "../testing/contract.ts";
import ref from "../testing/torch_reference.json" with { type: "json" };

Deno.test("LogSoftMax matches torch.log_softmax, rows of magnitude 1e3-1e4 included", () => {
  const x = Tensor.from(ref.log_softmax.input);
  const m = new LogSoftMax();
  assertTensorClose(m.forward(x), ref.log_softmax.output, "output", { rtol: 1e-12, atol: 1e-12 });
  assertTensorClose(
    m.backward(x, Tensor.from(ref.log_softmax.gradOutput)),
    ref.log_softmax.gradInput,
    "gradInput",
    {
      rtol: 1e-10,
      atol: 1e-12,
    },
  );
});

Deno.test("LogSoftMax gradient matches central differences", () => {
  seed(41);
  assertModuleGradients(new LogSoftMax(), Tensor.normal([4, 5]).mul(2), { seed: 41 });
});

Deno.test("LogSoftMax is finite and exact for inputs of magnitude 1e3 and 1e4", async (t) => {
  for (const v of [1e3, 1e4]) {
    await t.step(`±${v}`, () => {
      const m = new LogSoftMax();
      const x = Tensor.from([[v, v, -v], [-v, -v, -v]]);
      const y = m.forward(x);
      assertTensorClose(y, [[-Math.LN2, -Math.LN2, -2 * v - Math.LN2], [
        -Math.log(3),
        -Math.log(3),
        -Math.log(3),
      ]], "output");
      const g = m.backward(x, Tensor.from([[1, 2, 3], [1, 1, 1]]));
      // gradInput = G − softmax·ΣG: row 0 softmax (½, ½, 0), ΣG = 6; row 1 sums to zero.
      assertTensorClose(g, [[-2, -1, 3], [0, 0, 0]], "gradInput", { atol: 1e-14 });
    });
  }
});

Deno.test("LogSoftMax keeps the module contract", async (t) => {
  await t.step("contract", () => {
    seed(42);
    assertModuleContract(new LogSoftMax(), Tensor.normal([3, 4]), { seed: 42 });
  });
  await t.step("batch size 1", () => {
    seed(43);
    assertModuleContract(new LogSoftMax(), Tensor.normal([1, 4]), { seed: 43 });
  });
});

Deno.test("LogSoftMax rejects input that is not [N, D]", () => {
  assert.throws(
    () => new LogSoftMax().forward(Tensor.zeros([5])),
    new TypeError("LogSoftMax: expected input of shape [N, D], received [5]"),
  );
});
