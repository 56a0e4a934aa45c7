// How a command was invoked: palette commands take their target as an argument object (keybindings,
// scripts, tests), while tree items and title-bar actions pass the tree node they were used on.

/** An argument object from a script, a keybinding or a test; tree items pass their node (it has `kind`). */
export function isScripted(arg: unknown): boolean {
  return typeof arg === 'object' && arg !== null && !('kind' in arg);
}
