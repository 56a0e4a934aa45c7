// A real, scannable QR code (version 4, error correction L, byte mode, mask 0) drawn as a PNG data
// URL, for emulated pairing screens: the sandbox ships no QR library, and a gateway's pairing code
// must be an image a client can show as it is. Up to 78 bytes of text.
import { createCanvas, type Rgb } from './png';

const VERSION = 4;
const SIZE = VERSION * 4 + 17; // 33 modules
const DATA_CODEWORDS = 80;
const EC_CODEWORDS = 20;
export const QR_MAX_BYTES = 78;
/** Error-correction level L in the format field, mask pattern 0. */
const FORMAT_ECL_L = 1;
const MASK = 0;

function gfMultiply(x: number, y: number): number {
  let z = 0;
  for (let i = 7; i >= 0; i--) {
    z = (z << 1) ^ ((z >>> 7) * 0x11d);
    z ^= ((y >>> i) & 1) * x;
  }
  return z & 0xff;
}

function rsDivisor(degree: number): number[] {
  const result = new Array<number>(degree).fill(0);
  result[degree - 1] = 1;
  let root = 1;
  for (let i = 0; i < degree; i++) {
    for (let j = 0; j < degree; j++) {
      result[j] = gfMultiply(result[j]!, root);
      if (j + 1 < degree) result[j] = result[j]! ^ result[j + 1]!;
    }
    root = gfMultiply(root, 0x02);
  }
  return result;
}

function rsRemainder(data: readonly number[], divisor: readonly number[]): number[] {
  const result = new Array<number>(divisor.length).fill(0);
  for (const b of data) {
    const factor = b ^ result.shift()!;
    result.push(0);
    divisor.forEach((coef, i) => {
      result[i] = result[i]! ^ gfMultiply(coef, factor);
    });
  }
  return result;
}

/** The 15 format bits (ECL and mask with their BCH code, XOR-masked), bit 14 first on paper. */
export function formatBits(ecl = FORMAT_ECL_L, mask = MASK): number {
  const data = (ecl << 3) | mask;
  let rem = data;
  for (let i = 0; i < 10; i++) rem = (rem << 1) ^ ((rem >>> 9) * 0x537);
  return ((data << 10) | rem) ^ 0x5412;
}

function codewords(text: string): number[] {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length > QR_MAX_BYTES) throw new Error(`QR payload longer than ${QR_MAX_BYTES} bytes`);
  const bits: number[] = [];
  const put = (value: number, length: number): void => {
    for (let i = length - 1; i >= 0; i--) bits.push((value >>> i) & 1);
  };
  put(0b0100, 4); // byte mode
  put(bytes.length, 8);
  for (const b of bytes) put(b, 8);
  const capacity = DATA_CODEWORDS * 8;
  put(0, Math.min(4, capacity - bits.length));
  while (bits.length % 8 !== 0) bits.push(0);
  const data: number[] = [];
  for (let i = 0; i < bits.length; i += 8) data.push(bits.slice(i, i + 8).reduce((acc, b) => (acc << 1) | b, 0));
  for (let pad = 0xec; data.length < DATA_CODEWORDS; pad ^= 0xec ^ 0x11) data.push(pad);
  return [...data, ...rsRemainder(data, rsDivisor(EC_CODEWORDS))];
}

/** The module matrix (true = dark), rows of columns. */
export function qrMatrix(text: string): boolean[][] {
  const modules = Array.from({ length: SIZE }, () => new Array<boolean>(SIZE).fill(false));
  const fixed = Array.from({ length: SIZE }, () => new Array<boolean>(SIZE).fill(false));
  const set = (x: number, y: number, dark: boolean): void => {
    modules[y]![x] = dark;
    fixed[y]![x] = true;
  };
  for (let i = 0; i < SIZE; i++) {
    set(6, i, i % 2 === 0);
    set(i, 6, i % 2 === 0);
  }
  for (const [cx, cy] of [[3, 3], [SIZE - 4, 3], [3, SIZE - 4]] as const) {
    for (let dy = -4; dy <= 4; dy++) {
      for (let dx = -4; dx <= 4; dx++) {
        const x = cx + dx;
        const y = cy + dy;
        const dist = Math.max(Math.abs(dx), Math.abs(dy));
        if (x >= 0 && x < SIZE && y >= 0 && y < SIZE) set(x, y, dist !== 2 && dist !== 4);
      }
    }
  }
  // Version 4 has one alignment pattern not overlapping a finder, centred at (26, 26).
  for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) set(26 + dx, 26 + dy, Math.max(Math.abs(dx), Math.abs(dy)) !== 1);
  const format = formatBits();
  const bit = (i: number): boolean => ((format >>> i) & 1) !== 0;
  for (let i = 0; i <= 5; i++) set(8, i, bit(i));
  set(8, 7, bit(6));
  set(8, 8, bit(7));
  set(7, 8, bit(8));
  for (let i = 9; i < 15; i++) set(14 - i, 8, bit(i));
  for (let i = 0; i < 8; i++) set(SIZE - 1 - i, 8, bit(i));
  for (let i = 8; i < 15; i++) set(8, SIZE - 15 + i, bit(i));
  set(8, SIZE - 8, true); // the dark module

  const data = codewords(text);
  let i = 0;
  for (let right = SIZE - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5;
    for (let vert = 0; vert < SIZE; vert++) {
      for (let j = 0; j < 2; j++) {
        const x = right - j;
        const upward = ((right + 1) & 2) === 0;
        const y = upward ? SIZE - 1 - vert : vert;
        if (fixed[y]![x]) continue;
        const dark = i < data.length * 8 && ((data[i >>> 3]! >>> (7 - (i & 7))) & 1) !== 0;
        i++;
        // Mask 0: invert where (x + y) is even.
        modules[y]![x] = dark !== ((x + y) % 2 === 0);
      }
    }
  }
  return modules;
}

const BLACK: Rgb = [0, 0, 0];
const WHITE: Rgb = [255, 255, 255];

/** `data:image/png;base64,…` of the QR code for `text`, 4 px a module with a 4-module quiet zone. */
export function qrPngDataUrl(text: string, scale = 4): string {
  const matrix = qrMatrix(text);
  const quiet = 4;
  const canvas = createCanvas((SIZE + quiet * 2) * scale, (SIZE + quiet * 2) * scale, WHITE);
  matrix.forEach((row, y) => row.forEach((dark, x) => {
    if (dark) canvas.fill((x + quiet) * scale, (y + quiet) * scale, scale, scale, BLACK);
  }));
  return `data:image/png;base64,${canvas.encode().toString('base64')}`;
}
