/**
 * A grayscale PNG from pixel values, for showing digits in a notebook: the
 * chunks are written here, the image data is compressed with `fflate`'s zlib
 * (the kit's zip library). No canvas, no native code, no permissions.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { grayPng } from "./png.ts";
 * const png = grayPng(new Float64Array([0, 1, 1, 0]), 2, 2);
 * assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]); // "PNG"
 * ```
 *
 * @module
 */

import { zlibSync } from "fflate";

const _CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** The CRC-32 of `bytes` (PNG's chunk checksum). */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = _CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function _chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/**
 * An 8-bit grayscale PNG of `width` × `height` pixels (row-major values in
 * [0, 1], clamped), `invert` for dark ink on white.
 *
 * @throws {RangeError} when the pixel count is not `width · height`.
 */
export function grayPng(
  pixels: ArrayLike<number>,
  width: number,
  height: number,
  invert = false,
): Uint8Array {
  if (pixels.length !== width * height || width < 1 || height < 1) {
    throw new RangeError(
      `Cannot make a PNG: expected ${width} × ${height} = ${
        width * height
      } pixels, received ${pixels.length}`,
    );
  }
  const raw = new Uint8Array(height * (width + 1)); // each row: filter type 0, then the pixels
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = Math.min(1, Math.max(0, pixels[y * width + x]));
      raw[y * (width + 1) + 1 + x] = Math.round(255 * (invert ? 1 - v : v));
    }
  }
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, 0, 0, 0, 0], 8); // bit depth 8, grayscale, deflate, no filter method, no interlace
  const parts = [
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    _chunk("IHDR", header),
    _chunk("IDAT", zlibSync(raw, { level: 9 })),
    _chunk("IEND", new Uint8Array()),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** `bytes` as base64 (for a `data:` URL). */
export function base64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}
