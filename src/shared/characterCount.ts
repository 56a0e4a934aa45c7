// What a venue counts as a message's length: Unicode code points, not UTF-16 code units. An emoji
// such as 😀 is one character to the venue and to the user, though it takes two code units, so
// "98 / 2000" for 91 characters was a lie. Used wherever `maxTextLength` is enforced (composer
// counter and send gate, the host's check before sending).

/** Number of Unicode code points in `text` (a lone surrogate counts as one). */
export function countCharacters(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // A high surrogate followed by a low one is one code point.
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}
