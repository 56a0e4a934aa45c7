// How the two chat API generations show one stored message. The order-scoped (legacy) list names
// the sender's userId and echoes msgUuid; the session list names only the sender's nickname and
// packs content, msgType and fileName into a JSON string. Both send ids and times as strings.
import type { StoredMessage } from './store';

export function legacyItem(m: StoredMessage, senderAccountId: string): Record<string, unknown> {
  const system = m.fromUserId === '';
  return {
    id: String(m.id),
    accountId: system ? '0' : senderAccountId,
    message: m.content,
    msgType: m.msgType,
    msgCode: m.msgCode,
    createDate: String(m.createDate),
    isRead: m.read ? 1 : 0,
    contentType: m.contentType,
    roleType: system ? 'sys' : 'user',
    userId: system ? '0' : m.fromUserId,
    orderId: m.orderId,
    msgUuid: m.msgUuid,
    nickName: m.fromNickName,
    read: m.read ? 1 : 0,
    fileName: m.fileName,
    onlyForCustomer: 0,
  };
}

export function sessionItem(m: StoredMessage): Record<string, unknown> {
  return {
    id: String(m.id),
    sendUserNickName: m.fromNickName,
    contentType: m.contentType,
    message: JSON.stringify({ content: m.content, msgType: m.msgType, fileName: m.fileName }),
    createDate: String(m.createDate),
  };
}
