/**
 * `deno task train-check`: the capstone's long checks, with the reference
 * solutions (not part of `deno task test`: they take minutes).
 *
 * 1. Accuracy within time: `mlp` with its defaults must reach ≥ 94% test
 *    accuracy within 60 s, `cnn` ≥ 97% within 6 minutes (wall-clock time of
 *    the whole run: loading, training, evaluation, reports, saving).
 * 2. Same seed, same result: the mlp is trained twice and must give the same
 *    losses and predictions; the saved weights of each run, evaluated again,
 *    give the same test accuracy.
 * 3. Speed against numpy: bench/train_bench.ts (skipped with `--no-bench`).
 *
 * Writes under `out/check/`. Exit status 1 when a target is missed.
 *
 * @module
 */

import { DEFAULTS, type ModelName } from "./cli.ts";
import { runEvaluate, runTrain, type TrainResult } from "./run.ts";
import { runTrainBench } from "../bench/train_bench.ts";

/** The capstone targets: test accuracy and wall-clock seconds. */
export const ACCURACY_TARGETS: Record<ModelName, { accuracy: number; seconds: number }> = {
  mlp: { accuracy: 0.94, seconds: 60 },
  cnn: { accuracy: 0.97, seconds: 360 },
};

async function _check(model: ModelName): Promise<{ line: string; pass: boolean; result: TrainResult }> {
  const start = performance.now();
  const out = `out/check/${model}`;
  const result = await runTrain(
    { ...DEFAULTS[model], model, out, solutions: true, quiet: true },
    {
      log: (s) => {
        const keep = s.split("\n").filter((l) => /^epoch|^test accuracy/.test(l.trim()));
        if (keep.length > 0) console.log(keep.join("\n"));
      },
    },
  );
  const seconds = (performance.now() - start) / 1000;
  const again = await runEvaluate(result.weightsPath, model, true, { log: () => {} });
  const target = ACCURACY_TARGETS[model];
  const pass = result.testAccuracy >= target.accuracy && seconds <= target.seconds &&
    again.testAccuracy === result.testAccuracy;
  const line =
    `${model}: test ${(100 * result.testAccuracy).toFixed(2)}% (target ≥ ${100 * target.accuracy}%), ` +
    `${seconds.toFixed(1)} s wall-clock (target ≤ ${target.seconds} s), ` +
    `reloaded weights give ${(100 * again.testAccuracy).toFixed(2)}% — ${pass ? "ok" : "MISSED"}`;
  return { line, pass, result };
}

/** Trains the default mlp again (quietly) and compares it with the first run. */
async function _sameSeedSameResult(first: TrainResult): Promise<{ line: string; pass: boolean }> {
  const again = await runTrain(
    { ...DEFAULTS.mlp, model: "mlp", out: "out/check/mlp_again", solutions: true, quiet: true },
    { log: () => {} },
  );
  const pass = JSON.stringify(again.batchLoss) === JSON.stringify(first.batchLoss) &&
    again.testPredicted.every((p, i) => p === first.testPredicted[i]);
  return {
    line: `mlp trained twice with seed ${DEFAULTS.mlp.seed}: ${
      pass ? "identical" : "DIFFERENT"
    } batch losses and test predictions — ${pass ? "ok" : "MISSED"}`,
    pass,
  };
}

if (import.meta.main) {
  const lines: string[] = [];
  let pass = true;
  for (const model of ["mlp", "cnn"] as const) {
    console.log(`\n== ${model} (solutions/, defaults)`);
    const r = await _check(model);
    lines.push(r.line);
    pass &&= r.pass;
    if (model === "mlp") {
      const same = await _sameSeedSameResult(r.result);
      lines.push(same.line);
      pass &&= same.pass;
    }
  }
  if (!Deno.args.includes("--no-bench")) {
    console.log("\n== speed against numpy");
    const bench = await runTrainBench(false);
    for (const c of bench.checks) {
      lines.push(`speed ${c.name}: ${c.ratio.toFixed(2)} (${c.target}) — ${c.pass ? "ok" : "MISSED"}`);
      pass &&= c.pass;
    }
    if (!bench.numpy.ok) lines.push(`speed: numpy skipped (${bench.numpy.reason})`);
  }
  console.log(`\n== summary\n${lines.join("\n")}`);
  Deno.exit(pass ? 0 : 1);
}
