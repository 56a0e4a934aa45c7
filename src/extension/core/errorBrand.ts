// Error classes that cross bundles. Each venue's code is a bundle of its own (dist/venues/<venue>.js,
// docs/architecture.md, Processes and bundles) with its own copy of the classes it shares with the
// core, such as VenueError; a prototype-based `instanceof` would then fail for an error made in a
// venue bundle and checked in the main bundle. So each instance carries the brands of its class
// chain under a process-wide symbol, and `instanceof` compares brands: every copy of a class agrees.

const BRANDS = Symbol.for('venueChat.errorBrands');

/** A class taking part: it declares its own static `brand`, a name unique among these classes. */
export interface BrandedClass {
  readonly brand: string;
}

interface Marked {
  [BRANDS]?: readonly string[];
}

function ownBrand(ctor: unknown): string | undefined {
  if (typeof ctor !== 'function' || !Object.prototype.hasOwnProperty.call(ctor, 'brand')) return undefined;
  const brand: unknown = (ctor as unknown as BrandedClass).brand;
  return typeof brand === 'string' ? brand : undefined;
}

/** Marks `error` with the brands of `newTarget` and its ancestors; call it in the base class constructor. */
export function markBrands(error: Error, newTarget: unknown): void {
  const brands: string[] = [];
  for (let ctor: unknown = newTarget; typeof ctor === 'function'; ctor = Object.getPrototypeOf(ctor)) {
    const brand = ownBrand(ctor);
    if (brand !== undefined) brands.push(brand);
  }
  // Not enumerable: logs, JSON and assertions see the error as before.
  Object.defineProperty(error, BRANDS, { value: brands, enumerable: false });
}

/** `value instanceof ctor` across bundles; for a subclass that declares no brand of its own, the usual prototype check. */
export function instanceOfBrand(ctor: unknown, value: unknown): boolean {
  const brand = ownBrand(ctor);
  if (brand === undefined) return typeof ctor === 'function' && Function.prototype[Symbol.hasInstance].call(ctor, value);
  if (typeof value !== 'object' || value === null) return false;
  const brands = (value as Marked)[BRANDS];
  return Array.isArray(brands) && brands.includes(brand);
}
