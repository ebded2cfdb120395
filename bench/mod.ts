/**
 * Entry point of `deno task bench`: runs every `bench/*_bench.ts` script, in name order, each in
 * its own `deno run --allow-all` process (so one that fails does not hide the others;
 * {@link BENCH_PERMISSIONS} says why all), under a header naming it. An optional argument keeps
 * only the scripts whose name contains it (`deno task bench gemm`); arguments starting with `--`
 * are passed on to every script (`deno task bench train --quick`).
 *
 * Exits with status 1 when a script fails (a missed speed target is a failure), or when none
 * matches the filter.
 *
 * (`--allow-hrtime` is not passed: Deno 2 removed it, timers are always
 * precise, and the flag only prints a warning.)
 *
 * @example
 * ```ts ignore
 * // From the top of the repository:
 * //   deno task bench                  every benchmark
 * //   deno task bench tensor           only bench/tensor_bench.ts
 * //   deno task bench train --quick    bench/train_bench.ts with its --quick flag
 * ```
 *
 * @module
 */

import { FAIR_MALLOC } from "./_numpy.ts";

/**
 * The permissions every benchmark script runs with: all. Deno opens /proc/self/stat (our page
 * faults, bench/_faults.ts) only under `--allow-all`, and the scripts already needed `--allow-run`,
 * which grants as much (a child process is not sandboxed).
 */
export const BENCH_PERMISSIONS: readonly string[] = ["--allow-all"];

/**
 * The benchmark scripts of `dir` (files ending in `_bench.ts`) whose name
 * before that ending contains `filter`, sorted by name.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { findBenches } from "./mod.ts";
 * const all = findBenches(new URL(".", import.meta.url));
 * assert.ok(all.every((f) => f.endsWith("_bench.ts")));
 * assert.deepEqual(findBenches(new URL(".", import.meta.url), "tensor"), ["tensor_bench.ts"]);
 * assert.deepEqual(findBenches(new URL(".", import.meta.url), "bench"), []);
 * ```
 */
export function findBenches(dir: URL, filter = ""): string[] {
  const names: string[] = [];
  for (const entry of Deno.readDirSync(dir)) {
    const stem = entry.name.slice(0, -"_bench.ts".length);
    if (entry.isFile && entry.name.endsWith("_bench.ts") && stem.includes(filter)) names.push(entry.name);
  }
  return names.sort();
}

/** Runs one script with inherited output; resolves to its exit code. */
async function _run(path: string, flags: readonly string[]): Promise<number> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...BENCH_PERMISSIONS, path, ...flags],
    // Our side runs with the same glibc malloc settings as the numpy baseline (bench/_numpy.ts):
    // without them, fresh large Float64Arrays fault their pages in on every step, as numpy's do.
    env: { ...FAIR_MALLOC },
    stdin: "null",
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
  return (await child.status).code;
}

/**
 * Runs the benchmark scripts of `dir` that match `filter` one after the other, each under a
 * header, and resolves to the exit status of `deno task bench`: 0 when every script succeeded, 1
 * when one failed (a missed target is a failure) or none matched.
 */
export async function runBenches(
  dir: URL,
  filter = "",
  flags: readonly string[] = [],
  log: (line: string) => void = console.log,
): Promise<number> {
  const names = findBenches(dir, filter);
  if (names.length === 0) {
    log(`No benchmark matches "${filter}": expected part of a bench/*_bench.ts name`);
    return 1;
  }
  const failed: string[] = [];
  for (const name of names) {
    const rule = "=".repeat(Math.max(0, 72 - name.length - 8));
    log(`\n=== bench/${name} ${rule}\n`);
    const started = performance.now();
    const code = await _run(decodeURIComponent(new URL(name, dir).pathname), flags);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (code !== 0) {
      failed.push(name);
      log(`\nbench/${name} failed (exit code ${code}, ${seconds} s)`);
    } else {
      log(`\nbench/${name}: done in ${seconds} s`);
    }
  }
  log(
    `\n${names.length - failed.length} of ${names.length} benchmarks succeeded${
      failed.length ? `; failed: ${failed.join(", ")}` : ""
    }`,
  );
  return failed.length > 0 ? 1 : 0;
}

if (import.meta.main) {
  const flags = Deno.args.filter((a) => a.startsWith("--"));
  const rest = Deno.args.filter((a) => !a.startsWith("--"));
  if (rest.length > 1) {
    console.error(`Cannot run benchmarks: expected at most one filter, received ${rest.join(" ")}`);
    Deno.exit(2);
  }
  Deno.exit(await runBenches(new URL(".", import.meta.url), rest[0] ?? "", flags));
}
