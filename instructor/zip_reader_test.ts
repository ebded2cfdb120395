import assert from "node:assert/strict";
import { strToU8, zipSync } from "fflate";
import { ArchiveRejected, readZip, safeEntryPath } from "./zip_reader.ts";

Deno.test("readZip() returns files and folders with their bytes", () => {
  const zip = zipSync({
    "sub/": new Uint8Array(0),
    "sub/lessons/linear.ts": strToU8("export const x = 1;\n"),
    "sub/lessons/stored.ts": [strToU8("stored"), { level: 0 }],
  });
  const entries = readZip(zip);
  assert.deepEqual(entries.map((e) => [e.path, e.kind]), [
    ["sub", "dir"],
    ["sub/lessons/linear.ts", "file"],
    ["sub/lessons/stored.ts", "file"],
  ]);
  assert.equal(new TextDecoder().decode(entries[1].data), "export const x = 1;\n");
  assert.equal(new TextDecoder().decode(entries[2].data), "stored");
});

Deno.test("readZip() refuses hostile archives with a reason", async (t) => {
  const reject = (zip: Uint8Array, pattern: RegExp) =>
    assert.throws(
      () => readZip(zip, { maxFileBytes: 1 << 20, maxTotalBytes: 3 << 20, maxEntries: 50 }),
      (e) => {
        assert.ok(e instanceof ArchiveRejected, `expected ArchiveRejected, got ${e}`);
        assert.match((e as Error).message, pattern);
        return true;
      },
    );

  await t.step("an entry that climbs out of the folder (zip slip)", () => {
    reject(zipSync({ "lessons/../../../tmp/pwned.ts": strToU8("x") }), /escapes the submission folder/);
  });
  await t.step("an absolute entry path", () => {
    reject(zipSync({ "/etc/cron.d/x": strToU8("x") }), /absolute path/);
  });
  await t.step("a Windows-style climb with backslashes", () => {
    reject(zipSync({ "..\\..\\evil.ts": strToU8("x") }), /escapes the submission folder/);
  });
  await t.step("a symlink entry (made on unix)", () => {
    const link = strToU8("/etc/passwd");
    reject(zipSync({ "lessons/linear.ts": [link, { os: 3, attrs: (0o120777 << 16) >>> 0 }] }), /symlink/);
  });
  await t.step("a file that inflates past its budget (zip bomb)", () => {
    reject(zipSync({ "lessons/big.ts": new Uint8Array(2 << 20) }), /larger than 1 MiB once unpacked/);
  });
  await t.step("files that together inflate past the total budget", () => {
    const half = new Uint8Array(900 << 10);
    reject(
      zipSync({ "a.ts": half, "b.ts": half, "c.ts": half, "d.ts": half }),
      /larger than its budget/,
    );
  });
  await t.step("too many entries", () => {
    const many: Record<string, Uint8Array> = {};
    for (let i = 0; i < 60; i++) many[`f${i}.ts`] = strToU8("x");
    reject(zipSync(many), /60 entries, more than the 50 allowed/);
  });
  await t.step("bytes that are not a zip", () => {
    reject(strToU8("this is a text file renamed to .zip, long enough"), /not a zip archive/);
  });
  await t.step("a truncated archive", () => {
    const zip = zipSync({ "lessons/linear.ts": strToU8("x".repeat(1000)) });
    const cut = new Uint8Array([...zip.subarray(0, 40), ...zip.subarray(zip.length - 200)]);
    reject(cut, /corrupt|truncated|not a zip/);
  });
});

Deno.test("readZip() refuses a 40 MiB file with the default budgets", () => {
  const zip = zipSync({ "lessons/huge.ts": new Uint8Array(40 << 20) });
  assert.ok(zip.length < 1 << 20, "the bomb itself is small");
  assert.throws(() => readZip(zip), /larger than 8 MiB once unpacked/);
});

Deno.test("safeEntryPath() normalises harmless names", () => {
  assert.equal(safeEntryPath("a\\b\\c.ts"), "a/b/c.ts");
  assert.equal(safeEntryPath("./x/./y/"), "x/y");
  assert.throws(() => safeEntryPath("C:/Windows/x"), /absolute path/);
  assert.throws(() => safeEntryPath("a\0b"), /NUL byte/);
});
