import assert from "node:assert/strict";
import { checkInProcess } from "./inprocess.ts";
import * as solutions from "../solutions/mod.ts";
import { LESSONS } from "./manifest.ts";

Deno.test("checkInProcess() gives the reference classes full marks on the public checks", async (t) => {
  for (const lesson of LESSONS) {
    await t.step(lesson.name, async () => {
      const exports = Object.fromEntries(
        lesson.exports.map((n) => [n, (solutions as Record<string, unknown>)[n]]),
      );
      const r = await checkInProcess(lesson.name, exports);
      const failed = r.checks.filter((c) => c.status !== "passed").map((c) => `${c.id}: ${c.message}`);
      assert.deepEqual(failed, []);
      assert.equal(r.status, "passed");
      assert.ok(r.checks.every((c) => !c.hidden), "no hidden check in a feedback run");
    });
  }
});

Deno.test("checkInProcess() reads a missing or broken class as a failure, never a crash", async () => {
  const missing = await checkInProcess("linear", {});
  assert.equal(missing.status, "failing");
  assert.match(missing.checks[0].message, /does not export Linear/);
  class Linear {
    constructor() {
      throw new Error("boom");
    }
  }
  const broken = await checkInProcess("linear", { Linear });
  assert.equal(broken.score, 0);
  assert.match(broken.checks[0].message, /threw Error: boom/);
  await assert.rejects(() => checkInProcess("linear", {}, { seed: 5 }), RangeError);
});
