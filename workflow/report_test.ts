import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { grade } from "./report.ts";

const KIT = fileURLToPath(new URL("../", import.meta.url));

Deno.test("grade() reads the real grader's JSON report: scores, maxima, statuses and checks agree", async () => {
  const report = await grade({ root: KIT, lessons: ["relu", "linear"] });
  const [relu, linear] = report.lessons;
  assert.equal(relu.lesson, "relu");
  assert.equal(relu.status, "passed", "ReLU is a given worked example");
  assert.equal(relu.given, true);
  assert.deepEqual([relu.points, relu.max], [0, 0], "a worked example is worth 0 points");
  assert.ok(relu.checks.length > 0 && relu.checks.every((c) => c.status === "passed" && c.max === 0));
  assert.equal(linear.status, "not started");
  assert.equal(linear.points, 0);
  assert.ok(linear.checks.every((c) => c.status === "not started" && c.max > 0 && c.name !== ""));
  assert.equal(report.points, 0, "a pristine copy scores 0");
  assert.equal(report.max, relu.max + linear.max);
});
