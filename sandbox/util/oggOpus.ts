// A short, valid Ogg Opus file of silence, generated at start-up so the repo carries no binary
// fixture: the OpusHead and OpusTags pages, then 20 ms packets that are a bare TOC byte (an empty
// frame, which RFC 6716 decoders play as silence).

/** Ogg's CRC-32: polynomial 0x04c11db7, not reflected, initial value 0. */
function oggCrc(data: Buffer): number {
  let crc = 0;
  for (const byte of data) {
    crc ^= byte << 24;
    for (let i = 0; i < 8; i++) crc = crc & 0x80000000 ? ((crc << 1) ^ 0x04c11db7) >>> 0 : (crc << 1) >>> 0;
  }
  return crc >>> 0;
}

function page(packets: readonly Buffer[], flags: number, granule: bigint, serial: number, sequence: number): Buffer {
  const lacing: number[] = [];
  for (const packet of packets) {
    let left = packet.length;
    while (left >= 255) {
      lacing.push(255);
      left -= 255;
    }
    lacing.push(left);
  }
  const header = Buffer.alloc(27);
  header.write('OggS', 0, 'ascii');
  header.writeUInt8(0, 4);
  header.writeUInt8(flags, 5);
  header.writeBigInt64LE(granule, 6);
  header.writeUInt32LE(serial, 14);
  header.writeUInt32LE(sequence, 18);
  header.writeUInt8(lacing.length, 26);
  const out = Buffer.concat([header, Buffer.from(lacing), ...packets]);
  out.writeUInt32LE(oggCrc(out), 22);
  return out;
}

/** `seconds` of mono silence at 48 kHz. */
export function silentOggOpus(seconds: number): Buffer {
  const serial = 0x5a4d4958;
  const head = Buffer.alloc(19);
  head.write('OpusHead', 0, 'ascii');
  head.writeUInt8(1, 8); // version
  head.writeUInt8(1, 9); // channels
  head.writeUInt16LE(312, 10); // pre-skip
  head.writeUInt32LE(48_000, 12); // input sample rate
  head.writeInt16LE(0, 16); // output gain
  head.writeUInt8(0, 18); // channel mapping family
  const vendor = Buffer.from('venue-chat-sandbox', 'ascii');
  const tags = Buffer.alloc(8 + 4 + vendor.length + 4);
  tags.write('OpusTags', 0, 'ascii');
  tags.writeUInt32LE(vendor.length, 8);
  vendor.copy(tags, 12);
  tags.writeUInt32LE(0, 12 + vendor.length);
  // TOC 0xF8: config 31 (CELT fullband, 20 ms), mono, one frame; no frame bytes follow.
  const frames = Math.max(1, Math.round(seconds * 50));
  const pages = [page([head], 0x02, 0n, serial, 0), page([tags], 0, 0n, serial, 1)];
  const perPage = 50;
  let sequence = 2;
  for (let done = 0; done < frames; done += perPage) {
    const count = Math.min(perPage, frames - done);
    const last = done + count >= frames;
    const granule = BigInt((done + count) * 960 + 312);
    pages.push(page(Array.from({ length: count }, () => Buffer.from([0xf8])), last ? 0x04 : 0, granule, serial, sequence));
    sequence += 1;
  }
  return Buffer.concat(pages);
}
