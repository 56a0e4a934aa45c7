// Loads the display language's bundle into @vscode/l10n, the library the code that does not import
// `vscode` translates with (venue error texts, account form labels). It is the first import of the
// composition root, so the bundle is in place before any other module's top level runs; the venue
// bundles share this one copy of the library (dist/lib/l10n.js). Host code that has `vscode` uses
// `vscode.l10n.t`, which reads the same bundle (l10n/bundle.l10n.<language>.json).
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';

const bundle = vscode.l10n.bundle;
if (bundle) l10n.config({ contents: bundle });
