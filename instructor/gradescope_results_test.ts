import assert from "node:assert/strict";
import { toGradescope } from "./gradescope_results.ts";
import { normalizeReport } from "../workflow/report.ts";
import { validateGradescope } from "./gradescope_schema.ts";

const LESSONS = [
  { order: 1, name: "relu", title: "ReLU" },
  { order: 6, name: "linear", title: "Linear layer" },
  { order: 7, name: "sequential", title: "Sequential container" },
];

const REPORT = normalizeReport({
  seed: 7,
  time: 12.4,
  lessons: [
    {
      lesson: "relu",
      status: "passed",
      checks: [{ id: "fwd", name: "forward", points: 2, max: 2, status: "passed" }],
    },
    {
      lesson: "linear",
      status: "failing",
      checks: [
        { id: "fwd", name: "forward", points: 3, max: 3, status: "passed" },
        {
          id: "gw",
          name: "gradW",
          points: 0,
          max: 4,
          status: "failed",
          message: "gradW at [1, 3]: got 0.42",
        },
        { id: "h1", name: "large batch", points: 1.5, max: 2, status: "failed", hidden: true, message: "x" },
      ],
    },
    { lesson: "sequential", status: "does not compile", score: 0, max: 5, message: "sequential.ts:3: ..." },
  ],
});

Deno.test("toGradescope() gives one test per check and the total score", () => {
  const r = toGradescope(REPORT, LESSONS, { notes: ["missing relu.ts"] });
  assert.deepEqual(validateGradescope(r), []);
  assert.equal(r.score, 6.5);
  assert.equal(r.execution_time, 12);
  assert.deepEqual(r.tests.map((t) => [t.number, t.status, t.score, t.max_score, t.visibility]), [
    ["1.1", "passed", 2, 2, "visible"],
    ["6.1", "passed", 3, 3, "visible"],
    ["6.2", "failed", 0, 4, "visible"],
    ["6.3", "failed", 1.5, 2, "after_published"],
    ["7.0", "failed", 0, 5, "visible"],
  ]);
  assert.equal(r.tests[2].output, "gradW at [1, 3]: got 0.42");
  assert.equal(r.tests[4].output, "sequential.ts:3: ...");
  assert.match(r.output, /Note: missing relu.ts/);
});

Deno.test("toGradescope() of a refused submission is a valid, zero-score result", () => {
  const r = toGradescope(undefined, LESSONS, { rejected: "entry ../x escapes the submission folder" });
  assert.deepEqual(validateGradescope(r), []);
  assert.equal(r.score, 0);
  assert.match(r.output, /could not be graded: entry/);
});

Deno.test("the schema refuses what Gradescope would not read", () => {
  const good = toGradescope(REPORT, LESSONS);
  const bad: [string, unknown][] = [
    ["a status other than passed/failed", { ...good, tests: [{ ...good.tests[0], status: "ok" }] }],
    ["a numeric test number", { ...good, tests: [{ ...good.tests[0], number: 1.1 }] }],
    ["an unknown visibility", { ...good, visibility: "public" }],
    ["a misspelt field", { ...good, tests: [{ ...good.tests[0], maxScore: 2 }] }],
    ["no score anywhere", { tests: [{ name: "x" }] }],
  ];
  for (const [what, value] of bad) assert.notDeepEqual(validateGradescope(value), [], what);
});

Deno.test("toGradescope(): the visible summary line never tells a hidden verdict (red team 3)", () => {
  // Every visible check of linear passes; only the hidden one decides whether the lesson passes. The line
  // shown at once must read the same either way, or it tells the student the hidden verdict before the
  // grades are published.
  const withHidden = (status: "passed" | "failed") =>
    normalizeReport({
      seed: 7,
      lessons: [{
        lesson: "linear",
        status: status === "passed" ? "passed" : "failing",
        checks: [
          { id: "fwd", name: "forward", points: 3, max: 3, status: "passed" },
          { id: "h1", name: "large batch", points: 0, max: 2, status, hidden: true, message: "x" },
        ],
      }],
    });
  const shown = (status: "passed" | "failed") => toGradescope(withHidden(status), LESSONS).output;
  assert.equal(shown("failed"), shown("passed"));
  assert.match(shown("failed"), /1 of 1 lessons pass their visible checks/);
});
