import assert from "node:assert/strict";
import { Criterion, Module, NotImplementedError } from "./module.ts";
import { Tensor } from "./tensor.ts";

/** A module that records the calls the base class makes, in order. */
class Recorder extends Module {
  calls: string[] = [];
  override updateOutput(input: Tensor): Tensor {
    this.calls.push("updateOutput");
    this.output = input.mul(3);
    return this.output;
  }
  override updateGradInput(_input: Tensor, gradOutput: Tensor): Tensor {
    this.calls.push("updateGradInput");
    this.gradInput = gradOutput.mul(3);
    return this.gradInput;
  }
  override accGradParameters(_input: Tensor, _gradOutput: Tensor): void {
    this.calls.push("accGradParameters");
  }
}

/** A module whose updateOutput stores the result but returns something else. */
class StoresOutput extends Module {
  override updateOutput(input: Tensor): Tensor {
    this.output = input.add(1);
    return Tensor.zeros([1]);
  }
  override updateGradInput(input: Tensor, _gradOutput: Tensor): Tensor {
    this.gradInput = input.sub(1);
    return Tensor.zeros([1]);
  }
}

/** Parameters in a flat list. */
class WithParameters extends Module {
  w = Tensor.ones([2, 3]);
  b = Tensor.ones([3]);
  gradW = Tensor.full([2, 3], 5);
  gradB = Tensor.full([3], -2);
  override getParameters(): Tensor[] {
    return [this.w, this.b];
  }
  override getGradParameters(): Tensor[] {
    return [this.gradW, this.gradB];
  }
}

/** Parameters as one list per child, as Sequential returns them. */
class Nested extends Module {
  children = [new WithParameters(), new Recorder(), new WithParameters()];
  override getParameters(): Tensor[][] {
    return this.children.map((m) => m.getParameters() as Tensor[]);
  }
  override getGradParameters(): Tensor[][] {
    return this.children.map((m) => m.getGradParameters() as Tensor[]);
  }
}

Deno.test("Module.forward() calls updateOutput and returns this.output", async (t) => {
  await t.step("order and result", () => {
    const m = new Recorder();
    const x = Tensor.from([1, 2]);
    const y = m.forward(x);
    assert.deepEqual(m.calls, ["updateOutput"]);
    assert.equal(y, m.output);
    assert.deepEqual(y.toArray(), [3, 6]);
    assert.deepEqual(x.toArray(), [1, 2], "input modified");
  });
  await t.step("it returns this.output even when updateOutput returns something else", () => {
    const m = new StoresOutput();
    const y = m.forward(Tensor.from([1, 2]));
    assert.equal(y, m.output);
    assert.deepEqual(y.toArray(), [2, 3]);
  });
});

Deno.test("Module.backward() calls updateGradInput then accGradParameters and returns gradInput", async (t) => {
  await t.step("order and result", () => {
    const m = new Recorder();
    const x = Tensor.from([1, 2]);
    m.forward(x);
    const g = m.backward(x, Tensor.from([1, -1]));
    assert.deepEqual(m.calls, ["updateOutput", "updateGradInput", "accGradParameters"]);
    assert.equal(g, m.gradInput);
    assert.deepEqual(g.toArray(), [3, -3]);
  });
  await t.step("it returns this.gradInput even when updateGradInput returns something else", () => {
    const m = new StoresOutput();
    const g = m.backward(Tensor.from([5, 6]), Tensor.ones([2]));
    assert.equal(g, m.gradInput);
    assert.deepEqual(g.toArray(), [4, 5]);
  });
});

