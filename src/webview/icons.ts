// Constant icon shapes (16x16), drawn as strokes/fills by CSS so they follow the theme colours.
import { svgIcon } from './dom';

export const icons = {
  clock: (): SVGSVGElement => svgIcon('icon--clock', ['M8 1.5a6.5 6.5 0 1 0 0 13 6.5 6.5 0 0 0 0-13z', 'M8 4.5V8l2.5 1.5']),
  check: (): SVGSVGElement => svgIcon('icon--check', ['M2.5 8.5l3 3 7-7']),
  doubleCheck: (): SVGSVGElement => svgIcon('icon--check2', ['M1 8.5l3 3 6.5-6.5', 'M6.5 8.5l3 3 6.5-6.5'], '0 0 17 16'),
  error: (): SVGSVGElement => svgIcon('icon--error', ['M8 1.5a6.5 6.5 0 1 0 0 13 6.5 6.5 0 0 0 0-13z', 'M8 4.5v4.5', 'M8 11v.5']),
  arrowDown: (): SVGSVGElement => svgIcon('icon--arrow', ['M8 3v10', 'M3.5 8.5L8 13l4.5-4.5']),
  arrowUp: (): SVGSVGElement => svgIcon('icon--arrow', ['M8 13V3', 'M3.5 7.5L8 3l4.5 4.5']),
  paperclip: (): SVGSVGElement =>
    svgIcon('icon--clip', ['M10.5 4.5L5.2 9.8a1.5 1.5 0 0 0 2.1 2.1l5.3-5.3a3 3 0 0 0-4.2-4.2L3 7.8a4.5 4.5 0 0 0 6.4 6.4L13 10.5']),
  link: (): SVGSVGElement => svgIcon('icon--link', ['M6.5 9.5l3-3', 'M7 4.5l1-1a2.8 2.8 0 0 1 4 4l-1 1', 'M9 11.5l-1 1a2.8 2.8 0 0 1-4-4l1-1']),
  close: (): SVGSVGElement => svgIcon('icon--close', ['M4 4l8 8', 'M12 4l-8 8']),
  file: (): SVGSVGElement => svgIcon('icon--file', ['M4 1.5h5l3.5 3.5v9.5h-8.5z', 'M9 1.5V5h3.5']),
  smiley: (): SVGSVGElement => svgIcon('icon--smiley', ['M8 1.5a6.5 6.5 0 1 0 0 13 6.5 6.5 0 0 0 0-13z', 'M5.5 9.5c.6 1 1.4 1.5 2.5 1.5s1.9-.5 2.5-1.5', 'M6 6v.5', 'M10 6v.5']),
  markdown: (): SVGSVGElement => svgIcon('icon--markdown', ['M1.5 4h13v8h-13z', 'M3.5 10V6l1.75 2L7 6v4', 'M11 6v3.5', 'M9.5 8.5L11 10l1.5-1.5']),
  person: (): SVGSVGElement => svgIcon('icon--person', ['M8 2a3 3 0 1 0 0 6 3 3 0 0 0 0-6z', 'M2.5 14.5c.5-3 2.8-4.5 5.5-4.5s5 1.5 5.5 4.5']),
  pin: (): SVGSVGElement => svgIcon('icon--pin', ['M8 14.5s-4.5-4.6-4.5-8a4.5 4.5 0 0 1 9 0c0 3.4-4.5 8-4.5 8z', 'M8 4.5a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3z']),
  live: (): SVGSVGElement => svgIcon('icon--live', ['M8 6.5a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3z', 'M5 5a4.2 4.2 0 0 0 0 6', 'M11 5a4.2 4.2 0 0 1 0 6', 'M3 3a7 7 0 0 0 0 10', 'M13 3a7 7 0 0 1 0 10']),
  reply: (): SVGSVGElement => svgIcon('icon--reply', ['M6.5 3.5L2 8l4.5 4.5', 'M2.5 8h6.5a4.5 4.5 0 0 1 4.5 4.5v1']),
  withdrawn: (): SVGSVGElement => svgIcon('icon--withdrawn', ['M8 1.5a6.5 6.5 0 1 0 0 13 6.5 6.5 0 0 0 0-13z', 'M3.5 3.5l9 9']),
} as const;
