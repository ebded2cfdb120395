import assert from "node:assert/strict";
import { makeFakeKit, writeStudent } from "../instructor/_fake_kit.ts";
import type { ClassroomResult } from "./classroom.ts";

/** What classroom-resources/autograding-grading-reporter does with a runner's output. */
function reporterTotals(env: Record<string, string>, runners: string) {
  let total = 0, max = 0;
  for (const runner of runners.split(",")) {
    const b64 = env[`${runner.trim().toUpperCase()}_RESULTS`];
    const json = new TextDecoder().decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
    const results: ClassroomResult = JSON.parse(json);
    if (!results.max_score) continue;
    max += results.max_score;
    for (const t of results.tests) total += t.score;
  }
  return `Points ${total}/${max}`;
}

Deno.test("the Classroom grading step reports points the way the reporter reads them", async () => {
  const kit = await makeFakeKit();
  try {
    await writeStudent(kit, { "relu.ts": "PASS", "linear.ts": "HALF" });
    const output = `${kit}/github_output`;
    await Deno.writeTextFile(output, "earlier=1\n");
    const run = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", new URL("./classroom.ts", import.meta.url).pathname],
      cwd: kit,
      env: { GITHUB_OUTPUT: output },
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.ok(run.success, new TextDecoder().decode(run.stderr));
    const lines = (await Deno.readTextFile(output)).trim().split("\n");
    assert.equal(lines[0], "earlier=1");
    assert.match(lines[1], /^result=[A-Za-z0-9+/=]+$/);
    // The workflow passes steps.gradlings.outputs.result as GRADLINGS_RESULTS, runners: gradlings.
    const env = { GRADLINGS_RESULTS: lines[1].slice("result=".length) };
    assert.equal(reporterTotals(env, "gradlings"), "Points 3/38");
    assert.match(new TextDecoder().decode(run.stdout), /Points 3\/38/);
  } finally {
    await Deno.remove(kit, { recursive: true });
  }
});

Deno.test("classroom.yml wires the grading step to the reporter", async () => {
  const yml = await Deno.readTextFile(new URL("../.github/workflows/classroom.yml", import.meta.url));
  assert.match(yml, /id: gradlings\n/);
  assert.match(
    yml,
    /run: deno run --allow-read --allow-run --allow-env --allow-write workflow\/classroom.ts/,
  );
  assert.match(yml, /GRADLINGS_RESULTS: "\$\{\{ steps.gradlings.outputs.result \}\}"/);
  assert.match(yml, /runners: gradlings/);
  assert.match(
    yml,
    /name: Autograding Tests\n\s+runs-on/,
    "the reporter finds its check run by this job name",
  );
  assert.match(yml, /npm install --global [^\n]*deno@2\.9\.6/);
});
