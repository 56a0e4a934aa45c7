// A minimal PNG encoder (8-bit RGB, filter 0, one IDAT) so the sandbox can serve real images
// without shipping binary fixtures.
import { crc32, deflateSync } from 'node:zlib';

export type Rgb = readonly [number, number, number];

export interface Canvas {
  readonly width: number;
  readonly height: number;
  fill(x: number, y: number, w: number, h: number, color: Rgb): void;
  encode(): Buffer;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData) >>> 0);
  return Buffer.concat([length, typeAndData, crc]);
}

export function createCanvas(width: number, height: number, background: Rgb): Canvas {
  const pixels = Buffer.alloc(width * height * 3);
  const fill = (x: number, y: number, w: number, h: number, [r, g, b]: Rgb): void => {
    for (let row = Math.max(0, y); row < Math.min(height, y + h); row++) {
      for (let col = Math.max(0, x); col < Math.min(width, x + w); col++) {
        const at = (row * width + col) * 3;
        pixels[at] = r;
        pixels[at + 1] = g;
        pixels[at + 2] = b;
      }
    }
  };
  fill(0, 0, width, height, background);
  return {
    width,
    height,
    fill,
    encode(): Buffer {
      const raw = Buffer.alloc((width * 3 + 1) * height);
      for (let row = 0; row < height; row++) {
        raw[row * (width * 3 + 1)] = 0; // filter type "None"
        pixels.copy(raw, row * (width * 3 + 1) + 1, row * width * 3, (row + 1) * width * 3);
      }
      const header = Buffer.alloc(13);
      header.writeUInt32BE(width, 0);
      header.writeUInt32BE(height, 4);
      header[8] = 8; // bit depth
      header[9] = 2; // colour type RGB
      header[10] = 0; // compression
      header[11] = 0; // filter
      header[12] = 0; // interlace
      return Buffer.concat([
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
        chunk('IHDR', header),
        chunk('IDAT', deflateSync(raw)),
        chunk('IEND', Buffer.alloc(0)),
      ]);
    },
  };
}
