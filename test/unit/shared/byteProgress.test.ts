import assert from 'node:assert/strict';
import { formatByteProgress } from '../../../src/shared/byteProgress';

// "12.3 of 40 MB": both numbers in the total's unit, as the notification and the file card say it.
describe('formatByteProgress', () => {
  const MiB = 1024 * 1024;

  it('puts both numbers in the unit of the total', () => {
    assert.equal(formatByteProgress(Math.round(12.3 * MiB), 40 * MiB), '12.3 of 40 MB');
    assert.equal(formatByteProgress(0, 40 * MiB), '0 of 40 MB');
    assert.equal(formatByteProgress(512 * MiB, 3 * 1024 * MiB), '0.5 of 3 GB');
    assert.equal(formatByteProgress(700, 1000), '700 of 1000 B');
    assert.equal(formatByteProgress(150 * MiB, 300 * MiB), '150 of 300 MB');
  });

  it('never says more than the total, and shows the bytes alone without one', () => {
    assert.equal(formatByteProgress(50 * MiB, 40 * MiB), '40 of 40 MB');
    assert.equal(formatByteProgress(3 * 1024), '3 KB');
    assert.equal(formatByteProgress(1536 * 1024, 0), '1.5 MB');
    assert.equal(formatByteProgress(-5), '0 B');
  });
});
