/**
 * Reads a `.zip` submission defensively: the central directory is parsed here
 * (so symlink entries, which fflate's reader does not report, are seen), every
 * entry name is checked to stay inside the archive's folder ("zip slip"), and
 * the data is inflated in small chunks with a byte budget, so a zip bomb or a
 * 1 GB file is refused after a few megabytes instead of filling the memory.
 *
 * Anything refused throws an {@linkcode ArchiveRejected} whose message is the
 * reason the gradebook shows.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { strToU8, zipSync } from "fflate";
 * import { readZip } from "./zip_reader.ts";
 *
 * const entries = readZip(zipSync({ "lessons/linear.ts": strToU8("export {};") }));
 * assert.deepEqual(entries.map((e) => [e.path, e.kind]), [["lessons/linear.ts", "file"]]);
 * ```
 *
 * @module
 */

import { Inflate } from "fflate";

/** A submission archive that is refused; `message` is the reason shown to the instructor. */
export class ArchiveRejected extends Error {
  /** @param reason Why the archive is refused, e.g. `entry "../x" escapes the submission folder`. */
  constructor(reason: string) {
    super(reason);
    this.name = "ArchiveRejected";
  }
}

/** One entry of an archive, its path normalised to forward slashes without a leading `./`. */
export interface ZipEntry {
  /** Path inside the archive, e.g. `lessons/linear.ts` (a folder has no trailing slash). */
  path: string;
  /** `dir` for a folder entry; symlinks are refused, never returned. */
  kind: "file" | "dir";
  /** The inflated bytes (empty for a folder). */
  data: Uint8Array;
}

/** Budgets that bound what an archive may cost to read. */
export interface ZipLimits {
  /** Largest single file, inflated, in bytes (default 8 MiB). */
  maxFileBytes: number;
  /** Largest total of all files, inflated, in bytes (default 32 MiB). */
  maxTotalBytes: number;
  /** Most entries (default 2000). */
  maxEntries: number;
}

/** The default budgets: generous for a folder of TypeScript files, tiny next to a zip bomb. */
export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxFileBytes: 8 * 1024 * 1024,
  maxTotalBytes: 32 * 1024 * 1024,
  maxEntries: 2000,
};

const EOCD_SIG = 0x06054b50;
const CDH_SIG = 0x02014b50;
const LFH_SIG = 0x04034b50;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const CHUNK = 16 * 1024;

/**
 * Checks an entry name and returns it normalised (`\` read as `/`, `./` and
 * empty segments dropped, no trailing slash). Throws {@linkcode ArchiveRejected}
 * for an absolute path, a drive letter, a `..` segment or a NUL byte.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { safeEntryPath } from "./zip_reader.ts";
 * assert.equal(safeEntryPath("./lessons//linear.ts"), "lessons/linear.ts");
 * assert.throws(() => safeEntryPath("lessons/../../etc/passwd"), /escapes the submission folder/);
 * ```
 */
export function safeEntryPath(name: string): string {
  const shown = JSON.stringify(name);
  if (name.includes("\0")) throw new ArchiveRejected(`entry ${shown} has a NUL byte in its name`);
  const slashed = name.replaceAll("\\", "/");
  if (slashed.startsWith("/") || /^[A-Za-z]:/.test(slashed)) {
    throw new ArchiveRejected(`entry ${shown} is an absolute path: it escapes the submission folder`);
  }
  const parts = slashed.split("/").filter((p) => p !== "" && p !== ".");
  if (parts.includes("..")) throw new ArchiveRejected(`entry ${shown} escapes the submission folder`);
  return parts.join("/");
}

