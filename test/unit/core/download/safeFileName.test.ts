// The save dialog's proposed name: one file in the chosen folder, looking like what it is, and a
// name Windows, macOS and Linux all accept.
import assert from 'node:assert/strict';
import { defaultFileName, safeFileName } from '../../../../src/extension/core/download/safeFileName';

describe('safeFileName', () => {
  it('keeps an ordinary name as it is', () => {
    assert.equal(safeFileName('invoice-4411.pdf'), 'invoice-4411.pdf');
    assert.equal(safeFileName('Rechnung März 2026.pdf'), 'Rechnung März 2026.pdf');
    assert.equal(safeFileName('收据.png'), '收据.png');
  });

  it('never names another folder: separators and parent references are flattened', () => {
    assert.equal(safeFileName('../../.ssh/authorized_keys'), '_.._.ssh_authorized_keys');
    assert.equal(safeFileName('C:\\Windows\\system32\\evil.dll'), 'C__Windows_system32_evil.dll');
    assert.equal(safeFileName('..'), 'attachment');
    assert.equal(safeFileName('.'), 'attachment');
    assert.equal(safeFileName('/'), '_');
  });

  it('drops direction and zero-width characters that disguise an extension, and replaces controls', () => {
    assert.equal(safeFileName('invoice\u202Efdp.exe'), 'invoicefdp.exe');
    assert.equal(safeFileName('pay\u200Bment\u2066.pdf\u2069'), 'payment.pdf');
    assert.equal(safeFileName('a\u0000b\u001fc\u007fd\u0085e.txt'), 'a_b_c_d_e.txt');
    assert.equal(safeFileName('line\nbreak.txt'), 'line_break.txt');
  });

  it('replaces characters Windows refuses, and trims leading dots and trailing dots and spaces', () => {
    assert.equal(safeFileName('what?<now>:"x"|*.txt'), 'what__now___x___.txt');
    assert.equal(safeFileName('.hidden'), 'hidden');
    assert.equal(safeFileName('  report.pdf. . '), 'report.pdf');
  });

  it('prefixes device names Windows reserves, with or without an extension', () => {
    for (const name of ['CON', 'con.txt', 'NUL', 'aux.pdf', 'COM1', 'lpt9.doc', 'PRN']) assert.equal(safeFileName(name), `_${name}`, name);
    assert.equal(safeFileName('console.txt'), 'console.txt');
    assert.equal(safeFileName('COM10'), 'COM10');
  });

  it('falls back for an empty name and cuts a long one below 200 UTF-8 bytes, keeping the extension', () => {
    assert.equal(safeFileName(undefined), 'attachment');
    assert.equal(safeFileName('   '), 'attachment');
    assert.equal(safeFileName('\u202E', 'file.bin'), 'file.bin');
    const long = safeFileName(`${'ж'.repeat(300)}.pdf`);
    assert.ok(Buffer.byteLength(long, 'utf8') <= 200, `${Buffer.byteLength(long, 'utf8')} bytes`);
    assert.ok(long.endsWith('.pdf'));
    assert.ok(long.startsWith('жжж'));
    const emoji = safeFileName(`${'😀'.repeat(100)}.png`);
    assert.ok(!emoji.includes('\uFFFD') && /^(?:😀)+\.png$/u.test(emoji), 'no half characters');
  });

  it('names a nameless attachment by its kind and type', () => {
    assert.equal(defaultFileName({ kind: 'image', mimeType: 'image/jpeg' }), 'image.jpg');
    assert.equal(defaultFileName({ kind: 'audio', mimeType: 'audio/ogg; codecs=opus' }), 'audio.ogg');
    assert.equal(defaultFileName({ kind: 'file', mimeType: 'application/x-unknown' }), 'file');
    assert.equal(defaultFileName({ kind: 'file', name: 'a/b.pdf', mimeType: 'application/pdf' }), 'a_b.pdf');
  });
});
