/**
 * Every data-testid the UI carries, for QA page models. Stable: add ids, never rename them.
 * Repeated items carry one id plus data attributes that say which item and in what state:
 * TEST_ID_ATTRIBUTES below lists them, and docs/testing.md shows both lists as generated tables.
 */
export const TEST_IDS = {
  app: 'app',
  // Sign in and register
  authScreen: 'auth-screen',
  authTabSignIn: 'auth-tab-sign-in',
  authTabRegister: 'auth-tab-register',
  authUsername: 'auth-username',
  authPassword: 'auth-password',
  authDisplayName: 'auth-display-name',
  authSubmit: 'auth-submit',
  authError: 'auth-error',
  signOutRevokeLater: 'sign-out-revoke-later',

  // Left rail and settings
  rail: 'rail',
  railChats: 'rail-chats',
  railContacts: 'rail-contacts',
  railNewGroup: 'rail-new-group',
  railShareProduct: 'rail-share-product',
  railSettings: 'rail-settings',
  currentUser: 'current-user',
  settingsMenu: 'settings-menu',
  languageSwitch: 'language-switch',
  themeSwitch: 'theme-switch',
  signOut: 'sign-out',
  totalUnread: 'total-unread',
  railRequestCount: 'rail-request-count',

  // Connection
  connectionBanner: 'connection-banner',

  // Conversation list
  conversationList: 'conversation-list',
  conversationFilter: 'conversation-filter',
  conversationItem: 'conversation-item',
  conversationTitle: 'conversation-title',
  conversationPreview: 'conversation-preview',
  conversationTime: 'conversation-time',
  unreadBadge: 'unread-badge',
  emptyConversations: 'empty-conversations',
  conversationsNoMatch: 'conversations-no-match',

  // Chat pane
  chatPane: 'chat-pane',
  chatTitle: 'chat-title',
  chatPresence: 'chat-presence',
  chatEmpty: 'chat-empty',
  removedNotice: 'removed-notice',
  removedNoticeDismiss: 'removed-notice-dismiss',
  groupPanelToggle: 'group-panel-toggle',
  messageList: 'message-list',
  messageRow: 'message-row',
  messageText: 'message-text',
  messageSender: 'message-sender',
  messageTime: 'message-time',
  systemMessage: 'system-message',
  daySeparator: 'day-separator',
  historyLoading: 'history-loading',
  historyStart: 'history-start',
  unreadDivider: 'unread-divider',
  newMessagesJump: 'new-messages-jump',
  messagePending: 'message-pending',
  messageFailed: 'message-failed',
  messageRetry: 'message-retry',
  messageShare: 'message-share',
  messageAnnouncer: 'message-announcer',
  readMark: 'read-mark',
  typingIndicator: 'typing-indicator',
  composer: 'composer',
  composerInput: 'composer-input',
  composerCounter: 'composer-counter',
  composerProblem: 'composer-problem',
  formerContactRequest: 'former-contact-request',
  formerContactAccept: 'former-contact-accept',
  sendButton: 'send-button',

  // Unsent messages of a lost group; above the columns, in every view
  unsentNotice: 'unsent-notice',
  unsentMessage: 'unsent-message',
  unsentReason: 'unsent-reason',
  unsentText: 'unsent-text',
  unsentShare: 'unsent-share',
  unsentDiscard: 'unsent-discard',

  // Links, previews, product cards
  messageLink: 'message-link',
  linkPreview: 'link-preview',
  linkChecking: 'link-checking',
  linkUnverified: 'link-unverified',
  linkVerifiedCard: 'link-verified-card',
  linkPreviewOpen: 'link-preview-open',
  previewImage: 'preview-image',
  previewTitle: 'preview-title',
  previewDescription: 'preview-description',
  previewHost: 'preview-host',
  verifiedMerchantBadge: 'verified-merchant-badge',
  productCard: 'product-card',
  productCardOpen: 'product-card-open',
  productMerchant: 'product-merchant',
  productImage: 'product-image',
  productTitle: 'product-title',
  productHost: 'product-host',
  productPrice: 'product-price',
  blockedWarning: 'blocked-warning',
  blockedUrl: 'blocked-url',
  blockedOpenAnyway: 'blocked-open-anyway',
  interstitial: 'interstitial',
  interstitialReason: 'interstitial-reason',
  interstitialUrl: 'interstitial-url',
  interstitialBack: 'interstitial-back',
  interstitialOpen: 'interstitial-open',
  linkOpenError: 'link-open-error',

  // Contacts
  contactsScreen: 'contacts-screen',
  contactsSearch: 'contacts-search',
  contactsSearchButton: 'contacts-search-button',
  contactsSearchResult: 'contacts-search-result',
  contactsSearchEmpty: 'contacts-search-empty',
  contactsAlreadyContact: 'contacts-already-contact',
  contactsRequestButton: 'contacts-request-button',
  contactsRequestNote: 'contacts-request-note',
  incomingRequest: 'incoming-request',
  outgoingRequest: 'outgoing-request',
  outgoingRequestWaiting: 'outgoing-request-waiting',
  outgoingRequestCancel: 'outgoing-request-cancel',
  requestAccept: 'request-accept',
  requestDecline: 'request-decline',
  contactItem: 'contact-item',
  contactsEmpty: 'contacts-empty',
  contactMessage: 'contact-message',
  contactRemove: 'contact-remove',
  contactsError: 'contacts-error',

  // Groups
  newGroupDialog: 'new-group-dialog',
  newGroupTitle: 'new-group-title',
  newGroupMember: 'new-group-member',
  newGroupNoContacts: 'new-group-no-contacts',
  newGroupCreate: 'new-group-create',
  newGroupError: 'new-group-error',
  groupPanel: 'group-panel',
  groupTitleInput: 'group-title-input',
  groupRename: 'group-rename',
  groupMember: 'group-member',
  groupMemberRole: 'group-member-role',
  groupMakeAdmin: 'group-make-admin',
  groupUnmakeAdmin: 'group-unmake-admin',
  groupRemoveMember: 'group-remove-member',
  groupAddMembers: 'group-add-members',
  groupAddDialog: 'group-add-dialog',
  groupAddCandidate: 'group-add-candidate',
  groupAddNoCandidates: 'group-add-no-candidates',
  groupAddConfirm: 'group-add-confirm',
  groupAddError: 'group-add-error',
  groupLeave: 'group-leave',
  groupError: 'group-error',

  // Sharing
  shareDialog: 'share-dialog',
  shareText: 'share-text',
  shareTarget: 'share-target',
  shareNoConversations: 'share-no-conversations',
  shareSend: 'share-send',
  shareDone: 'share-done',
  shareDoneClose: 'share-done-close',
  productShareDialog: 'product-share-dialog',
  productShareUrl: 'product-share-url',
  productShareTarget: 'product-share-target',
  productShareNoConversations: 'product-share-no-conversations',
  productShareSend: 'product-share-send',
  productShareError: 'product-share-error',
  productSharePartial: 'product-share-partial',
  productShareDone: 'product-share-done',
  productShareDoneClose: 'product-share-done-close',

  // Every dialog; confirmations (remove contact, remove member, leave group) use the confirm ids
  dialogClose: 'dialog-close',
  confirmDialog: 'confirm-dialog',
  confirmAccept: 'confirm-accept',
  confirmCancel: 'confirm-cancel',
} as const;

