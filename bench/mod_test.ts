import assert from "node:assert/strict";
import { runBenches } from "./mod.ts";

/** A directory of stand-in benchmark scripts: `name` → the exit code it ends with. */
function _fakeBenches(codes: Record<string, number>): URL {
  const dir = Deno.makeTempDirSync({ prefix: "gradlings-bench-" });
  for (const [name, code] of Object.entries(codes)) {
    Deno.writeTextFileSync(`${dir}/${name}_bench.ts`, `Deno.exit(${code});\n`);
  }
  return new URL(`file://${dir}/`);
}

Deno.test("runBenches() exits non-zero when a benchmark misses a target", async (t) => {
  const dir = _fakeBenches({ met: 0, missed: 1 });
  try {
    await t.step("one missed among several", async () => {
      const lines: string[] = [];
      assert.equal(await runBenches(dir, "", [], (l) => lines.push(l)), 1);
      // The miss does not hide the benchmark after it: both ran, and the summary names the miss.
      assert.ok(lines.some((l) => l.includes("bench/met_bench.ts: done")), lines.join("\n"));
      assert.match(lines.at(-1)!, /1 of 2 benchmarks succeeded; failed: missed_bench\.ts/);
    });
    await t.step("only met targets", async () => {
      assert.equal(await runBenches(dir, "met", [], () => {}), 0);
    });
    await t.step("no benchmark matches the filter", async () => {
      assert.equal(await runBenches(dir, "nothing", [], () => {}), 1);
    });
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
