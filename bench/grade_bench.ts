/**
 * `deno task bench grade`: how long `deno task grade` takes on the reference
 * solutions — every lesson, and one lesson (linear) — as a student or a
 * watcher runs it: the whole command in its own process, with the type-check
 * cache warm (one warm-up run first). Reports the median of several runs
 * against the targets (all lessons < 10 s, one lesson < 1.5 s).
 *
 * @example
 * ```ts ignore
 * // deno task bench grade           5 runs each
 * // deno task bench grade --runs 3
 * ```
 *
 * @module
 */

import { dirname, join } from "node:path";

const KIT = join(dirname(new URL(import.meta.url).pathname), "..");
const GRADE = [
  "run",
  "--allow-read",
  "--allow-run",
  "--allow-env",
  "--allow-write=.gradlings",
  "grader/main.ts",
];

/** Runs `deno task grade` with `args` once; returns seconds and the JSON report's score. */
async function once(args: string[]): Promise<{ seconds: number; score: number; max: number }> {
  const t0 = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args: [...GRADE, "--solutions", "--json", ...args],
    cwd: KIT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const seconds = (performance.now() - t0) / 1000;
  if (!out.success) throw new Error(`grade failed: ${new TextDecoder().decode(out.stderr)}`);
  const report = JSON.parse(new TextDecoder().decode(out.stdout));
  return { seconds, score: report.score, max: report.max };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

if (import.meta.main) {
  const at = Deno.args.indexOf("--runs");
  const runs = at >= 0 ? Number(Deno.args[at + 1]) : 5;
  const cases: [string, string[], number][] = [["every lesson", [], 10], [
    "one lesson (linear)",
    ["linear"],
    1.5,
  ]];
  console.log(`grading the reference solutions, ${runs} runs each after a warm-up (median, whole command)`);
  for (const [label, args, target] of cases) {
    await once(args);
    const times: number[] = [];
    let score = "";
    for (let i = 0; i < runs; i++) {
      const r = await once(args);
      times.push(r.seconds);
      score = `${r.score}/${r.max}`;
    }
    const m = median(times);
    const verdict = m < target ? "ok" : "SLOW";
    console.log(
      `${label.padEnd(22)} ${m.toFixed(2)} s  (min ${Math.min(...times).toFixed(2)}, max ${
        Math.max(...times).toFixed(2)
      }; target < ${target} s: ${verdict}; score ${score})`,
    );
  }
}
