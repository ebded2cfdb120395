import assert from "node:assert/strict";
import { join } from "node:path";
import { parseCli } from "./main.ts";
import { KIT_DIR } from "./grade.ts";

Deno.test("parseCli() reads lessons and options", () => {
  const cli = parseCli(["linear", "relu", "--seed", "11", "--json", "--timeout", "2"]);
  assert.deepEqual(cli.lessons, ["relu", "linear"]);
  assert.equal(cli.seed, 11);
  assert.equal(cli.json, true);
  assert.equal(cli.timeoutMs, 2000);
  assert.equal(parseCli(["--solutions"]).lessonsDir, join(KIT_DIR, "solutions"));
});

Deno.test("parseCli() rejects an unknown lesson, listing the valid ones", () => {
  assert.throws(
    () => parseCli(["lineer"]),
    (e: Error) =>
      e instanceof RangeError && /did you mean "linear"/.test(e.message) && /max_pool2d/.test(e.message),
  );
  assert.throws(() => parseCli(["--seed", "x"]), RangeError);
});

Deno.test("deno task grade exits 2 on a usage error and 0 on a run, with a --json report", async () => {
  const run = (args: string[]) =>
    new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-read",
        "--allow-run",
        "--allow-env",
        "--allow-write=.gradlings",
        "grader/main.ts",
        ...args,
      ],
      cwd: KIT_DIR,
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    }).output();
  const bad = await run(["nope"]);
  assert.equal(bad.code, 2);
  assert.match(new TextDecoder().decode(bad.stderr), /Unknown lesson "nope"/);
  const ok = await run(["relu", "--solutions", "--json"]);
  assert.equal(ok.code, 0);
  const report = JSON.parse(new TextDecoder().decode(ok.stdout));
  assert.equal(report.score, report.max);
  assert.equal(report.lessons[0].given, true);
  for (const c of report.checks) {
    for (const key of ["lesson", "id", "name", "points", "max", "status", "message", "seed", "time"]) {
      assert.ok(key in c, `check field ${key}`);
    }
  }
  const text = await run(["relu", "--solutions"]);
  const out = new TextDecoder().decode(text.stdout);
  assert.ok(!out.includes("\u001b["), "no colour when not a terminal");
  assert.ok(out.includes("relu (solutions/relu.ts)  passed  worked example, 0 points"), out);
  assert.match(out, /✓ forward on a batch of 1 matches the reference\n/);
  const linear = new TextDecoder().decode((await run(["linear", "--solutions"])).stdout);
  assert.match(linear, /✓ forward on a batch of 1 \(3 → 4\) matches the reference 2\/2/);
});
