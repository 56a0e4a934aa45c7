// Real media bytes for the URLs the sandbox emulators put in messages, generated at start-up so the repo
// carries no binary fixtures: a payment-receipt PNG (+ thumbnail), a one-page PDF, an MP4 stub.
import { createCanvas, type Rgb } from './png';

export interface MediaFile {
  readonly contentType: string;
  readonly body: Buffer;
}

const WHITE: Rgb = [255, 255, 255];
const INK: Rgb = [52, 58, 64];
const GREY: Rgb = [206, 212, 218];
const GREEN: Rgb = [40, 167, 69];

/** A receipt-looking image: green header, a check mark, an amount bar and lines of "text". */
function receiptPng(scale: number): Buffer {
  const s = (n: number): number => Math.max(1, Math.round(n * scale));
  const canvas = createCanvas(s(240), s(360), WHITE);
  canvas.fill(0, 0, s(240), s(56), GREEN);
  // Check mark in the header, drawn as two thick strokes.
  for (let i = 0; i < 10; i++) canvas.fill(s(100 + i * 2), s(22 + i * 2), s(4), s(4), WHITE);
  for (let i = 0; i < 16; i++) canvas.fill(s(120 + i * 2), s(40 - i * 2), s(4), s(4), WHITE);
  canvas.fill(s(40), s(84), s(160), s(22), INK); // amount
  for (let row = 0; row < 8; row++) {
    canvas.fill(s(24), s(130 + row * 24), s(80), s(8), GREY); // label column
    canvas.fill(s(136), s(130 + row * 24), s(80 - (row % 3) * 14), s(8), INK); // value column
  }
  canvas.fill(s(24), s(330), s(192), s(2), GREY); // footer rule
  return canvas.encode();
}

/** A minimal valid one-page PDF with a correct cross-reference table. */
function invoicePdf(): Buffer {
  const text = 'BT /F1 18 Tf 30 150 Td (Sandbox P2P invoice) Tj 0 -30 Td /F1 12 Tf (Amount: 100.00 USDT) Tj ET';
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(text)} >>\nstream\n${text}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xrefAt = Buffer.byteLength(out);
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) out += `${String(offset).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** An ISO-BMFF stub (ftyp + free + mdat): right magic and content type, not a playable clip. */
function clipMp4(): Buffer {
  const box = (type: string, payload: Buffer): Buffer => {
    const size = Buffer.alloc(4);
    size.writeUInt32BE(8 + payload.length);
    return Buffer.concat([size, Buffer.from(type, 'ascii'), payload]);
  };
  const ftyp = box('ftyp', Buffer.concat([Buffer.from('isom', 'ascii'), Buffer.from([0, 0, 2, 0]), Buffer.from('isomiso2mp41', 'ascii')]));
  return Buffer.concat([ftyp, box('free', Buffer.alloc(8)), box('mdat', Buffer.alloc(256, 0x42))]);
}

export function buildMediaLibrary(): ReadonlyMap<string, MediaFile> {
  return new Map<string, MediaFile>([
    ['receipt.png', { contentType: 'image/png', body: receiptPng(1) }],
    ['receipt_thumb.png', { contentType: 'image/png', body: receiptPng(1 / 3) }],
    ['invoice.pdf', { contentType: 'application/pdf', body: invoicePdf() }],
    ['clip.mp4', { contentType: 'video/mp4', body: clipMp4() }],
  ]);
}
