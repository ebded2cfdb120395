import assert from "node:assert/strict";
import { AssertionError } from "node:assert";
import { Tensor } from "../lib/tensor.ts";
import { Module } from "../lib/module.ts";
import { assertModuleGradients, numericGradient, probeLoss, relativeError } from "./gradcheck.ts";
import { assertModuleContract } from "./contract.ts";
import { assertTensorClose } from "./asserts.ts";

/** y = x²; backward `bug` selects a classic mistake. */
class Square extends Module {
  readonly w = Tensor.from([2]);
  readonly gradW = Tensor.zeros([1]);
  constructor(readonly bug: "none" | "ignoresGradOutput" | "overwrites" | "mutates" = "none") {
    super();
  }
  override updateOutput(x: Tensor): Tensor {
    return (this.output = x.square().mul(this.w));
  }
  override updateGradInput(x: Tensor, g: Tensor): Tensor {
    if (this.bug === "mutates") g.mulInPlace(1);
    const upstream = this.bug === "ignoresGradOutput" ? Tensor.onesLike(g) : g;
    return (this.gradInput = upstream.mul(x).mul(this.w).mul(2));
  }
  override accGradParameters(x: Tensor, g: Tensor): void {
    const d = Tensor.from([g.mul(x.square()).sum()]);
    if (this.bug === "overwrites") this.gradW.copyInPlace(d);
    else this.gradW.addInPlace(d);
    if (this.bug === "mutates") x.data[0] += 1;
  }
  override getParameters(): Tensor[] {
    return [this.w];
  }
  override getGradParameters(): Tensor[] {
    return [this.gradW];
  }
}

Deno.test("numericGradient differentiates by central differences and restores x", () => {
  const x = Tensor.from([[0.5, -1], [2, 3]]);
  const g = numericGradient((t) => t.exp().sum(), x);
  assert.ok(relativeError(g, x.exp()) < 1e-9);
  assert.deepEqual(x.toArray(), [[0.5, -1], [2, 3]]);
});

Deno.test("relativeError and probeLoss compute what they say", () => {
  assert.equal(relativeError(Tensor.zeros([3]), Tensor.zeros([3])), 0);
  assert.equal(relativeError(Tensor.from([0, 1e-20]), Tensor.from([0, 0])), 1);
  assert.equal(relativeError(Tensor.from([NaN]), Tensor.from([1])), Infinity);
  assert.equal(probeLoss(Tensor.from([[1, 2], [3, 4]]), Tensor.from([[1, 0], [0, -1]])), -3);
  assert.throws(() => relativeError(Tensor.zeros([2]), Tensor.zeros([3])), TypeError);
});

Deno.test("assertModuleGradients passes a right backward and names a wrong one with the seed", () => {
  const x = Tensor.from([[1, -2, 0.5]]);
  assertModuleGradients(new Square(), x, { seed: 3 });
  assert.throws(
    () => assertModuleGradients(new Square("ignoresGradOutput"), x, { seed: 3 }),
    (e) => e instanceof AssertionError && /^Square: gradInput at \[0, \d\]: got .* seed 3\)$/.test(e.message),
  );
});

Deno.test("assertModuleContract catches overwritten gradients and mutated arguments", () => {
  const x = Tensor.from([[1, -2, 0.5]]);
  assertModuleContract(new Square(), x);
  assert.throws(() => assertModuleContract(new Square("overwrites"), x), /not accumulated/);
  assert.throws(() => assertModuleContract(new Square("mutates"), x.clone()), /modified/);
});

Deno.test("assertTensorClose reports the worst index and accepts values within tolerance", () => {
  assertTensorClose(Tensor.from([1, 2]), [1, 2 * (1 + 1e-12)], "x");
  assert.throws(
    () => assertTensorClose(Tensor.from([1, 2, 3]), [1, 2.1, 5], "x"),
    /x at \[2\]: got 3, expected 5/,
  );
  assert.throws(() => assertTensorClose(Tensor.from([1]), [[1]], "x"), /got shape \[1\], expected \[1, 1\]/);
});
