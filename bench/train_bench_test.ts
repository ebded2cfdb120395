import assert from "node:assert/strict";
import { loadMnist } from "../data/mnist.ts";
import { median } from "./_median.ts";
import { CNN, formatChecks, judge, MLP, TARGETS, timeNumpy, timeOurs } from "./train_bench.ts";

const data = loadMnist({ train: 64, validation: 0, test: 0, seed: 0 });

Deno.test("timeOurs() times epochs of the bench models with the reference solutions", async (t) => {
  for (const arch of [MLP, CNN]) {
    await t.step(arch.model, () => {
      const r = timeOurs(arch, data.train, 2);
      assert.equal(r.seconds.length, 2);
      assert.equal(r.secondsPerEpoch, median(r.seconds));
      assert.equal(r.faultsPerStep.length, 2);
      // The tests run with --allow-all, so the faults are counted from /proc/self/stat, not guessed.
      assert.equal(r.faultSource, Deno.build.os === "linux" ? "/proc/self/stat" : "getrusage");
      assert.ok(r.faultsPerStep.every((f) => f !== null && f >= 0), `faults per step ${r.faultsPerStep}`);
      assert.ok(r.loss.every(Number.isFinite), `losses ${r.loss} (seed 0)`);
    });
  }
});

Deno.test("timeNumpy() runs numpy_train.py on the same digits, or says why it cannot", async () => {
  const r = await timeNumpy(data.train, [
    { model: "mlp", epochs: 2 },
    { model: "cnn_im2col", epochs: 1 },
    { model: "cnn_loops", samples: 32, epochs: 1 },
  ]);
  if (!r.ok) {
    assert.match(r.reason, /python3 is not installed|numpy is not installed/);
    console.log(`numpy side skipped: ${r.reason}`);
    return;
  }
  assert.deepEqual(r.results.map((x) => x.model), ["mlp", "cnn_im2col", "cnn_loops"]);
  const [mlp, , loops] = r.results;
  assert.equal(mlp.seconds.length, 2);
  assert.equal(mlp.faults_per_step.length, 2);
  assert.ok(mlp.faults_per_step.every((f) => Number.isFinite(f) && f >= 0), `faults ${mlp.faults_per_step}`);
  // The median of two passes, scaled to the split (here the whole split).
  assert.ok(Math.abs(mlp.seconds_per_epoch - median(mlp.seconds)) < 1e-12);
  // The first epoch of the seed's loop starts near ln 10 ≈ 2.30 for ten balanced classes.
  assert.ok(Math.abs(mlp.loss[0] - Math.log(10)) < 0.3, `numpy MLP first-epoch loss ${mlp.loss[0]}`);
  assert.ok(mlp.loss[1] < mlp.loss[0], `numpy MLP loss should fall: ${mlp.loss}`);
  // A part of an epoch is scaled to the whole split.
  assert.ok(Math.abs(loops.seconds_per_epoch - (loops.seconds[0] * 64) / 32) < 1e-9);
});

Deno.test("timeNumpy() runs numpy fairly: its training steps take almost no page faults", async () => {
  // 16 steps per epoch, so that a stray fault or two of the interpreter's do not count as a step's.
  const r = await timeNumpy(loadMnist({ train: 512, validation: 0, test: 0, seed: 0 }).train, [
    { model: "mlp", epochs: 3 },
  ]);
  if (!r.ok) return; // python3 or numpy missing: said by the test above
  // With bench/_numpy.ts's malloc settings numpy's temporaries are reused, not faulted in again
  // (without them, ~275 faults per step: each step's 200 KB batch copy alone faults ~50 times).
  const faults = r.results[0].faults_per_step;
  assert.ok(median(faults) <= 5, `numpy MLP faults per step ${faults}`);
});

Deno.test("timeNumpy() skips with a clear note where python3 is missing", async () => {
  const r = await timeNumpy(data.train, [{ model: "mlp", epochs: 1 }], "python3-not-installed-here");
  assert.deepEqual(r, { ok: false, reason: "python3-not-installed-here is not installed" });
});

Deno.test("median() takes the middle value, or the mean of the middle two", () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.throws(() => median([]), RangeError);
});

Deno.test("judge() fails a target that is missed, and only that one", () => {
  const numpy = { mlp: 0.1, cnn_im2col: 2, cnn_loops: 30 };
  const pass = judge({ mlp: 0.1 * TARGETS.mlpVsNumpy, cnn: 2 * TARGETS.cnnVsIm2col }, numpy);
  assert.deepEqual(pass.map((c) => c.pass), [true, true, true]);
  const slowMlp = judge({ mlp: 0.21, cnn: 1.5 }, numpy);
  assert.deepEqual(slowMlp.map((c) => c.pass), [false, true, true]);
  assert.ok(Math.abs(slowMlp[0].ratio - 2.1) < 1e-12);
  const slowCnn = judge({ mlp: 0.05, cnn: 3.1 }, numpy);
  assert.deepEqual(slowCnn.map((c) => c.pass), [true, false, false]);
});

Deno.test("formatChecks() prints each target's medians, ratio and PASS or MISSED", () => {
  const checks = judge({ mlp: 0.25, cnn: 1.5 }, { mlp: 0.125, cnn_im2col: 2, cnn_loops: 30 });
  const lines = formatChecks(checks, [[0.25, 6, 0.125, 6], [1.5, 3, 2, 3], [1.5, 3, 30, 1]]).split("\n");
  assert.equal(lines.length, 4);
  assert.match(lines[1], /^MLP 784-100-10 +0\.250 \(n=6\) +0\.125 \(n=6\) +2\.00 +ours\/numpy ≤ 1 +MISSED$/);
  assert.match(
    lines[2],
    /^CNN vs numpy im2col +1\.500 \(n=3\) +2\.000 \(n=3\) +0\.75 +ours\/numpy ≤ 0\.8 +PASS$/,
  );
  assert.match(
    lines[3],
    /^CNN vs numpy loops +1\.500 \(n=3\) +30\.000 \(n=1\) +20\.00 +numpy\/ours ≥ 10 +PASS$/,
  );
});
