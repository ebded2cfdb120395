/**
 * Writes a file so that a reader (or a run killed half-way) sees either the
 * old content or the new one, never a torn file: the bytes go to a temporary
 * file beside the target, are flushed to disk, then renamed over it (a rename
 * within one folder is atomic on POSIX file systems).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { writeFileAtomic } from "./atomic_write.ts";
 * const dir = await Deno.makeTempDir();
 * await writeFileAtomic(`${dir}/report.json`, '{"ok":true}');
 * assert.equal(await Deno.readTextFile(`${dir}/report.json`), '{"ok":true}');
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @module
 */

/** The prefix of temporary files, so that a resumed run can recognise and sweep leftovers. */
export const TEMP_PREFIX = ".tmp-";

/**
 * Writes `data` to `path` atomically (temp file, flush, rename), creating the
 * parent folder when missing.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const slash = path.lastIndexOf("/");
  const dir = slash < 0 ? "." : path.slice(0, slash) || "/";
  const base = path.slice(slash + 1);
  await Deno.mkdir(dir, { recursive: true });
  const temp = `${dir}/${TEMP_PREFIX}${base}.${Deno.pid}.${crypto.randomUUID().slice(0, 8)}`;
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const file = await Deno.open(temp, { write: true, createNew: true, mode: 0o644 });
  try {
    let written = 0;
    while (written < bytes.length) written += await file.write(bytes.subarray(written));
    await file.syncData();
  } catch (e) {
    file.close();
    await Deno.remove(temp).catch(() => {});
    throw e;
  }
  file.close();
  await Deno.rename(temp, path);
}

/**
 * Removes the temporary files that a killed run left in `dir` (not recursive).
 * Returns how many were removed.
 */
export async function sweepTempFiles(dir: string): Promise<number> {
  let removed = 0;
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isFile && entry.name.startsWith(TEMP_PREFIX)) {
        await Deno.remove(`${dir}/${entry.name}`).catch(() => {});
        removed++;
      }
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return removed;
}
