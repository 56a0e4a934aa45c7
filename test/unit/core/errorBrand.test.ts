import assert from 'node:assert/strict';
import { HttpRequestError } from '../../../src/extension/core/connection/httpFailure';
import { markBrands } from '../../../src/extension/core/errorBrand';
import { isVenueError, VenueError } from '../../../src/extension/venues/venue';

// What another bundle's copy of the classes looks like to this one: same brands, other prototypes.
class OtherBundleVenueError extends Error {
  static readonly brand: string = 'VenueError';
  constructor(readonly kind: string) {
    super('from another bundle');
    markBrands(this, new.target);
  }
}
class OtherBundleHttpRequestError extends OtherBundleVenueError {
  static override readonly brand: string = 'HttpRequestError';
}

describe('error brands across bundles', () => {
  it('recognises a VenueError made by another copy of the class', () => {
    const err: unknown = new OtherBundleVenueError('rejected');
    assert.notEqual(Object.getPrototypeOf(err), VenueError.prototype);
    assert.ok(err instanceof VenueError);
    assert.ok(isVenueError(err));
    assert.ok(!(err instanceof HttpRequestError), 'a plain VenueError is no HttpRequestError');
  });

  it('recognises a subclass through its own brand and its ancestors', () => {
    const foreign: unknown = new OtherBundleHttpRequestError('unknown-outcome');
    assert.ok(foreign instanceof HttpRequestError);
    assert.ok(foreign instanceof VenueError);
    const local = new HttpRequestError('unavailable', 'refused', { mayHaveLeft: false });
    assert.ok(local instanceof HttpRequestError && local instanceof VenueError && local instanceof Error);
    assert.ok(!(new VenueError('auth', 'no') instanceof HttpRequestError));
  });

  it('refuses look-alikes: plain errors, objects with the same fields, primitives', () => {
    for (const value of [new Error('x'), { kind: 'auth', message: 'x', name: 'VenueError' }, null, undefined, 'VenueError', 42]) {
      assert.equal(value instanceof VenueError, false, String(value));
      assert.equal(isVenueError(value), false);
    }
  });

  it('keeps the brands out of enumeration, JSON and the message', () => {
    const err = new VenueError('rate-limit', 'slow down', 429, 1000);
    assert.deepEqual(Object.keys(err).sort(), ['kind', 'name', 'retryAfterMs', 'venueCode']);
    assert.equal(err.message, 'slow down');
    assert.equal(err.name, 'VenueError');
  });

  it('falls back to the prototype check for a subclass without a brand of its own', () => {
    class Unbranded extends VenueError {}
    assert.ok(new Unbranded('auth', 'x') instanceof Unbranded);
    assert.ok(new Unbranded('auth', 'x') instanceof VenueError);
    assert.equal(new VenueError('auth', 'x') instanceof Unbranded, false);
  });
});
