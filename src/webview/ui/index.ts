// The webview's UI kit: every toolkit-backed control the rest of the webview may use.
export { registerToolkit } from './toolkit';
export { createButton, setButtonDisabled, setButtonPressed, isButtonDisabled, setButtonLabel, type ButtonAppearance, type ButtonOptions } from './button';
export { createTextArea, type TextAreaHandle, type TextAreaOptions } from './textArea';
export { createSpinner } from './spinner';
