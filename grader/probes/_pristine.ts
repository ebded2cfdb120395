/**
 * The built-ins the probe code relies on, captured when this module is first
 * evaluated, before any student code runs. Student code may replace globals
 * afterwards (`Math`, `JSON`, `console`, prototypes); the probes keep using
 * these originals, so an accidental or playful patch does not garble the
 * report. It is robustness, not security: the child holds no secret and
 * decides nothing, so a report it garbles or forges is only a wrong claim
 * (`grader/SECURITY.md`).
 *
 * @module
 */

/** `Reflect.apply` as it was at start-up. */
export const apply = Reflect.apply;
/** `JSON.stringify`, used on primitive strings only (no `toJSON` lookup). */
export const stringifyPrimitive: (s: string) => string = JSON.stringify;
/** `Object.keys`. */
export const ownKeys = Object.keys;
/** `Object.getPrototypeOf`. */
export const protoOf = Object.getPrototypeOf;
/** `Object.defineProperty`. */
export const defineProperty = Object.defineProperty;
/** `ArrayBuffer.isView`. */
export const isView = ArrayBuffer.isView;
/** `Array.isArray`. */
export const isArray = Array.isArray;
/** `Number.isFinite`. */
export const isFinite = Number.isFinite;
/** `Number.isInteger`. */
export const isInteger = Number.isInteger;
/** The `Float64Array` constructor. */
export const F64 = Float64Array;
/** `Math.imul`, `Math.abs`, `Math.max`, `Math.sqrt`, `Math.floor`. */
export const imul = Math.imul;
/** `Math.abs`. */
export const abs = Math.abs;
/** `Math.sqrt`. */
export const sqrt = Math.sqrt;
/** `Math.floor`. */
export const floor = Math.floor;
/** `Math.log`. */
export const log = Math.log;

const typedArrayProto = Object.getPrototypeOf(Float64Array.prototype);
const lengthGetter = Object.getOwnPropertyDescriptor(typedArrayProto, "length")!.get!;
const tagGetter = Object.getOwnPropertyDescriptor(typedArrayProto, Symbol.toStringTag)!.get!;
const subarray = typedArrayProto.subarray as (this: Uint8Array, start: number) => Uint8Array;

/** The length of a typed array, read with the original getter (a patched prototype cannot lie). */
export function typedLength(a: ArrayBufferView): number {
  return apply(lengthGetter, a, []) as number;
}

/** True when `x` is a real `Float64Array` (a Proxy or look-alike is not). */
export function isFloat64Array(x: unknown): x is Float64Array {
  return isView(x) && apply(tagGetter, x, []) === "Float64Array";
}

const encoder = new TextEncoder();
const encode = TextEncoder.prototype.encode;
const stdout = Deno.stdout;
const writeSync = Deno.stdout.writeSync;

/** Writes `text` to stdout with the original encoder and `writeSync`, in full. */
export function writeOut(text: string): void {
  const bytes = apply(encode, encoder, [text]) as Uint8Array;
  let done = 0;
  const total = typedLength(bytes);
  while (done < total) {
    const chunk = done === 0 ? bytes : apply(subarray, bytes, [done]) as Uint8Array;
    done += apply(writeSync, stdout, [chunk]) as number;
  }
}
