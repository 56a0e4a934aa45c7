// One renderer per message kind; the map's type makes a new kind in the model a compile error here.
import type { MessageKind } from '../../../shared/model';
import { renderUnknown } from './fallback';
import { renderFile } from './file';
import { renderGap } from './gap';
import { renderButtons, renderCard, renderContact, renderLive, renderLocation } from './labelled';
import { renderAudio, renderImage, renderSticker, renderVideo } from './mediaKinds';
import { renderSystem } from './system';
import { renderMarkdown, renderText } from './text';
import type { MessageRenderer } from './types';

export const renderers: Readonly<Record<MessageKind, MessageRenderer>> = {
  text: renderText,
  markdown: renderMarkdown,
  image: renderImage,
  video: renderVideo,
  audio: renderAudio,
  file: renderFile,
  sticker: renderSticker,
  contact: renderContact,
  location: renderLocation,
  card: renderCard,
  buttons: renderButtons,
  live: renderLive,
  system: renderSystem,
  recall: renderSystem,
  gap: renderGap,
};

export function rendererFor(kind: string): MessageRenderer {
  return Object.prototype.hasOwnProperty.call(renderers, kind) ? renderers[kind as MessageKind] : renderUnknown;
}

export { renderUnknown };
export type { MessageRenderer };
