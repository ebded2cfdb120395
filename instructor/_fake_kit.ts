/**
 * A stand-in kit for the workflow tests: the real lesson manifest, stub files,
 * and a fake `grader/main.ts` that honours the grade CLI's contract
 * (`--json`, `--lessons-dir`, lesson names) and decides from a marker in each
 * lesson file: `PASS` passes (2 points), `HALF` fails with 1 of 2, `BROKEN`
 * does not compile, anything else is not started. A `grader/hidden/<lesson>.ts`
 * adds a hidden check worth 1 point. It lets the plumbing be tested fast and
 * independently of the real grader.
 *
 * @module
 */

const MANIFEST = new URL("../grader/manifest.ts", import.meta.url).href;

const FAKE_GRADER = `
import { LESSONS } from "${MANIFEST}";
// Like the real grader, keep a cache beside the kit.
try { Deno.mkdirSync(new URL("../.gradlings/", import.meta.url), { recursive: true }); } catch { /* read-only */ }
const args = [...Deno.args];
let dir = "lessons";
const names = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--lessons-dir") dir = args[++i];
  else if (args[i] === "--timeout" || args[i] === "--seed") i++;
  else if (!args[i].startsWith("--")) names.push(args[i]);
}
const lessons = LESSONS.filter((l) => names.length === 0 || names.includes(l.name)).map((l) => {
  let text = "";
  try { text = Deno.readTextFileSync(dir + "/" + l.file); } catch { /* missing */ }
  let hidden = false;
  try { Deno.statSync(new URL("./hidden/" + l.name + ".ts", import.meta.url)); hidden = true; } catch { /* none */ }
  const status = text.includes("PASS") ? "passed" : text.includes("HALF") ? "failing"
    : text.includes("BROKEN") ? "does not compile" : "not started";
  const got = status === "passed" ? 1 : 0;
  const checks = status === "does not compile" ? [] : [
    { lesson: l.name, id: "forward", name: "forward", points: got || (status === "failing" ? 1 : 0), max: 1,
      status: got || status === "failing" ? "passed" : status === "not started" ? "not started" : "failed",
      message: "", seed: 1, time: 10 },
    { lesson: l.name, id: "backward", name: "backward", points: got, max: 1,
      status: got ? "passed" : status === "not started" ? "not started" : "failed",
      message: got ? "" : "gradInput at [0, 1]: got 1, expected 2 (seed 1)", seed: 1, time: 10 },
  ];
  if (hidden && checks.length) checks.push({ lesson: l.name, id: "hidden", name: "hidden", points: got, max: 1,
    status: got ? "passed" : "failed", message: "", seed: 1, time: 10, hidden: true });
  const points = checks.reduce((s, c) => s + c.points, 0);
  const max = status === "does not compile" ? 2 : checks.reduce((s, c) => s + c.max, 0);
  return { lesson: l.name, status, score: points, max, checks, message: status === "does not compile" ? l.file + ":1: syntax error" : "" };
});
const report = { seed: 1, time: 100, lessons, score: lessons.reduce((s, l) => s + l.score, 0),
  max: lessons.reduce((s, l) => s + l.max, 0), hiddenPending: 0 };
if (args.includes("--json")) console.log(JSON.stringify(report));
else for (const l of lessons) console.log(l.lesson, l.status, l.score + "/" + l.max);
`;

/** Creates a fake kit in a new temporary folder and returns its path. */
export async function makeFakeKit(options: { hidden?: string[] } = {}): Promise<string> {
  const { LESSONS } = await import(MANIFEST);
  const root = await Deno.makeTempDir({ prefix: "gradlings-kit-" });
  await Deno.mkdir(`${root}/grader/hidden`, { recursive: true });
  await Deno.mkdir(`${root}/lessons`);
  await Deno.mkdir(`${root}/lib`);
  await Deno.writeTextFile(`${root}/grader/main.ts`, FAKE_GRADER);
  await Deno.copyFile(new URL("../grader/manifest.ts", import.meta.url), `${root}/grader/manifest.ts`);
  for (const h of options.hidden ?? []) {
    await Deno.writeTextFile(`${root}/grader/hidden/${h}.ts`, "export {};\n");
  }
  const files: string[] = LESSONS.map((l: { file: string }) => l.file);
  await Deno.writeTextFile(
    `${root}/lessons/mod.ts`,
    files.map((f) => `export * from "./${f}";`).join("\n") + "\n",
  );
  for (const f of files) await Deno.writeTextFile(`${root}/lessons/${f}`, `// stub of ${f}\nexport {};\n`);
  await Deno.writeTextFile(`${root}/lib/tensor.ts`, "export class Tensor {}\n");
  return root;
}

/** Writes a student folder `dir` whose lessons carry the given markers (others stay stubs). */
export async function writeStudent(dir: string, marks: Record<string, string>): Promise<void> {
  await Deno.mkdir(`${dir}/lessons`, { recursive: true });
  for (const [file, mark] of Object.entries(marks)) {
    await Deno.writeTextFile(`${dir}/lessons/${file}`, `// ${mark}\nexport {};\n`);
  }
}