export type TestId = (typeof TEST_IDS)[keyof typeof TEST_IDS];

/** One data attribute an element with a test id carries, as docs/testing.md's attribute table shows it. */
export interface TestIdAttribute {
  readonly id: TestId;
  readonly attribute: `data-${string}`;
  /** Every value it takes, when there are few: the unit tests render each of them and no other. */
  readonly values?: readonly string[];
  /** What it holds, and when it is absent. */
  readonly meaning: string;
}

/**
 * Every data attribute QA can read besides data-testid, in one place so that the document
 * cannot promise what the UI does not do: test/unit/renderer/test-id-attributes.test.tsx renders
 * the components and fails on any attribute or value missing here or here but never rendered.
 */
export const TEST_ID_ATTRIBUTES: readonly TestIdAttribute[] = [
  { id: TEST_IDS.rail, attribute: 'data-connection', values: ['connecting', 'online', 'reconnecting'], meaning: '`online` once the socket is connected and the conversation and contact lists are loaded' },
  { id: TEST_IDS.connectionBanner, attribute: 'data-state', values: ['connecting', 'reconnecting'], meaning: 'the banner is absent while online' },
  { id: TEST_IDS.conversationItem, attribute: 'data-conversation-id', meaning: 'the conversation id' },
  { id: TEST_IDS.conversationItem, attribute: 'data-unread', meaning: 'its unread count, `0` when none' },
  { id: TEST_IDS.chatPane, attribute: 'data-conversation-id', meaning: 'the open conversation' },
  { id: TEST_IDS.messageRow, attribute: 'data-message-id', meaning: 'the message id; absent on pending rows (your own messages the server has not stored yet)' },
  { id: TEST_IDS.messageRow, attribute: 'data-client-id', meaning: 'the id the sending client gave the message: a pending row and the sent row that replaces it carry the same one; absent on system rows' },
  { id: TEST_IDS.messageRow, attribute: 'data-seq', meaning: 'the message’s sequence number in its conversation; absent on pending rows' },
  { id: TEST_IDS.messageRow, attribute: 'data-state', values: ['sent', 'pending', 'failed'], meaning: '`pending` and `failed` only on pending rows' },
  { id: TEST_IDS.messageRow, attribute: 'data-kind', values: ['text', 'product', 'system'], meaning: 'always `text` on pending rows' },
  { id: TEST_IDS.messageRow, attribute: 'data-own', values: ['true', 'false'], meaning: 'always `true` on pending rows; absent on system rows' },
  { id: TEST_IDS.unsentMessage, attribute: 'data-client-id', meaning: 'the message’s client id, as on the pending row it was: a message that can no longer be sent because you left or were removed from its group' },
  { id: TEST_IDS.readMark, attribute: 'data-read', values: ['true', 'false'], meaning: 'direct conversations: whether the other member has read this message' },
  { id: TEST_IDS.readMark, attribute: 'data-read-count', meaning: 'groups: how many members other than you have read it' },
  { id: TEST_IDS.messageLink, attribute: 'data-url', meaning: 'the URL as the server listed it' },
  { id: TEST_IDS.messageLink, attribute: 'data-state', values: ['pending', 'verified', 'unverified', 'blocked'], meaning: '`pending` shows `link-checking` next to it, `unverified` shows `link-unverified`' },
  { id: TEST_IDS.linkPreview, attribute: 'data-url', meaning: 'the URL of the inline link it belongs to' },
  { id: TEST_IDS.linkPreview, attribute: 'data-state', values: ['verified', 'blocked'], meaning: 'pending and unverified links have no preview' },
  { id: TEST_IDS.blockedWarning, attribute: 'data-reason', meaning: 'the verdict’s reason: `phishing` (the blocklist, whatever reason text it was given), `lookalike`, `suspended`, `deceptive_url`' },
  { id: TEST_IDS.interstitialReason, attribute: 'data-reason', meaning: 'the fresh verdict’s reason when the URL is blocked now, else the stored preview’s (as on its `blocked-warning`)' },
  { id: TEST_IDS.productCard, attribute: 'data-url', meaning: 'the product page' },
  { id: TEST_IDS.productCard, attribute: 'data-verified', values: ['true', 'false'], meaning: 'whether its merchant is verified; the server builds cards for verified merchants only' },
  { id: TEST_IDS.contactsSearchResult, attribute: 'data-user-id', meaning: 'the user found' },
  { id: TEST_IDS.incomingRequest, attribute: 'data-user-id', meaning: 'who asked' },
  { id: TEST_IDS.incomingRequest, attribute: 'data-request-id', meaning: 'the request' },
  { id: TEST_IDS.outgoingRequest, attribute: 'data-user-id', meaning: 'whom you asked' },
  { id: TEST_IDS.outgoingRequest, attribute: 'data-request-id', meaning: 'the request' },
  { id: TEST_IDS.contactItem, attribute: 'data-user-id', meaning: 'the contact' },
  { id: TEST_IDS.contactItem, attribute: 'data-online', values: ['true', 'false'], meaning: 'whether the contact has a socket open' },
  { id: TEST_IDS.groupPanel, attribute: 'data-my-role', values: ['owner', 'admin', 'member'], meaning: 'your role, which decides the controls shown' },
  { id: TEST_IDS.groupMember, attribute: 'data-user-id', meaning: 'the member' },
  { id: TEST_IDS.groupMember, attribute: 'data-role', values: ['owner', 'admin', 'member'], meaning: 'the member’s role' },
  { id: TEST_IDS.newGroupMember, attribute: 'data-user-id', meaning: 'the contact (a label holding a checkbox)' },
  { id: TEST_IDS.groupAddCandidate, attribute: 'data-user-id', meaning: 'the contact (a label holding a checkbox)' },
  { id: TEST_IDS.shareTarget, attribute: 'data-conversation-id', meaning: 'the conversation (a label holding a checkbox)' },
  { id: TEST_IDS.productShareTarget, attribute: 'data-conversation-id', meaning: 'the conversation (a label holding a checkbox)' },
];