function _inflate(
  compressed: Uint8Array,
  method: number,
  path: string,
  fileBudget: number,
  totalLeft: number,
): Uint8Array {
  const tooBig = (n: number) => {
    if (n > fileBudget) {
      return new ArchiveRejected(`file "${path}" is larger than ${_mib(fileBudget)} once unpacked`);
    }
    if (n > totalLeft) return new ArchiveRejected(`the archive is larger than its budget once unpacked`);
    return undefined;
  };
  if (method === 0) {
    const err = tooBig(compressed.length);
    if (err) throw err;
    return compressed.slice();
  }
  if (method !== 8) {
    throw new ArchiveRejected(`file "${path}" uses compression method ${method} (only 0 and 8)`);
  }
  const parts: Uint8Array[] = [];
  let size = 0;
  let failure: Error | undefined;
  const inflater = new Inflate((chunk) => {
    size += chunk.length;
    if (!failure) failure = tooBig(size);
    if (!failure) parts.push(chunk);
  });
  for (let at = 0; at < compressed.length && !failure; at += CHUNK) {
    const end = Math.min(at + CHUNK, compressed.length);
    try {
      inflater.push(compressed.subarray(at, end), end === compressed.length);
    } catch (e) {
      throw new ArchiveRejected(`file "${path}" is corrupt: ${(e as Error).message}`);
    }
  }
  if (failure) throw failure;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function _mib(n: number): string {
  return `${(n / 1024 / 1024).toFixed(0)} MiB`;
}

function _findEocd(view: DataView): number {
  const min = Math.max(0, view.byteLength - 22 - 0xffff);
  for (let at = view.byteLength - 22; at >= min; at--) {
    if (view.getUint32(at, true) === EOCD_SIG) return at;
  }
  throw new ArchiveRejected("not a zip archive (no end-of-central-directory record)");
}

/**
 * Reads every entry of a zip archive within `limits`, refusing symlinks,
 * encrypted entries, paths that escape the folder, zip64 archives and
 * anything over budget.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { strToU8, zipSync } from "fflate";
 * import { readZip } from "./zip_reader.ts";
 * assert.throws(() => readZip(zipSync({ "../evil.ts": strToU8("x") })), /escapes the submission folder/);
 * ```
 */
export function readZip(bytes: Uint8Array, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 22) throw new ArchiveRejected("not a zip archive (too short)");
  const eocd = _findEocd(view);
  const count = view.getUint16(eocd + 10, true);
  const cdOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || cdOffset === 0xffffffff) {
    throw new ArchiveRejected("zip64 archives are not supported");
  }
  if (count > limits.maxEntries) {
    throw new ArchiveRejected(`the archive has ${count} entries, more than the ${limits.maxEntries} allowed`);
  }
  const decoder = new TextDecoder();
  const entries: ZipEntry[] = [];
  const seen = new Set<string>();
  let total = 0;
  let at = cdOffset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== CDH_SIG) {
      throw new ArchiveRejected("the archive's central directory is corrupt");
    }
    const madeBy = view.getUint16(at + 4, true);
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    const compSize = view.getUint32(at + 20, true);
    const nameLen = view.getUint16(at + 28, true);
    const extraLen = view.getUint16(at + 30, true);
    const commentLen = view.getUint16(at + 32, true);
    const external = view.getUint32(at + 38, true);
    const local = view.getUint32(at + 42, true);
    const rawName = decoder.decode(bytes.subarray(at + 46, at + 46 + nameLen));
    at += 46 + nameLen + extraLen + commentLen;

    const path = safeEntryPath(rawName);
    const mode = external >>> 16;
    if (madeBy >> 8 === 3 && (mode & S_IFMT) === S_IFLNK) {
      throw new ArchiveRejected(`entry "${rawName}" is a symlink (symlinks are not accepted)`);
    }
    if (flags & 1) throw new ArchiveRejected(`entry "${rawName}" is encrypted`);
    if (compSize === 0xffffffff || local === 0xffffffff) {
      throw new ArchiveRejected("zip64 archives are not supported");
    }
    const isDir = rawName.endsWith("/") || rawName.endsWith("\\");
    if (path === "") {
      if (isDir) continue;
      throw new ArchiveRejected(`entry ${JSON.stringify(rawName)} has an empty name`);
    }
    if (seen.has(path)) throw new ArchiveRejected(`entry "${path}" appears twice`);
    seen.add(path);
    if (isDir) {
      entries.push({ path, kind: "dir", data: new Uint8Array(0) });
      continue;
    }
    if (local + 30 > bytes.length || view.getUint32(local, true) !== LFH_SIG) {
      throw new ArchiveRejected(`entry "${path}" has a corrupt local header`);
    }
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    if (start + compSize > bytes.length) throw new ArchiveRejected(`entry "${path}" is truncated`);
    const data = _inflate(
      bytes.subarray(start, start + compSize),
      method,
      path,
      limits.maxFileBytes,
      limits.maxTotalBytes - total,
    );
    total += data.length;
    entries.push({ path, kind: "file", data });
  }
  return entries;
}
