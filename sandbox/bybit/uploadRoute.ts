// `POST /v5/p2p/oss/upload_file`: multipart with one file field `upload_file` (jpg, png, jpeg,
// pdf, mp4), signed over the raw multipart bytes. Answers a RELATIVE show URL with an expiry, in the
// shape of the doc's example (`ret_msg` "成功", a top-level `token: null`).
import { BybitErrors } from './errors';
import { failure, success, type Route } from './routeKit';
import { UPLOAD_TYPES, extensionOf } from './uploads';

export const UPLOAD_ROUTE: Route = {
  kind: 'send',
  handle: (ctx) => {
    const part = ctx.parts?.find((p) => p.name === 'upload_file' && p.fileName !== undefined);
    if (!part || part.fileName === undefined) return failure(BybitErrors.params('upload_file is required (a multipart file field)'));
    const ext = extensionOf(part.fileName);
    if (!ext) return failure(BybitErrors.params('upload_file: only jpg, png, jpeg, pdf and mp4 files are accepted'));
    if (part.data.length === 0) return failure(BybitErrors.params('upload_file is empty'));
    if (part.data.length > ctx.backend.maxUploadBytes) return failure(BybitErrors.params(`upload_file is larger than ${ctx.backend.maxUploadBytes} bytes`));
    const kind = UPLOAD_TYPES[ext]!;
    const object = ctx.backend.objects().put(ctx.backend.random('upload'), ext, { contentType: kind.mime, body: Buffer.from(part.data) }, part.fileName, ctx.now + ctx.backend.mediaTtlMs);
    return { ...success({ uploadId: null, type: kind.type, url: object.url }, '成功'), extra: { token: null } };
  },
};
