import assert from 'node:assert/strict';
import { encodeMultipart, MultipartForm } from '../../../../src/extension/core/connection/multipart';

describe('multipart/form-data encoding', () => {
  it('lays out fields and files byte for byte with the given boundary', () => {
    const { bytes, contentType } = encodeMultipart(
      new MultipartForm([
        { name: 'a', value: 'x' },
        { name: 'f', filename: 'n.bin', contentType: 'application/octet-stream', data: Uint8Array.of(0, 255) },
      ]),
      'B',
    );
    assert.equal(contentType, 'multipart/form-data; boundary=B');
    const expected = Buffer.concat([
      Buffer.from('--B\r\nContent-Disposition: form-data; name="a"\r\n\r\nx\r\n'),
      Buffer.from('--B\r\nContent-Disposition: form-data; name="f"; filename="n.bin"\r\nContent-Type: application/octet-stream\r\n\r\n'),
      Buffer.from([0, 255]),
      Buffer.from('\r\n--B--\r\n'),
    ]);
    assert.ok(bytes.equals(expected), bytes.toString('latin1'));
  });

  it('escapes quotes and line breaks in names so they cannot end the header', () => {
    const { bytes } = encodeMultipart(new MultipartForm([{ name: 'f', filename: 'a"\r\nContent-Type: text/html.png', contentType: 'image/png', data: Uint8Array.of(1) }]), 'B');
    assert.match(bytes.toString('latin1'), /filename="a%22%0D%0AContent-Type: text\/html\.png"\r\nContent-Type: image\/png\r\n/);
    assert.throws(() => encodeMultipart(new MultipartForm([{ name: 'f', filename: 'x', contentType: 'image/png\r\nX: y', data: Uint8Array.of(1) }])));
  });

  it('never picks a boundary that occurs in the content', () => {
    assert.throws(() => encodeMultipart(new MultipartForm([{ name: 'a', value: 'has --B inside' }]), 'B'));
    const { bytes, contentType } = encodeMultipart(new MultipartForm([{ name: 'a', value: 'x' }]));
    const boundary = contentType.split('boundary=')[1]!;
    assert.match(boundary, /^----VenueChatBoundary[0-9a-f]{24}$/);
    assert.ok(bytes.toString().endsWith(`--${boundary}--\r\n`));
  });
});
