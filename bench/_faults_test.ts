import assert from "node:assert/strict";
import process from "node:process";
import { ownMinorFaults, parseMinorFaults } from "./_faults.ts";

// A real line of /proc/<pid>/stat (Linux 6.x), fields 1–24: minflt (field 10) is 3470.
const LINE =
  "31550 (deno) R 31520 31520 11688 0 -1 4194304 3470 0 0 0 2 0 0 0 20 0 6 0 6518785 18600546304 9074";

Deno.test("parseMinorFaults() reads field 10 of a /proc/<pid>/stat line", async (t) => {
  await t.step("a plain command name", () => assert.equal(parseMinorFaults(LINE), 3470));
  await t.step("a command name with spaces and parentheses", () => {
    for (const comm of ["my prog", "a) R 1 2 3 4 5 6 7", "((x))", ") ) )", "Web Content (1)"]) {
      assert.equal(parseMinorFaults(LINE.replace("(deno)", `(${comm})`)), 3470, `comm ${comm}`);
    }
  });
  await t.step("a trailing newline", () => assert.equal(parseMinorFaults(LINE + "\n"), 3470));
  await t.step("not a stat line", () => {
    assert.equal(parseMinorFaults(""), null);
    assert.equal(parseMinorFaults("31550 deno R 1 2 3 4 5 6 7 8"), null); // no parentheses
    assert.equal(parseMinorFaults("31550 (deno) R 1 2 3"), null); // cut short before field 10
    assert.equal(parseMinorFaults("31550 (deno) R 1 2 3 4 5 6 x"), null); // field 10 not a count
  });
});

Deno.test("ownMinorFaults() counts this process's faults from /proc/self/stat", () => {
  const before = ownMinorFaults();
  if (Deno.build.os !== "linux") return; // no /proc: getrusage or null, checked by the doc example
  assert.ok(before !== null);
  assert.equal(before.source, "/proc/self/stat"); // the tests run with --allow-all
  // 16 MiB of fresh pages: 4,096 faults of 4 KiB pages, or 8 of 2 MiB where huge pages are always on.
  new Float64Array(1 << 21).fill(1);
  const after = ownMinorFaults()!;
  assert.ok(after.faults - before.faults >= 8, `${after.faults - before.faults} faults for 16 MiB`);
  // getrusage counts the same faults, give or take the few between the two reads.
  const rusage = process.resourceUsage().minorPageFault;
  assert.ok(Math.abs(rusage - after.faults) < 200, `/proc ${after.faults}, getrusage ${rusage}`);
});
