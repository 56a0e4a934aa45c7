// Tables read with a venue's words as the key (a state, a status, a message type). A plain object
// literal answers for the keys every object has ('constructor', 'toString', '__proto__'), so a
// venue sending type "constructor" would read as a function; a table without a prototype answers
// only for its own keys.

export function lookupTable<T>(entries: Readonly<Record<string, T>>): Readonly<Record<string, T | undefined>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, T>, entries));
}
