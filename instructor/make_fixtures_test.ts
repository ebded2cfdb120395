import assert from "node:assert/strict";
import { differences, lessonsWithSpecs, staleFixtures } from "./make_fixtures.ts";
import { LESSONS } from "../grader/manifest.ts";

Deno.test("the grader's fixtures are current (deno task make-fixtures regenerates them)", async () => {
  assert.equal(lessonsWithSpecs().length, LESSONS.length, "every lesson has a spec");
  assert.deepEqual(await staleFixtures(), [], "stale fixtures: run deno task make-fixtures");
});

Deno.test("differences() ignores last-bit rounding and reports real changes", () => {
  const file = (x: number, plan = "h") =>
    JSON.stringify({
      lesson: "l",
      seeds: { "7": { plan, outcomes: `{"p":{"values":{"k":{"$t":[1],"$d":[${x}]}}}}` } },
    });
  assert.deepEqual(differences("f", file(0.1 + 0.2), file(0.3)), []);
  assert.deepEqual(differences("f", file(0.31), file(0.3)), ["f 7/p/k differs"]);
  assert.deepEqual(differences("f", file(0.3 + 1e-10), file(0.3)), ["f 7/p/k differs"]);
  assert.deepEqual(differences("f", file(0.3, "new"), file(0.3)), [
    "f 7: made for other inputs (the spec changed)",
  ]);
});
