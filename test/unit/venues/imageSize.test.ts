import assert from 'node:assert/strict';
import { imageSize } from '../../../src/extension/venues/imageSize';

describe('image size from the header', () => {
  it('reads PNG, GIF, JPEG and WebP (lossy, lossless, extended); refuses what it cannot read', () => {
    const png = Buffer.alloc(24);
    Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex').copy(png);
    png.writeUInt32BE(640, 16);
    png.writeUInt32BE(480, 20);
    assert.deepEqual(imageSize(png), { width: 640, height: 480 });
    const gif = Buffer.from('GIF89a\x20\x03\x58\x02', 'latin1');
    assert.deepEqual(imageSize(gif), { width: 800, height: 600 });
    // SOI, an APP0 segment of 16 bytes, then SOF0 with height 300 and width 200.
    const jpeg = Buffer.concat([Buffer.from('ffd8ffe00010', 'hex'), Buffer.alloc(14), Buffer.from('ffc0001108012c00c803', 'hex'), Buffer.alloc(12)]);
    assert.deepEqual(imageSize(jpeg), { width: 200, height: 300 });
    const webp = (chunk: string, fill: (b: Buffer) => void) => {
      const b = Buffer.alloc(32);
      b.write('RIFF', 0, 'latin1');
      b.write('WEBP', 8, 'latin1');
      b.write(chunk, 12, 'latin1');
      fill(b);
      return b;
    };
    assert.deepEqual(imageSize(webp('VP8 ', (b) => (b.writeUInt16LE(320, 26), b.writeUInt16LE(240, 28)))), { width: 320, height: 240 });
    assert.deepEqual(imageSize(webp('VP8L', (b) => b.writeUInt32LE((99 & 0x3fff) | ((49 & 0x3fff) << 14), 21))), { width: 100, height: 50 });
    assert.deepEqual(imageSize(webp('VP8X', (b) => (b.writeUIntLE(1023, 24, 3), b.writeUIntLE(767, 27, 3)))), { width: 1024, height: 768 });
    assert.equal(imageSize(Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex')), undefined, 'a header cut short');
    assert.equal(imageSize(Buffer.from('not an image at all')), undefined);
    assert.equal(imageSize(Buffer.from('ffd8ff00', 'hex')), undefined);
  });
});
