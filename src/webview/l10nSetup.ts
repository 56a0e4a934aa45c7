// Loads the translations the host put on the page (`data-l10n` on #app, chatHtml.ts) into
// @vscode/l10n. It is main.ts's first import, so the bundle is in place before any other module's
// top level runs; a bundle that cannot be read leaves the texts in English rather than the pane blank.
import * as l10n from '@vscode/l10n';

const raw = document.getElementById('app')?.dataset['l10n'];
if (raw) {
  try {
    const contents: unknown = JSON.parse(raw);
    if (contents && typeof contents === 'object' && !Array.isArray(contents)) l10n.config({ contents: contents as l10n.l10nJsonFormat });
  } catch (err) {
    console.error('Venue Chat: the pane\'s translations could not be read; showing English.', err);
  }
}