Deno.test("The bare Module and Criterion throw NotImplementedError naming the task", async (t) => {
  const x = Tensor.ones([2]);
  const cases: [string, () => unknown, string][] = [
    ["Module.updateOutput", () => new Module().forward(x), "Module.updateOutput"],
    ["Module.updateGradInput", () => new Module().backward(x, x), "Module.updateGradInput"],
    ["Criterion.updateOutput", () => new Criterion().forward(x, x), "Criterion.updateOutput"],
    ["Criterion.updateGradInput", () => new Criterion().backward(x, x), "Criterion.updateGradInput"],
  ];
  for (const [name, call, task] of cases) {
    await t.step(name, () => {
      assert.throws(call, (e: unknown) => {
        assert.ok(e instanceof NotImplementedError, `expected a NotImplementedError, got ${e}`);
        assert.ok(e instanceof Error);
        assert.equal(e.name, "NotImplementedError");
        assert.equal(e.task, task);
        assert.ok(e.message.includes(task), `message "${e.message}"`);
        return true;
      });
    });
  }
  await t.step("a subclass is named by its own class", () => {
    class Linear extends Module {}
    assert.throws(
      () => new Linear().forward(x),
      (e: NotImplementedError) => e.task === "Linear.updateOutput",
    );
  });
  await t.step("NotImplementedError on its own", () => {
    const e = new NotImplementedError("Conv2d.updateGradInput");
    assert.equal(e.name, "NotImplementedError");
    assert.equal(e.task, "Conv2d.updateGradInput");
    assert.match(e.message, /^Conv2d\.updateGradInput is not implemented yet/);
    assert.ok(e.stack !== undefined);
  });
});

Deno.test("Module.zeroGradParameters() zeroes every gradient in place", async (t) => {
  await t.step("a flat list", () => {
    const m = new WithParameters();
    const [gw, gb] = m.getGradParameters();
    m.zeroGradParameters();
    assert.equal(m.gradW, gw, "gradient replaced by a new tensor");
    assert.equal(m.gradB, gb, "gradient replaced by a new tensor");
    assert.ok(m.gradW.equals(Tensor.zeros([2, 3])) && m.gradB.equals(Tensor.zeros([3])));
    assert.ok(m.w.equals(Tensor.ones([2, 3])), "parameters changed");
  });
  await t.step("nested lists, one per child", () => {
    const m = new Nested();
    m.zeroGradParameters();
    for (const g of m.getGradParameters().flat()) assert.equal(g.abs().max(), 0);
    for (const p of m.getParameters().flat()) assert.equal(p.min(), 1, "parameters changed");
  });
  await t.step("no parameters", () => {
    const m = new Recorder();
    assert.deepEqual(m.getParameters(), []);
    assert.deepEqual(m.getGradParameters(), []);
    m.zeroGradParameters();
  });
});

Deno.test("Module.train() and evaluate() switch the training flag", () => {
  const m = new Recorder();
  assert.equal(m.training, true, "a new module trains");
  m.evaluate();
  assert.equal(m.training, false);
  m.evaluate();
  assert.equal(m.training, false);
  m.train();
  assert.equal(m.training, true);
  assert.equal(m.output, undefined, "output before the first forward");
  assert.equal(m.gradInput, undefined, "gradInput before the first backward");
  assert.equal(m.toString(), "Recorder");
});

Deno.test("Criterion.forward() and backward() call the update methods", async (t) => {
  class HalfSquares extends Criterion {
    calls: string[] = [];
    override updateOutput(input: Tensor, target: Tensor): number {
      this.calls.push("updateOutput");
      this.output = input.sub(target).square().sum() / 2 / input.shape[0];
      return this.output;
    }
    override updateGradInput(input: Tensor, target: Tensor): Tensor {
      this.calls.push("updateGradInput");
      this.gradInput = input.sub(target).div(input.shape[0]);
      return this.gradInput;
    }
  }
  await t.step("loss and gradient", () => {
    const c = new HalfSquares();
    const input = Tensor.from([[1, 2], [3, 4]]);
    const target = Tensor.from([[1, 0], [0, 0]]);
    const loss = c.forward(input, target);
    assert.equal(loss, (4 + 9 + 16) / 2 / 2);
    assert.equal(c.output, loss);
    const g = c.backward(input, target);
    assert.equal(g, c.gradInput);
    assert.deepEqual(g.toArray(), [[0, 1], [1.5, 2]]);
    assert.deepEqual(c.calls, ["updateOutput", "updateGradInput"]);
    assert.deepEqual(input.toArray(), [[1, 2], [3, 4]], "input modified");
    assert.equal(c.toString(), "HalfSquares");
  });
  await t.step("forward returns this.output", () => {
    class Stored extends Criterion {
      override updateOutput(): number {
        this.output = 7;
        return 0;
      }
    }
    assert.equal(new Stored().forward(Tensor.ones([1]), Tensor.ones([1])), 7);
  });
});
