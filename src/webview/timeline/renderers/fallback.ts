import * as l10n from '@vscode/l10n';
import { el } from '../../dom';
import { attachmentsBlock } from './media';
import { textBlock } from './textBlock';
import type { MessageRenderer } from './types';

/** For kinds this build does not know yet: say so, and still show whatever text and files came with it. */
export const renderUnknown: MessageRenderer = (message) =>
  el('div', { className: 'content content--unknown' }, [
    el('div', { className: 'content__label', text: l10n.t({ message: 'Unsupported message type “{0}”', args: [String(message.kind)], comment: ['{0} is the name of a message type this version does not know'] }) }),
    message.text ? textBlock(message.text) : null,
    attachmentsBlock(message.attachments),
  ]);
