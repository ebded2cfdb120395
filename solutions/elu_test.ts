import assert from "node:assert/strict";
import { Tensor } from "../lib/tensor.ts";
import { seed } from "../lib/random.ts";
import { ELU } from "./elu.ts";
import { assertTensorClose } from "../testing/asserts.ts";
import { assertModuleGradients } from "../testing/gradcheck.ts";
import { assertModuleContract } from "../testing/contract.ts";
import ref from "../testing/torch_reference.json" with { type: "json" };

Deno.test("ELU matches torch elu forward and backward", async (t) => {
  for (const c of ref.elu) {
    await t.step(`alpha ${c.alpha}`, () => {
      const m = new ELU(c.alpha);
      const x = Tensor.from(c.input);
      assertTensorClose(m.forward(x), c.output, "output", { rtol: 1e-13, atol: 1e-15 });
      assertTensorClose(m.backward(x, Tensor.from(c.gradOutput)), c.gradInput, "gradInput", {
        rtol: 1e-13,
        atol: 1e-15,
      });
    });
  }
});

Deno.test("ELU gradient matches central differences away from 0", () => {
  seed(91);
  const x = Tensor.normal([3, 4]);
  x.addInPlace(x.sign().mul(0.1));
  assertModuleGradients(new ELU(1.5), x, { seed: 91 });
});

Deno.test("ELU is exact near 0, finite at ±1e3 and ±1e4, and keeps the contract", async (t) => {
  await t.step("values by hand", () => {
    const m = new ELU();
    const x = Tensor.from([-1e-20, 0, -1e4, 1e4, -1e3, 1e3]);
    assertTensorClose(m.forward(x), [-1e-20, 0, -1, 1e4, -1, 1e3], "output", { rtol: 1e-15, atol: 0 });
    assertTensorClose(m.backward(x, Tensor.ones([6])), [1, 1, 0, 1, 0, 1], "gradInput", { atol: 1e-300 });
  });
  await t.step("contract, rank 4", () => {
    seed(92);
    assertModuleContract(new ELU(), Tensor.normal([2, 2, 3, 3]), { seed: 92 });
  });
  await t.step("contract, batch size 1", () => {
    seed(93);
    assertModuleContract(new ELU(0.5), Tensor.normal([1, 4]), { seed: 93 });
  });
  await t.step("reads as ELU alpha=…", () => assert.equal(String(new ELU()), "ELU alpha=1"));
});

Deno.test("ELU rejects bad input with a clear error", () => {
  assert.throws(
    () => new ELU(NaN),
    new RangeError("ELU: expected alpha to be a finite number, received NaN"),
  );
  assert.throws(
    () => new ELU().forward({} as Tensor),
    new TypeError("ELU alpha=1: expected input to be a Tensor, received Object"),
  );
});
