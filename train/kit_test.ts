import assert from "node:assert/strict";
import { NotImplementedError } from "../lib/module.ts";
import { isNotImplemented, loadKit, TrainError, unfinishedLessonMessage, unfinishedLessons } from "./kit.ts";

Deno.test("unfinishedLessonMessage() names the lesson, its file and its grading command", async (t) => {
  await t.step("a module method", () => {
    const text = unfinishedLessonMessage(
      new NotImplementedError("BatchNormalization.updateGradInput"),
      "lessons",
    );
    assert.match(
      text,
      /needs BatchNormalization, and BatchNormalization\.updateGradInput is not written yet/,
    );
    assert.match(text, /Finish lesson 10, "Batch normalization", in lessons\/batch_normalization\.ts/);
    assert.match(text, /deno task grade batch_normalization/);
  });
  await t.step("an optimizer", () => {
    assert.match(
      unfinishedLessonMessage({ task: "adamOptimizer" }, "lessons"),
      /lesson 16, "Adam", in lessons\/adam_optimizer\.ts/,
    );
  });
  await t.step("a class outside the manifest", () => {
    assert.equal(
      unfinishedLessonMessage({ task: "Mystery.updateOutput" }, "lessons"),
      "Mystery.updateOutput is not implemented yet in lessons/: finish it, then run this again",
    );
  });
});

Deno.test("isNotImplemented() recognises the stub error by name and task", () => {
  assert.ok(isNotImplemented(new NotImplementedError("ReLU.updateOutput")));
  assert.ok(!isNotImplemented(new Error("NotImplementedError")));
  assert.ok(!isNotImplemented("Linear.updateOutput"));
});

Deno.test("unfinishedLessons() lists the needed lessons whose file still throws the stub error", async () => {
  const root = await Deno.makeTempDir({ prefix: "kit_test_" });
  try {
    await Deno.mkdir(`${root}/lessons`);
    await Deno.writeTextFile(
      `${root}/lessons/linear.ts`,
      'throw new NotImplementedError("Linear.updateOutput");',
    );
    await Deno.writeTextFile(`${root}/lessons/relu.ts`, "export class ReLU {}");
    await Deno.writeTextFile(
      `${root}/lessons/dropout.ts`,
      'throw new NotImplementedError("Dropout.updateOutput");',
    );
    const todo = await unfinishedLessons(
      ["Dropout", "ReLU", "Linear", "Sequential"],
      "lessons",
      new URL(`file://${root}/`),
    );
    // Teaching order; Sequential's file is missing, so it is left out.
    assert.deepEqual(todo, ["6 linear (lessons/linear.ts)", "11 dropout (lessons/dropout.ts)"]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("loadKit() imports solutions/mod.ts and checks the names a model needs", async () => {
  const kit = await loadKit("solutions", ["Linear", "Conv2d", "adamOptimizer"]);
  assert.equal(typeof kit.Linear, "function");
  await assert.rejects(
    () => loadKit("solutions", ["NoSuchModule" as "Linear"]),
    (e: unknown) =>
      e instanceof TrainError &&
      /solutions\/mod\.ts does not export NoSuchModule \(lesson \?\)/.test(e.message),
  );
});
