// Command ids, view ids, context keys and setting names: one place, matching package.json.

export const Commands = {
  addAccount: 'venueChat.addAccount',
  removeAccount: 'venueChat.removeAccount',
  updateKeys: 'venueChat.updateKeys',
  accountSettings: 'venueChat.accountSettings',
  openConversation: 'venueChat.openConversation',
  openSelectedConversation: 'venueChat.openSelectedConversation',
  sendMessage: 'venueChat.sendMessage',
  reconnect: 'venueChat.reconnect',
  showLog: 'venueChat.showLog',
  trySandbox: 'venueChat.trySandbox',
  statusMenu: 'venueChat.statusMenu',
  takeOver: 'venueChat.takeOver',
  muteConversation: 'venueChat.muteConversation',
  unmuteConversation: 'venueChat.unmuteConversation',
  sendLocation: 'venueChat.sendLocation',
  sendContact: 'venueChat.sendContact',
  sendSticker: 'venueChat.sendSticker',
  showPairing: 'venueChat.showPairing',
  startConversation: 'venueChat.startConversation',
  downloadAttachment: 'venueChat.downloadAttachment',
  focusInbox: 'venueChat.focusInbox',
  nextUnread: 'venueChat.nextUnread',
  replyToLatestUnread: 'venueChat.replyToLatestUnread',
  markRead: 'venueChat.markRead',
} as const;

export const Views = {
  container: 'venueChat',
  inbox: 'venueChat.inbox',
  chatPanel: 'venueChat.chat',
} as const;

export const ContextKeys = {
  hasAccounts: 'venueChat.hasAccounts',
  standby: 'venueChat.standby',
  /** Some connected account's venue can send locations / contacts / stickers (the commands show in the palette). */
  canSendLocation: 'venueChat.canSendLocation',
  canSendContact: 'venueChat.canSendContact',
  canSendSticker: 'venueChat.canSendSticker',
  /** Some connected account can open a conversation with a user id (a Mixin bot). */
  canStartConversation: 'venueChat.canStartConversation',
  /** The active chat pane's conversation is muted (its title bar offers Unmute instead of Mute). */
  activeChatMuted: 'venueChat.activeChatMuted',
} as const;

export const Settings = {
  section: 'venueChat',
  timezoneOffset: 'mexc.timezoneOffsetMinutes',
  notifyIncoming: 'notifications.incoming',
  uploadPutUrl: 'mediaUpload.putUrl',
  uploadPublicUrl: 'mediaUpload.publicUrl',
  uploadMaxMegabytes: 'mediaUpload.maxMegabytes',
  extraMediaOrigins: 'media.extraOrigins',
} as const;

export const StateKeys = {
  accounts: 'venueChat.accounts.v1',
} as const;

export const secretKeyFor = (accountId: string): string => `venueChat.account.${accountId}.credentials`;
