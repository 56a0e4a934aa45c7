// One renderer per message kind; the map's type makes a new kind in the model a compile error here.
// renderContent adds what any kind can carry: a quote above it, or the withdrawn notice instead.
import type { ChatMessage, MessageKind } from '../../../shared/model';
import { renderButtons } from './buttons';
import { renderCard } from './card';
import { renderContact } from './contact';
import { renderUnknown } from './fallback';
import { renderFile } from './file';
import { renderGap } from './gap';
import { renderLive } from './live';
import { renderLocation } from './location';
import { renderMarkdown } from './markdown';
import { renderPoll } from './poll';
import { renderAudio, renderImage, renderSticker, renderVideo } from './mediaKinds';
import { quoteBlock } from './quote';
import { renderReaction } from './reaction';
import { renderRecall, renderRecalled } from './recall';
import { renderSystem } from './system';
import { renderText } from './text';
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
  reaction: renderReaction,
  poll: renderPoll,
  system: renderSystem,
  recall: renderRecall,
  gap: renderGap,
};

export function rendererFor(kind: string): MessageRenderer {
  return Object.prototype.hasOwnProperty.call(renderers, kind) ? renderers[kind as MessageKind] : renderUnknown;
}

/** The bubble content of `message`. A withdrawn message shows neither its content nor its quote. */
export function renderContent(message: ChatMessage): HTMLElement {
  if (message.recalled) return renderRecalled(message);
  const content = rendererFor(message.kind)(message);
  if (message.quote) content.prepend(quoteBlock(message.quote));
  return content;
}

export { renderUnknown };
export type { MessageRenderer };
