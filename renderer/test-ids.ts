/**
 * Every data-testid the UI carries, for QA page models. Stable: add ids, never rename them.
 * Repeated items carry one id plus data attributes that say which item and in what state:
 * conversationItem has data-conversation-id and data-unread; messageRow has data-message-id,
 * data-client-id, data-seq (absent while pending), data-state ('sent' | 'pending' | 'failed'),
 * data-kind and data-own; linkPreview has data-url and data-state
 * ('pending' | 'verified' | 'unverified' | 'blocked'); contact and request rows carry
 * data-user-id / data-request-id; group members carry data-user-id and data-role.
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

  // Chat pane
  chatPane: 'chat-pane',
  chatTitle: 'chat-title',
  chatPresence: 'chat-presence',
  chatEmpty: 'chat-empty',
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
  messagePending: 'message-pending',
  messageFailed: 'message-failed',
  messageRetry: 'message-retry',
  messageShare: 'message-share',
  readMark: 'read-mark',
  typingIndicator: 'typing-indicator',
  composer: 'composer',
  composerInput: 'composer-input',
  composerCounter: 'composer-counter',
  sendButton: 'send-button',

  // Links, previews, product cards
  messageLink: 'message-link',
  linkPreview: 'link-preview',
  linkChecking: 'link-checking',
  linkUnverified: 'link-unverified',
  linkVerifiedCard: 'link-verified-card',
  verifiedMerchantBadge: 'verified-merchant-badge',
  productCard: 'product-card',
  productPrice: 'product-price',
  blockedWarning: 'blocked-warning',
  blockedOpenAnyway: 'blocked-open-anyway',
  interstitial: 'interstitial',
  interstitialReason: 'interstitial-reason',
  interstitialBack: 'interstitial-back',
  interstitialOpen: 'interstitial-open',
  linkOpenError: 'link-open-error',

  // Contacts
  contactsScreen: 'contacts-screen',
  contactsSearch: 'contacts-search',
  contactsSearchResult: 'contacts-search-result',
  contactsSearchEmpty: 'contacts-search-empty',
  contactsRequestButton: 'contacts-request-button',
  contactsRequestNote: 'contacts-request-note',
  incomingRequest: 'incoming-request',
  outgoingRequest: 'outgoing-request',
  requestAccept: 'request-accept',
  requestDecline: 'request-decline',
  contactItem: 'contact-item',
  contactMessage: 'contact-message',
  contactRemove: 'contact-remove',
  contactsError: 'contacts-error',

  // Groups
  newGroupDialog: 'new-group-dialog',
  newGroupTitle: 'new-group-title',
  newGroupMember: 'new-group-member',
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
  groupAddConfirm: 'group-add-confirm',
  groupLeave: 'group-leave',
  groupError: 'group-error',

  // Sharing
  shareDialog: 'share-dialog',
  shareText: 'share-text',
  shareTarget: 'share-target',
  shareSend: 'share-send',
  shareDone: 'share-done',
  productShareDialog: 'product-share-dialog',
  productShareUrl: 'product-share-url',
  productShareTarget: 'product-share-target',
  productShareSend: 'product-share-send',
  productShareError: 'product-share-error',
  productShareDone: 'product-share-done',

  // Every dialog; confirmations (remove contact, remove member, leave group) use the confirm ids
  dialogClose: 'dialog-close',
  confirmDialog: 'confirm-dialog',
  confirmAccept: 'confirm-accept',
  confirmCancel: 'confirm-cancel',
} as const;

export type TestId = (typeof TEST_IDS)[keyof typeof TEST_IDS];
