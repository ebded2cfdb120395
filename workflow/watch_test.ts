import assert from "node:assert/strict";
import { LESSONS } from "../grader/manifest.ts";
import { normalizeReport } from "./report.ts";
import { WatchSession } from "./watch.ts";

const THREE = LESSONS.slice(0, 3);
// deno-lint-ignore no-control-regex
const strip = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, "");

/** A fake grader over a mutable status table, recording what it was asked to grade. */
function fakeKit(status: Record<string, string>) {
  const calls: string[][] = [];
  const grade = (names: readonly string[]) => {
    calls.push([...names]);
    const which = names.length ? names : THREE.map((l) => l.name);
    return Promise.resolve(normalizeReport({
      seed: 1,
      lessons: which.map((n) => ({
        lesson: n,
        status: status[n],
        score: status[n] === "passed" ? 2 : 0,
        max: 2,
        checks: [{
          id: "a",
          name: "forward",
          points: status[n] === "passed" ? 2 : 0,
          max: 2,
          status: status[n] === "passed" ? "passed" : status[n] === "not started" ? "not started" : "failed",
          message: status[n] === "passed"
            ? ""
            : status[n] === "not started"
            ? "LeakyReLU.updateOutput is not implemented yet"
            : "output at [0, 1]: got 0.03, expected 0.3 (rel. error 9.0e-1, seed 1)",
          diagnosis: status[n] === "failing" ? "the slope is applied to positive inputs" : undefined,
          hint: status[n] === "failing" ? "x > 0 passes through unchanged" : undefined,
        }],
      })),
    }));
  };
  const session = new WatchSession({ lessons: THREE, grade, hint: (n) => Promise.resolve(`hint for ${n}`) });
  return { session, calls };
}

Deno.test("WatchSession works on the first lesson not passed and grades only it on a save", async () => {
  const status: Record<string, string> = { relu: "passed", leaky_relu: "failing", elu: "not started" };
  const { session, calls } = fakeKit(status);
  await session.start();
  assert.equal(session.current?.name, "leaky_relu");
  const screen = strip(session.render());
  assert.match(screen, /lesson 2\/3: Leaky ReLU \(leaky_relu\)/);
  assert.match(screen, /Edit lessons\/leaky_relu.ts/);
  assert.match(screen, /\[█{10}░{20}\] 1\/3 lessons passed · 2\/6 points/);
  assert.match(screen, /h hint · n next lesson · l list · r re-run · q quit/);
  assert.match(
    screen,
    /✗ forward \(0\/2\)\n {4}output at \[0, 1\]: got 0.03, expected 0.3 \(rel. error 9.0e-1, seed 1\) — looks like the slope is applied to positive inputs\n {4}hint: x > 0 passes through unchanged/,
    "the grader's diagnosis and hint reach the student",
  );
  await session.rerun();
  assert.deepEqual(calls.at(-1), ["leaky_relu"], "a save re-grades only the current lesson");
});

Deno.test("WatchSession shows a not-started lesson once, with its file and guide", async () => {
  const { session } = fakeKit({ relu: "passed", leaky_relu: "not started", elu: "not started" });
  await session.start();
  const screen = strip(session.render());
  assert.match(screen, /LeakyReLU.updateOutput is not implemented yet \(1 checks waiting\)/);
  assert.match(screen, /Open lessons\/leaky_relu.ts, find the TODOs \(guide: lessons\/leaky_relu.md\)/);
  assert.doesNotMatch(screen, /· forward/, "no list of checks that all wait on the same stub");
});

Deno.test("WatchSession moves on after a pass and re-grades all after the last", async () => {
  const status: Record<string, string> = { relu: "passed", leaky_relu: "failing", elu: "passed" };
  const { session, calls } = fakeKit(status);
  await session.start();
  status.leaky_relu = "passed";
  await session.rerun();
  assert.deepEqual(calls, [[], ["leaky_relu"], []], "the last pass triggers one full run");
  assert.equal(session.current, undefined);
  assert.equal(session.view, "done");
  assert.match(strip(session.render()), /All 3 lessons pass[\s\S]*deno task train mlp/);
});

Deno.test("WatchSession keys: n skips, h shows a hint, l toggles the list, q quits", async (t) => {
  const status: Record<string, string> = {
    relu: "not started",
    leaky_relu: "not started",
    elu: "not started",
  };
  const { session } = fakeKit(status);
  await session.start();
  await t.step("n", async () => {
    await session.key("n");
    assert.equal(session.current?.name, "leaky_relu");
    assert.match(strip(session.render()), /Skipped to leaky_relu/);
  });
  await t.step("h", async () => {
    await session.key("h");
    assert.match(strip(session.render()), /hint for leaky_relu/);
  });
  await t.step("l", async () => {
    await session.key("l");
    assert.match(strip(session.render()), /▶ 2 +leaky_relu +· not started/);
    await session.key("l");
    assert.equal(session.view, "result");
  });
  await t.step("q", async () => {
    await session.key("q");
    assert.equal(session.running, false);
  });
});
