/**
 * numpy-like text rendering of a tensor, truncated for large ones.
 *
 * @module
 */

/** Tensors with more elements than this are summarised with `...`. */
const _THRESHOLD = 1000;
/** How many items to keep at each end of a summarised axis. */
const _EDGE = 3;

/** Renders one number: integers without decimals, others with up to 6 significant digits. */
function _formatNumber(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 1e16) return String(v);
  if (!Number.isFinite(v)) return Number.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
  const a = Math.abs(v);
  if (a >= 1e-4 && a < 1e6) return String(Number(v.toPrecision(6)));
  return v.toExponential(4);
}

/**
 * `tensor([[1, 2],\n        [3, 4]])`, aligned in columns; large tensors show
 * only the first and last three items of each long axis.
 */
export function formatTensor(data: Float64Array, shape: readonly number[]): string {
  const prefix = "tensor(";
  if (shape.length === 0) return `${prefix}${_formatNumber(data[0])})`;
  const summarise = data.length > _THRESHOLD;
  const strides: number[] = [];
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  const shown = (axis: number): (number | null)[] => {
    const n = shape[axis];
    if (!summarise || n <= 2 * _EDGE) return Array.from({ length: n }, (_, i) => i);
    const head = Array.from({ length: _EDGE }, (_, i) => i);
    const tail = Array.from({ length: _EDGE }, (_, i) => n - _EDGE + i);
    return [...head, null, ...tail];
  };
  // First pass: the widest number, for alignment.
  let width = 1;
  const visit = (axis: number, offset: number, f: (off: number) => void) => {
    for (const i of shown(axis)) {
      if (i === null) continue;
      if (axis === shape.length - 1) f(offset + i);
      else visit(axis + 1, offset + i * strides[axis], f);
    }
  };
  visit(0, 0, (off) => (width = Math.max(width, _formatNumber(data[off]).length)));
  const render = (axis: number, offset: number, indent: string): string => {
    const parts: string[] = [];
    for (const i of shown(axis)) {
      if (i === null) parts.push("...");
      else if (axis === shape.length - 1) parts.push(_formatNumber(data[offset + i]).padStart(width));
      else parts.push(render(axis + 1, offset + i * strides[axis], indent + " "));
    }
    if (axis === shape.length - 1) return `[${parts.join(", ")}]`;
    const gap = ",\n" + "\n".repeat(shape.length - axis - 2) + indent + " ";
    return `[${parts.join(gap)}]`;
  };
  const body = render(0, 0, " ".repeat(prefix.length));
  return `${prefix}${body}${summarise ? `, shape=[${shape.join(", ")}]` : ""})`;
}
