// Validation shared by both send routes: a text of at most 1000 characters, or the URL of a file
// the venue stored (relative, as upload_file returned it), with a content type of any case.
import { BybitErrors, type BybitError } from './errors';
import type { Params, RouteBackend } from './routeKit';
import type { ContentType, MessageFields } from './store';
import { UPLOAD_TYPES, extensionOf } from './uploads';

export const MAX_TEXT_LENGTH = 1000;
const CONTENT_TYPES: readonly ContentType[] = ['str', 'pic', 'pdf', 'video'];

export function sendFields(params: Params, backend: RouteBackend): MessageFields | BybitError {
  const message = params.text('message');
  if (message === undefined || message === '') return BybitErrors.params('message is required');
  const raw = params.text('contentType');
  if (raw === undefined) return BybitErrors.params('contentType is required');
  const contentType = CONTENT_TYPES.find((t) => t === raw.toLowerCase());
  if (!contentType) return BybitErrors.params('contentType must be str, pic, pdf or video');
  if (contentType === 'str') {
    if ([...message].length > MAX_TEXT_LENGTH) return BybitErrors.params(`message longer than ${MAX_TEXT_LENGTH} characters`);
    return { contentType, content: message, fileName: '' };
  }
  const object = backend.objects().byUrl(message);
  if (!object) return BybitErrors.params('message must be the url of an uploaded file');
  if (UPLOAD_TYPES[extensionOf(object.name) ?? '']?.contentType !== contentType) return BybitErrors.params(`contentType ${contentType} does not match the uploaded file`);
  return { contentType, content: message, fileName: params.text('fileName') ?? object.fileName };
}
