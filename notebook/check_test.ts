import assert from "node:assert/strict";
import { check, checkResult } from "./check.ts";
import { DISPLAY } from "./display.ts";
import { Linear as ReferenceLinear } from "../solutions/linear.ts";
import { Linear as StubLinear } from "../lessons/linear.ts";
import { Linear as OverwritingLinear } from "../grader/testdata/broken/linear/overwrite_grad_w.ts";
import { Module } from "../lib/module.ts";

Deno.test("check() shows a passing lesson with every check folded under its summary", async () => {
  const shown = await checkResult("linear", ReferenceLinear);
  assert.equal(shown.result?.status, "passed");
  assert.match(shown.html, /Lesson 6, Linear layer/);
  assert.match(
    shown.html,
    /<details><summary>all \d+ checks passed \(\d+ points, seed 7\): click to see them<\/summary>/,
  );
  assert.doesNotMatch(shown.html, /✗/);
  assert.match(shown.text, /^linear: passed (\d+)\/\1 /);
  const bundle = (shown as unknown as { [DISPLAY](): Record<string, string> })[DISPLAY]();
  assert.deepEqual(Object.keys(bundle).sort(), ["text/html", "text/plain"]);
});

Deno.test("check() reads a stub as not started, never as a crash", async () => {
  const shown = await checkResult("linear", StubLinear);
  assert.equal(shown.result?.status, "not started");
  assert.equal(shown.result?.score, 0);
  assert.match(shown.html, /Not started: Linear\.updateOutput is not implemented yet/);
  assert.match(shown.text, /linear: not started 0\/\d+/);
  assert.match(shown.text, /not your official grade/);
});

Deno.test("check() shows a failure's tensor, index, got, expected, diagnosis and hint", async () => {
  const shown = await checkResult("linear", OverwritingLinear, { seed: 11 });
  assert.equal(shown.result?.status, "failing");
  const failed = shown.result!.checks.find((c) => c.id === "contract.accumulate.gradW")!;
  assert.equal(failed.status, "failed");
  assert.match(
    shown.html,
    /<b>gradW after two backward calls<\/b> at <code[^>]*>\[\d+, \d+\]<\/code>: got <code/,
  );
  assert.match(shown.html, /looks like <b>gradW was overwritten, not accumulated<\/b>/);
  assert.match(shown.html, /hint: accGradParameters adds into gradW/);
  assert.match(shown.html, /seed 11/);
  assert.match(
    shown.text,
    /✗ gradW accumulates over two backward calls 0\/\d+\n {6}gradW after two backward calls/,
  );
  assert.match(shown.html, /more checks passed/);
});

Deno.test("check() escapes what the student's code says", async () => {
  class Loud extends Module {
    override updateOutput(): never {
      throw new Error("<img src=x onerror=alert(1)>");
    }
  }
  const shown = await checkResult("relu", Loud);
  assert.equal(shown.result?.status, "failing");
  assert.doesNotMatch(shown.html, /<img/);
  assert.match(shown.html, /&lt;img src=x/);
  assert.match(shown.html, /the same as above/);
});

Deno.test("check() explains a wrong call instead of throwing", async () => {
  const unknown = await checkResult("lineer", ReferenceLinear);
  assert.match(unknown.problem ?? "", /Unknown lesson "lineer": did you mean "linear"\?/);
  const instance = await checkResult("linear", new ReferenceLinear(2, 3));
  assert.equal(
    instance.problem,
    'check("linear", Linear): expected Linear itself (the class the lesson\'s cell defines), ' +
      "received an instance of Linear",
  );
  const nothing = await checkResult("adam_optimizer", undefined);
  assert.match(
    nothing.problem ?? "",
    /expected adamOptimizer itself \(the function .*\), received undefined/,
  );
  assert.match(nothing.html, /The check could not run/);
  const record = await checkResult("linear", { Linear: ReferenceLinear });
  assert.equal(record.result?.status, "passed");
  const seed = await checkResult("linear", ReferenceLinear, { seed: 5 });
  assert.match(seed.problem ?? "", /at seed 5: expected one of 7, 11, 23/);
});

Deno.test("check() prints the text outside Jupyter", async () => {
  const printed: string[] = [];
  const log = console.log;
  console.log = (text: string) => printed.push(text);
  try {
    await check("linear", StubLinear);
  } finally {
    console.log = log;
  }
  assert.equal(printed.length, 1);
  assert.match(printed[0], /^linear: not started 0\/\d+/);
});
