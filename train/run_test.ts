import assert from "node:assert/strict";
import { NotImplementedError } from "../lib/module.ts";
import { seed } from "../lib/random.ts";
import type { Tensor } from "../lib/tensor.ts";
import { loadMnist } from "../data/mnist.ts";
import * as solutions from "../solutions/mod.ts";
import { buildModel, mlpArchitecture } from "./architecture.ts";
import { DEFAULTS, type TrainOptions } from "./cli.ts";
import { type Kit, TrainError } from "./kit.ts";
import { evaluateModel, trainEpoch } from "./loop.ts";
import { main } from "./main.ts";
import { runEvaluate, runTrain } from "./run.ts";

const kit = solutions as unknown as Kit;
const quietIo = { log: () => {} };

/** Tiny options: 200 training digits, one small hidden layer, a temporary output folder. */
function tiny(out: string, extra: Partial<TrainOptions> = {}): TrainOptions {
  return {
    ...DEFAULTS.mlp,
    model: "mlp",
    epochs: 2,
    hidden: 16,
    train: 200,
    validation: 50,
    test: 100,
    out,
    solutions: true,
    quiet: true,
    ...extra,
  };
}

Deno.test("trainEpoch() lowers the training loss of a small MLP in one epoch", () => {
  const data = loadMnist({ train: 200, validation: 0, test: 1, seed: 1 });
  for (const s of [0, 1]) {
    seed(s);
    const arch = mlpArchitecture({ hidden: 16, activation: "ReLU", batchNorm: false, dropout: 0 });
    const { model } = buildModel(kit, arch);
    const criterion = new kit.ClassNLLCriterion();
    const before = evaluateModel(model, criterion, data.train.images, data.train.labels).loss;
    const optimizer = {
      fn: kit.adamOptimizer,
      config: { learningRate: 1e-2, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
      state: {},
    };
    trainEpoch(model, criterion, optimizer, data.train.images, data.train.labels, 20);
    const after = evaluateModel(model, criterion, data.train.images, data.train.labels).loss;
    assert.ok(after < 0.8 * before, `loss ${before} → ${after} should fall by 20% (seed ${s})`);
  }
});

Deno.test("runTrain() trains, reports and writes its files", async (t) => {
  const out = await Deno.makeTempDir({ prefix: "train_test_" });
  try {
    const lines: string[] = [];
    const result = await runTrain(tiny(out), { log: (s) => lines.push(s) }, kit);
    const text = lines.join("\n");

    await t.step("one summary line per epoch, then the test accuracy and the confusion matrix", () => {
      assert.match(
        text,
        /epoch 1\/2: train loss \d\.\d{4} \| validation loss \d\.\d{4}, accuracy \d+\.\d\d%/,
      );
      assert.match(text, /epoch 2\/2: /);
      assert.match(text, /test accuracy: \d+\.\d\d% on 100 held-out digits/);
      assert.match(text, /confusion matrix/);
      assert.equal(result.trainLoss.length, 2);
      assert.ok(
        result.trainLoss[1] < result.trainLoss[0],
        `train loss ${result.trainLoss} should fall (seed 0)`,
      );
    });

    await t.step("the curves are an SVG and the weights a JSON file in the output folder", async () => {
      assert.equal(result.plotPath, `${out}/curves.svg`);
      assert.match(
        await Deno.readTextFile(result.plotPath),
        /^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/,
      );
      const saved = JSON.parse(await Deno.readTextFile(result.weightsPath));
      assert.equal(saved.format, "gradlings-weights");
      assert.equal(saved.architecture.model, "mlp");
    });

    await t.step("save → load → evaluate gives the same predictions", async () => {
      const again = await runEvaluate(result.weightsPath, "mlp", true, quietIo, kit);
      assert.deepEqual(again.testPredicted, result.testPredicted);
      assert.equal(again.testAccuracy, result.testAccuracy);
    });

    await t.step("main's evaluate command prints the same accuracy", async () => {
      const printed: string[] = [];
      const status = await main(["evaluate", "--weights", result.weightsPath, "--solutions"], {
        io: { log: (s) => printed.push(s) },
        err: (s) => printed.push(s),
        kit,
      });
      assert.equal(status, 0, printed.join("\n"));
      assert.match(
        printed.join("\n"),
        new RegExp(`test accuracy: ${(100 * result.testAccuracy).toFixed(2)}%`),
      );
    });
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("runTrain() is deterministic: same seed, same run; another seed, another run", async () => {
  const out = await Deno.makeTempDir({ prefix: "train_test_" });
  try {
    const opts = { epochs: 1, train: 100, validation: 20, test: 50 };
    const a = await runTrain(tiny(out, { ...opts, seed: 3 }), quietIo, kit);
    const b = await runTrain(tiny(out, { ...opts, seed: 3 }), quietIo, kit);
    const c = await runTrain(tiny(out, { ...opts, seed: 4 }), quietIo, kit);
    assert.deepEqual(a.batchLoss, b.batchLoss, "seed 3 twice");
    assert.deepEqual(a.testPredicted, b.testPredicted, "seed 3 twice");
    assert.notDeepEqual(a.batchLoss, c.batchLoss, "seeds 3 and 4");
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("runEvaluate() rejects bad weights files with a clear error", async (t) => {
  const out = await Deno.makeTempDir({ prefix: "train_test_" });
  try {
    const { weightsPath } = await runTrain(
      tiny(out, { epochs: 1, train: 50, validation: 0, test: 20 }),
      quietIo,
      kit,
    );
    const saved = JSON.parse(await Deno.readTextFile(weightsPath));

    await t.step("a missing file", async () => {
      await assert.rejects(
        () => runEvaluate(`${out}/nope.json`, undefined, true, quietIo, kit),
        (e: unknown) => e instanceof TrainError && /Weights file not found: ".*nope\.json"/.test(e.message),
      );
    });
    await t.step("weights of an mlp evaluated as a cnn", async () => {
      await assert.rejects(
        () => runEvaluate(weightsPath, "cnn", true, quietIo, kit),
        (e: unknown) =>
          e instanceof TrainError &&
          /weights for another architecture: expected a cnn, received an mlp/.test(e.message),
      );
    });
    await t.step("an architecture whose shapes differ from the saved tensors", async () => {
      const other = `${out}/other.json`;
      const edited = structuredClone(saved);
      edited.architecture.layers[0].nOut = 32; // Linear 784 -> 32, but the file holds [16, 784]
      await Deno.writeTextFile(other, JSON.stringify(edited));
      await assert.rejects(
        () => runEvaluate(other, "mlp", true, quietIo, kit),
        (e: unknown) =>
          e instanceof TrainError &&
          /another architecture: layer 0 \(Linear 784 -> 32\) parameter 0 should have shape \[32, 784\], the file has \[16, 784\]/
            .test(e.message),
      );
    });
    await t.step("a file that is not a weights file", async () => {
      const notWeights = `${out}/not.json`;
      await Deno.writeTextFile(notWeights, "[1, 2, 3]");
      await assert.rejects(
        () => runEvaluate(notWeights, undefined, true, quietIo, kit),
        (e: unknown) => e instanceof TrainError && /is not a gradlings weights file/.test(e.message),
      );
      await Deno.writeTextFile(notWeights, "{ not json");
      await assert.rejects(
        () => runEvaluate(notWeights, undefined, true, quietIo, kit),
        (e: unknown) => e instanceof TrainError && /invalid JSON/.test(e.message),
      );
    });
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

/** The reference kit with one unfinished module, as a student's lessons/ would have it. */
function kitWithStub(name: "Linear" | "Dropout"): Kit {
  const Base = kit[name] as unknown as new (...args: number[]) => InstanceType<typeof kit.Linear>;
  class Stub extends Base {
    override updateOutput(_input: Tensor): Tensor {
      throw new NotImplementedError(`${name}.updateOutput`);
    }
  }
  Object.defineProperty(Stub, "name", { value: name });
  return { ...kit, [name]: Stub } as Kit;
}

Deno.test("main() names the lesson to finish when a module is not written, without a stack trace", async (t) => {
  const out = await Deno.makeTempDir({ prefix: "train_test_" });
  try {
    for (
      const [name, lesson] of [["Linear", /lesson 6, "Linear layer", in lessons\/linear\.ts/], [
        "Dropout",
        /lesson 11, "Dropout", in lessons\/dropout\.ts/,
      ]] as const
    ) {
      await t.step(name, async () => {
        const printed: string[] = [];
        const status = await main(["mlp", "--out", out, "--train", "50", "--test", "10", "--quiet"], {
          io: { log: () => {} },
          err: (s) => printed.push(s),
          kit: kitWithStub(name),
        });
        const text = printed.join("\n");
        assert.equal(status, 1);
        assert.match(text, new RegExp(`${name}\\.updateOutput is not written yet`));
        assert.match(text, lesson);
        assert.match(text, new RegExp(`deno task grade ${name.toLowerCase()}`));
        assert.doesNotMatch(text, /\n\s+at /, "no stack trace");
      });
    }
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("main() reports bad command lines with status 2 and a hint", async () => {
  const printed: string[] = [];
  const deps = { io: { log: () => {} }, err: (s: string) => printed.push(s), kit };
  assert.equal(await main(["rnn"], deps), 2);
  assert.equal(await main(["mlp", "--epochs", "-1"], deps), 2);
  assert.match(printed[0], /^error: Unknown model: expected "mlp", "cnn" or "evaluate", received "rnn"/);
  assert.match(printed[1], /--epochs: expected an integer ≥ 0, received "-1"/);
  assert.match(printed[1], /deno task train --help/);
});

Deno.test("main() refuses an output folder it may not write, before training", async () => {
  const status = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      "--allow-write=out",
      "--allow-env",
      "train/main.ts",
      "mlp",
      "--solutions",
      "--out",
      "/tmp/elsewhere",
    ],
    cwd: new URL("..", import.meta.url).pathname,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const err = new TextDecoder().decode(status.stderr);
  assert.equal(status.code, 1, err);
  assert.match(err, /Cannot write to "\/tmp\/elsewhere": deno task train may write under out\/ only/);
});

Deno.test("runTrain() trains a tiny cnn, and its saved weights (with BatchNormalization statistics) reload exactly", async () => {
  const out = await Deno.makeTempDir({ prefix: "train_test_" });
  try {
    const opts = { ...DEFAULTS.cnn, model: "cnn" as const, epochs: 1, train: 64, validation: 16, test: 32 };
    const result = await runTrain({ ...opts, out, solutions: true, quiet: true }, quietIo, kit);
    const layers = result.architecture.layers.map((l) => l.type);
    for (const needed of ["Conv2d", "MaxPool2d", "BatchNormalization"]) {
      assert.ok(layers.includes(needed as never), needed);
    }
    const saved = JSON.parse(await Deno.readTextFile(result.weightsPath));
    assert.equal(saved.buffers.filter((b: unknown) => b !== null).length, 2, "two BatchNormalization layers");
    const again = await runEvaluate(result.weightsPath, "cnn", true, quietIo, kit);
    assert.deepEqual(again.testPredicted, result.testPredicted);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});
