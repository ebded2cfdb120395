import assert from "node:assert/strict";
import { DEFAULTS, parseCli, type TrainOptions, UsageError } from "./cli.ts";

function train(args: string[]): TrainOptions {
  const cmd = parseCli(args);
  assert.equal(cmd.kind, "train");
  return (cmd as { options: TrainOptions }).options;
}

function rejects(args: string[], message: RegExp, kind: "TypeError" | "RangeError" = "RangeError") {
  assert.throws(() => parseCli(args), (e: unknown) => {
    assert.ok(e instanceof UsageError, `expected a UsageError for ${args.join(" ")}, got ${e}`);
    assert.match(e.message, message);
    assert.equal(e.kind, kind, `kind of "${e.message}"`);
    return true;
  });
}

Deno.test("parseCli() fills in the defaults of each model", async (t) => {
  await t.step("mlp", () => {
    const o = train(["mlp"]);
    assert.equal(o.model, "mlp");
    assert.equal(o.epochs, DEFAULTS.mlp.epochs);
    assert.equal(o.hidden, DEFAULTS.mlp.hidden);
    assert.equal(o.out, "out/mlp");
    assert.equal(o.solutions, false);
  });
  await t.step("cnn", () => {
    const o = train(["cnn", "--solutions"]);
    assert.equal(o.model, "cnn");
    assert.equal(o.epochs, DEFAULTS.cnn.epochs);
    assert.equal(o.out, "out/cnn");
    assert.equal(o.solutions, true);
  });
});

Deno.test("parseCli() reads every option, as --name value or --name=value", () => {
  const o = train([
    "mlp",
    "--epochs=3",
    "--batch-size",
    "64",
    "--optimizer",
    "sgd",
    "--lr",
    "0.05",
    "--momentum",
    "0.8",
    "--seed",
    "7",
    "--hidden",
    "128",
    "--activation",
    "elu",
    "--no-batch-norm",
    "--dropout",
    "0",
    "--train",
    "1000",
    "--validation",
    "100",
    "--test",
    "1500",
    "--split-seed",
    "4",
    "--out",
    "out/x",
    "--quiet",
  ]);
  assert.deepEqual(o, {
    model: "mlp",
    epochs: 3,
    batchSize: 64,
    optimizer: "sgdMomentum",
    learningRate: 0.05,
    momentum: 0.8,
    seed: 7,
    hidden: 128,
    activation: "ELU",
    batchNorm: false,
    dropout: 0,
    train: 1000,
    validation: 100,
    test: 1500,
    splitSeed: 4,
    out: "out/x",
    solutions: false,
    quiet: true,
  });
});

Deno.test("parseCli() reads evaluate and help", async (t) => {
  await t.step("evaluate with weights and an expected model", () => {
    assert.deepEqual(parseCli(["evaluate", "cnn", "--weights", "w.json", "--solutions"]), {
      kind: "evaluate",
      weights: "w.json",
      model: "cnn",
      solutions: true,
      quiet: false,
    });
  });
  await t.step("help", () => {
    assert.deepEqual(parseCli(["--help"]), { kind: "help" });
    assert.deepEqual(parseCli(["help"]), { kind: "help" });
  });
});

Deno.test("parseCli() rejects bad input with a clear error", async (t) => {
  await t.step(
    "no model",
    () => rejects([], /expected "mlp", "cnn" or "evaluate", received nothing/, "TypeError"),
  );
  await t.step("an unknown model", () => rejects(["rnn"], /Unknown model: .*received "rnn"/, "TypeError"));
  await t.step(
    "negative epochs",
    () => rejects(["mlp", "--epochs", "-3"], /--epochs: expected an integer ≥ 0, received "-3"/),
  );
  await t.step("fractional epochs", () => rejects(["mlp", "--epochs=1.5"], /received "1.5"/));
  await t.step(
    "a zero batch size",
    () => rejects(["cnn", "--batch-size", "0"], /--batch-size: expected an integer ≥ 1/),
  );
  await t.step(
    "a non-number learning rate",
    () => rejects(["mlp", "--lr", "fast"], /--lr: expected a number > 0, received "fast"/),
  );
  await t.step(
    "a dropout of 1",
    () => rejects(["mlp", "--dropout", "1"], /--dropout: expected a probability in \[0, 1\)/),
  );
  await t.step(
    "an unknown optimizer",
    () =>
      rejects(
        ["mlp", "--optimizer", "rmsprop"],
        /expected sgdMomentum or adamOptimizer, received "rmsprop"/,
        "TypeError",
      ),
  );
  await t.step(
    "an unknown activation",
    () =>
      rejects(
        ["mlp", "--activation", "tanh"],
        /expected ReLU, LeakyReLU, ELU, SoftPlus, received "tanh"/,
        "TypeError",
      ),
  );
  await t.step(
    "an unknown option",
    () => rejects(["mlp", "--epoch", "3"], /Unknown option: "--epoch"/, "TypeError"),
  );
  await t.step(
    "an option without its value",
    () => rejects(["mlp", "--epochs"], /--epochs needs a value, received none/, "TypeError"),
  );
  await t.step("a value for a flag", () => rejects(["mlp", "--quiet=yes"], /--quiet takes no value/));
  await t.step(
    "both batch-norm flags",
    () => rejects(["mlp", "--batch-norm", "--no-batch-norm"], /received both/),
  );
  await t.step(
    "--hidden for the cnn",
    () => rejects(["cnn", "--hidden", "10"], /--hidden applies to the mlp only/),
  );
  await t.step("two models", () => rejects(["mlp", "cnn"], /Too many arguments/));
  await t.step(
    "evaluate without weights",
    () => rejects(["evaluate"], /expected --weights FILE, received none/, "TypeError"),
  );
  await t.step(
    "evaluate of an unknown model",
    () => rejects(["evaluate", "rnn", "--weights", "w"], /received "rnn"/, "TypeError"),
  );
  await t.step(
    "training options for evaluate",
    () => rejects(["evaluate", "--weights", "w", "--epochs", "2"], /--epochs does not apply to evaluate/),
  );
  await t.step(
    "--weights when training",
    () => rejects(["mlp", "--weights", "w.json"], /--weights is for evaluate/),
  );
});
