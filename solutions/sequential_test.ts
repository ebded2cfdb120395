import assert from "node:assert/strict";
import { Tensor } from "../lib/tensor.ts";
import { seed } from "../lib/random.ts";
import { Module } from "../lib/module.ts";
import { Sequential } from "./sequential.ts";
import { Linear } from "./linear.ts";
import { ReLU } from "./relu.ts";
import { assertTensorClose } from "../testing/asserts.ts";
import { assertModuleGradients } from "../testing/gradcheck.ts";
import { assertModuleContract } from "../testing/contract.ts";
import ref from "../testing/torch_reference.json" with { type: "json" };

/** Records the input each backward call receives. */
class Spy extends Module {
  seen: Tensor[] = [];
  override updateOutput(input: Tensor): Tensor {
    this.output = input.mul(3);
    return this.output;
  }
  override updateGradInput(input: Tensor, gradOutput: Tensor): Tensor {
    this.seen.push(input);
    this.gradInput = gradOutput.mul(3);
    return this.gradInput;
  }
}

function mlp(): [Sequential, Linear, Linear] {
  const l1 = new Linear(4, 5);
  const l2 = new Linear(5, 3);
  return [new Sequential().add(l1).add(new ReLU()).add(l2), l1, l2];
}

Deno.test("Sequential matches torch.nn.Sequential(Linear, ReLU, Linear)", () => {
  const c = ref.sequential;
  const [net, l1, l2] = mlp();
  l1.W.copyInPlace(Tensor.from(c.W1));
  l1.b.copyInPlace(Tensor.from(c.b1));
  l2.W.copyInPlace(Tensor.from(c.W2));
  l2.b.copyInPlace(Tensor.from(c.b2));
  const x = Tensor.from(c.input);
  assertTensorClose(net.forward(x), c.output, "output");
  assertTensorClose(net.backward(x, Tensor.from(c.gradOutput)), c.gradInput, "gradInput");
  const [[gW1, gb1], , [gW2, gb2]] = net.getGradParameters();
  assertTensorClose(gW1, c.gradW1, "gradW of module 0");
  assertTensorClose(gb1, c.gradb1, "gradb of module 0");
  assertTensorClose(gW2, c.gradW2, "gradW of module 2");
  assertTensorClose(gb2, c.gradb2, "gradb of module 2");
});

Deno.test("Sequential gradients match central differences", () => {
  seed(21);
  const [net] = mlp();
  const x = Tensor.normal([3, 4]);
  assertModuleGradients(net, x, { seed: 21 });
});

Deno.test("Sequential gives each module the input it saw in forward", () => {
  const a = new Spy();
  const b = new Spy();
  const net = new Sequential().add(a).add(b);
  const x = Tensor.from([[1, 2]]);
  net.forward(x);
  const gi = net.backward(x, Tensor.from([[1, 1]]));
  assert.equal(a.seen[0], x, "module 0 should get the Sequential's input");
  assert.equal(b.seen[0], a.output, "module 1 should get module 0's output");
  assert.deepEqual(gi.toArray(), [[9, 9]]);
});

Deno.test("Sequential keeps the module contract and propagates to its modules", async (t) => {
  await t.step("contract", () => {
    seed(22);
    assertModuleContract(mlp()[0], Tensor.normal([6, 4]), { seed: 22 });
  });
  await t.step("batch size 1", () => {
    seed(23);
    assertModuleContract(mlp()[0], Tensor.normal([1, 4]), { seed: 23 });
  });
  await t.step("one parameter list per module, the modules' own objects", () => {
    const [net, l1, l2] = mlp();
    const params = net.getParameters();
    assert.equal(params.length, 3);
    assert.equal(params[0][0], l1.W);
    assert.equal(params[0][1], l1.b);
    assert.deepEqual(params[1], []);
    assert.equal(params[2][0], l2.W);
    assert.equal(net.getGradParameters()[2][1], l2.gradb);
  });
  await t.step("train, evaluate and zeroGradParameters reach every module", () => {
    const [net, l1] = mlp();
    net.evaluate();
    assert.ok(!net.training && net.modules.every((m) => !m.training));
    net.train();
    assert.ok(net.training && net.modules.every((m) => m.training));
    l1.gradW.fillInPlace(1);
    net.zeroGradParameters();
    assert.equal(l1.gradW.abs().max(), 0);
  });
  await t.step("reads as the list of its modules", () => {
    assert.equal(String(mlp()[0]), "Sequential(Linear 4 -> 5, ReLU, Linear 5 -> 3)");
  });
  await t.step("an empty Sequential is the identity", () => {
    const x = Tensor.from([[1, 2]]);
    const net = new Sequential();
    assert.deepEqual(net.forward(x).toArray(), [[1, 2]]);
    assert.deepEqual(net.backward(x, Tensor.from([[3, 4]])).toArray(), [[3, 4]]);
  });
});

Deno.test("Sequential rejects what is not a module", () => {
  assert.throws(
    () => new Sequential().add(42 as unknown as Module),
    new TypeError("Sequential: expected a Module to add, received 42"),
  );
  assert.throws(
    () => new Sequential().add(new Linear(3, 4)).forward(Tensor.zeros([2, 5])),
    new TypeError("Linear 3 -> 4: expected input of shape [N, 3], received [2, 5]"),
  );
});
