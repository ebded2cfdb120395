// The notebooks, run headless in Jupyter (nbclient on the Deno kernel), as a student runs them.
// Needs Debian's python3-nbclient, python3-nbformat and jupyter-client and `deno jupyter --install`:
// .ci/run installs them. Elsewhere, without them, these tests are ignored with a message saying what is
// missing; under CI (CI=true) a missing Jupyter fails instead, so CI cannot pass without running them.
import assert from "node:assert/strict";
import { LESSONS } from "../grader/manifest.ts";

const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const SCRIPT = `${ROOT}/testing/run_notebook.py`;

interface Output {
  type: string;
  text?: string;
  html?: string;
  ename?: string;
  evalue?: string;
}
interface RunCell {
  index: number;
  tags: string[];
  outputs: Output[];
  /** In-place updates of a display while the cell ran. */
  updates: number;
}

async function python(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  for (const exe of ["/usr/bin/python3", "python3"]) {
    try {
      const out = await new Deno.Command(exe, { args, cwd: ROOT, stdout: "piped", stderr: "piped" }).output();
      const result = {
        code: out.code,
        stdout: new TextDecoder().decode(out.stdout),
        stderr: new TextDecoder().decode(out.stderr),
      };
      // Debian's python3 first; another python3 on the PATH only when that one lacks the packages.
      if (!result.stdout.startsWith("missing Python package") || exe === "python3") return result;
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
  }
  return { code: 3, stdout: "python3 not found", stderr: "" };
}

const probe = await python([SCRIPT, "--probe"]);
const missing = probe.code === 0 ? undefined : (probe.stdout.trim() || probe.stderr.trim());
if (missing && Deno.env.get("CI") !== "true") {
  console.warn(`notebook/jupyter_test.ts: Jupyter tests ignored: ${missing} (.ci/run installs it)`);
}
const ignore = missing !== undefined && Deno.env.get("CI") !== "true";

async function execute(notebook: string, quick = true): Promise<RunCell[]> {
  assert.equal(missing, undefined, `Jupyter is needed under CI: ${missing}`);
  const out = await python([SCRIPT, notebook, "--cwd", "notebooks", ...(quick ? ["--quick"] : [])]);
  assert.equal(out.code, 0, out.stderr);
  return JSON.parse(out.stdout).cells;
}

const tagged = (cells: RunCell[], tag: string) => cells.filter((c) => c.tags.includes(tag));
const shown = (c: RunCell) =>
  c.outputs.filter((o) => o.type === "display_data" || o.type === "execute_result");
const errors = (cells: RunCell[]) =>
  cells.flatMap((c) =>
    c.outputs.filter((o) => o.type === "error").map((o) => `cell ${c.index}: ${o.ename}: ${o.evalue}`)
  );

Deno.test({
  name: "the instructor notebook runs in Jupyter: every check passes, the capstone trains on a subset",
  ignore,
  async fn() {
    const cells = await execute("notebooks/gradlings_solutions.ipynb");
    assert.deepEqual(errors(cells), []);
    for (const lesson of LESSONS) {
      const [check] = tagged(cells, `gradlings:check=${lesson.name}`);
      const out = shown(check);
      assert.equal(out.length, 1, `${lesson.name}: one output`);
      assert.match(out[0].text!, new RegExp(`^${lesson.name}: passed (\\d+)/\\1 `));
      assert.match(out[0].html!, /all \d+ checks passed/);
    }
    const capstone = tagged(cells, "gradlings:capstone").map((c) => shown(c).map((o) => o.text).join("\n"));
    const firstLines = tagged(cells, "gradlings:capstone").flatMap(shown).map((o) => o.text!.split("\n")[0]);
    const trainings = firstLines.filter((l) => /^[^:]+: test accuracy \d+\.\d\d% on 200 digits/.test(l));
    assert.equal(trainings.length, 2 + 4 + 2 + 2, firstLines.join("\n")); // mlp, cnn and the experiments
    assert.ok(capstone.some((t) => /confusion matrix on 200 test digits/.test(t)));
    // The training cell's progress is one display updated in place: at least at each epoch's end and at the end.
    const training = tagged(cells, "gradlings:capstone").find((c) =>
      shown(c)[0]?.text?.startsWith("mlp: test")
    )!;
    assert.equal(shown(training).length, 1);
    assert.ok(training.updates >= 2 + 1, `${training.updates} updates`);
    assert.ok(capstone.some((t) => /test digits misclassified/.test(t)));
    const html = tagged(cells, "gradlings:capstone").flatMap(shown).map((o) => o.html).join("");
    assert.match(html, /<img src="data:image\/png;base64,/);
    assert.equal(
      (html.match(/<svg /g) ?? []).length,
      2 + 2 + 3,
      "curves of the MLP and the CNN, their confusion matrices, 3 comparisons (each experiment's run is one line)",
    );
  },
});

Deno.test({
  name: "the student notebook runs in Jupyter: checks say not started, the capstone says what to finish",
  ignore,
  async fn() {
    const cells = await execute("notebooks/gradlings.ipynb");
    assert.deepEqual(errors(cells), []);
    for (const lesson of LESSONS) {
      const [check] = tagged(cells, `gradlings:check=${lesson.name}`);
      const expected = lesson.given ? "passed" : "not started 0";
      assert.match(shown(check)[0].text!, new RegExp(`^${lesson.name}: ${expected}`));
    }
    for (const c of tagged(cells, "gradlings:capstone").filter((c) => shown(c).length > 0)) {
      for (const o of shown(c)) assert.match(o.text!, /is not written yet|not trained|no run finished/);
    }
  },
});

Deno.test({
  name: "a correct notebook in another style passes every check in Jupyter too",
  ignore,
  async fn() {
    const cells = await execute("notebook/testdata/other_style.ipynb", false);
    assert.deepEqual(errors(cells), []);
    const texts = shown(tagged(cells, "gradlings:check=all")[0]).map((o) => o.text!.split("\n")[0]);
    assert.deepEqual(
      texts.map((t) => t.replace(/ \d+\/\d+ .*$/, "")),
      LESSONS.map((l) => `${l.name}: passed`),
    );
  },
});
