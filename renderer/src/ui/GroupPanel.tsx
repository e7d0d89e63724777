import { useEffect, useId, useMemo, useState, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { LIMITS, codePointLength } from '../../../protocol/limits';
import type { Conversation, Member, MemberRole } from '../../../protocol';
import { removeConversation, upsertConversation } from '../store/chat-state';
import { updateChat, useChat } from '../store/chat-store';
import { useUi } from '../store/ui-store';
import type { RequestName, RequestResult } from '../wire/chat-socket';
import { limitCodePoints } from '../lib/text-limit';
import { tJoined } from '../lib/cjk-spacing';
import { TEST_IDS } from '../../test-ids';
import { useClient } from './client-context';
import { Avatar } from './Avatar';
import { Dialog } from './Dialog';
import { PeoplePicker } from './PeoplePicker';
import { useConfirm } from './use-confirm';

const ROLE_ORDER: Record<MemberRole, number> = { owner: 0, admin: 1, member: 2 };

/** Members and group settings; each control appears only when the caller's role allows it. */
export function GroupPanel({ conversation }: { conversation: Conversation }): ReactElement {
  const { t } = useTranslation();
  const client = useClient();
  const myId = useChat((s) => s.me?.id);
  const online = useChat((s) => s.presence);
  const [title, setTitle] = useState(conversation.title);
  const [titleCut, setTitleCut] = useState(false);
  const [titleProblem, setTitleProblem] = useState<string | null>(null);
  const titleHintId = useId();
  const [error, setError] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [confirmation, confirm] = useConfirm();
  useEffect(() => setTitle(conversation.title), [conversation.title]);
  const myRole = conversation.members.find((m) => m.user.id === myId)?.role ?? 'member';
  const canManage = myRole === 'owner' || myRole === 'admin';
  const members = useMemo(() => [...conversation.members].sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || a.joinedAt - b.joinedAt), [conversation.members]);

  const run = async <E extends RequestName>(call: Promise<RequestResult<E>>, apply: (value: RequestResult<E> & { ok: true }) => void): Promise<void> => {
    setError(null);
    const result = await call;
    if (result.ok) apply(result);
    else setError(t(`errors.${result.code}`));
  };
  const applyConversation = (result: { value: { conversation: Conversation } }): void => updateChat((s) => upsertConversation(s, result.value.conversation));

  // Why the name cannot be saved as it stands, said rather than ignored.
  const titleRefusal = (): string | null => {
    const length = codePointLength(title.trim());
    if (length < 1) return t('groups.titleEmpty');
    if (length > LIMITS.groupTitleMax) return t('groups.titleMax', { max: LIMITS.groupTitleMax });
    if (title.trim() === conversation.title) return t('groups.titleUnchanged');
    return null;
  };
  const rename = (): void => {
    const refusal = titleRefusal();
    setTitleProblem(refusal);
    if (refusal !== null) return;
    setTitleCut(false);
    void run(client.request('groups:rename', { conversationId: conversation.id, title: title.trim() }), applyConversation);
  };
  const titleHint = titleProblem ?? (titleCut ? t('groups.titleMax', { max: LIMITS.groupTitleMax }) : codePointLength(title.trim()) === 0 && canManage ? t('groups.titleEmpty') : null);
  const setRole = (member: Member, role: 'admin' | 'member'): void => void run(client.request('groups:setRole', { conversationId: conversation.id, userId: member.user.id, role }), applyConversation);
  const remove = (member: Member): void =>
    confirm(t('groups.confirmRemove', { name: member.user.displayName }), t('groups.remove'), () => void run(client.request('groups:removeMember', { conversationId: conversation.id, userId: member.user.id }), applyConversation));
  // The server hands an owner's group to the longest-standing admin, else member (members come in joining order).
  const others = conversation.members.filter((m) => m.user.id !== myId);
  const successor = others.find((m) => m.role === 'admin') ?? others.find((m) => m.role === 'member');
  const leaveQuestion = myRole !== 'owner' || others.length === 0 ? t('groups.confirmLeave') : successor === undefined ? t('groups.confirmLeaveOwner') : tJoined(t, 'groups.confirmLeaveOwnerTo', { name: successor.user.displayName });
  const leave = (): void =>
    confirm(leaveQuestion, t('groups.leave'), () => {
      // The user's own choice: its removal (which the server also announces) is not reported back as news.
      useChat.setState({ leavingConversationId: conversation.id });
      void run(client.request('groups:leave', { conversationId: conversation.id }), () => {
        updateChat((s) => removeConversation(s, conversation.id));
        useUi.setState({ groupPanelOpen: false });
      }).finally(() => {
        if (useChat.getState().leavingConversationId === conversation.id) useChat.setState({ leavingConversationId: null });
      });
    });

  return (
    <aside className="group-panel" aria-label={t('groups.panel')} data-testid={TEST_IDS.groupPanel} data-my-role={myRole}>
      <h2 className="panel-title">{t('groups.panel')}</h2>
      <div className="panel-section">
        <label className="field">
          <span>{t('groups.name')}</span>
          <input
            value={title}
            onChange={(e) => {
              const limited = limitCodePoints(e.target.value, LIMITS.groupTitleMax);
              setTitle(limited.value);
              setTitleCut(limited.cut);
              setTitleProblem(null);
            }}
            readOnly={!canManage}
            aria-invalid={titleProblem !== null && title.trim() !== conversation.title}
            aria-describedby={titleHint === null ? undefined : titleHintId}
            onKeyDown={(e) => e.key === 'Enter' && rename()}
            data-testid={TEST_IDS.groupTitleInput}
          />
        </label>
        {titleHint !== null && (
          <p id={titleHintId} className="muted" role="status">
            {titleHint}
          </p>
        )}
        {canManage && (
          <button type="button" className="secondary-button small" onClick={rename} disabled={title.trim() === conversation.title} aria-describedby={titleHint === null ? undefined : titleHintId} data-testid={TEST_IDS.groupRename}>
            {t('groups.rename')}
          </button>
        )}
      </div>
      <div className="panel-section">
        <div className="panel-row">
          <h3>
            {t('groups.members')} · {conversation.members.length}
          </h3>
          {canManage && (
            <button type="button" className="secondary-button small" onClick={() => setAdding(true)} data-testid={TEST_IDS.groupAddMembers}>
              {t('groups.add')}
            </button>
          )}
        </div>
        {error !== null && (
          <p className="form-error" role="alert" data-testid={TEST_IDS.groupError}>
            {error}
          </p>
        )}
        <ul className="member-list">
          {members.map((member) => {
            const isMe = member.user.id === myId;
            const name = member.user.displayName;
            const canRemove = canManage && !isMe && member.role !== 'owner';
            return (
              <li key={member.user.id} className="member" data-testid={TEST_IDS.groupMember} data-user-id={member.user.id} data-role={member.role}>
                <Avatar id={member.user.id} name={name} size={32} online={online[member.user.id] ?? isMe} />
                <span className="person-names">
                  <span className="person-name">
                    {name}
                    {isMe && <span className="muted">{t('groups.youSuffix')}</span>}
                  </span>
                  <span className={`role-tag role-${member.role}`} data-testid={TEST_IDS.groupMemberRole}>
                    {t(`groups.${member.role}`)}
                  </span>
                </span>
                <span className="member-actions">
                  {myRole === 'owner' && !isMe && member.role === 'member' && (
                    <button type="button" className="text-button" onClick={() => setRole(member, 'admin')} aria-label={t('groups.makeAdminFor', { name })} data-testid={TEST_IDS.groupMakeAdmin}>
                      {t('groups.makeAdmin')}
                    </button>
                  )}
                  {myRole === 'owner' && !isMe && member.role === 'admin' && (
                    <button type="button" className="text-button" onClick={() => setRole(member, 'member')} aria-label={t('groups.unmakeAdminFor', { name })} data-testid={TEST_IDS.groupUnmakeAdmin}>
                      {t('groups.unmakeAdmin')}
                    </button>
                  )}
                  {canRemove && (
                    <button type="button" className="text-button danger" onClick={() => remove(member)} aria-label={t('groups.removeFor', { name })} data-testid={TEST_IDS.groupRemoveMember}>
                      {t('groups.remove')}
                    </button>
                  )}
                </span>
              </li>
            );
          })}
        </ul>
      </div>
      <div className="panel-section">
        <button type="button" className="danger-button wide" onClick={leave} data-testid={TEST_IDS.groupLeave}>
          {t('groups.leave')}
        </button>
      </div>
      {adding && <AddMembersDialog conversation={conversation} onClose={() => setAdding(false)} />}
      {confirmation}
    </aside>
  );
}

function AddMembersDialog({ conversation, onClose }: { conversation: Conversation; onClose: () => void }): ReactElement {
  const { t } = useTranslation();
  const client = useClient();
  const contactsById = useChat((s) => s.contacts);
  const candidates = useMemo(() => {
    const inGroup = new Set(conversation.members.map((m) => m.user.id));
    return Object.values(contactsById)
      .map((c) => c.user)
      .filter((u) => !inGroup.has(u.id))
      .sort((a, b) => a.displayName.localeCompare(b.displayName));
  }, [contactsById, conversation.members]);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<string | null>(null);

  const add = async (): Promise<void> => {
    const result = await client.request('groups:addMembers', { conversationId: conversation.id, userIds: [...selected] });
    if (!result.ok) {
      setError(t(`errors.${result.code}`));
      return;
    }
    updateChat((s) => upsertConversation(s, result.value.conversation));
    onClose();
  };

  return (
    <Dialog
      title={t('groups.addTitle')}
      onClose={onClose}
      testId={TEST_IDS.groupAddDialog}
      footer={
        <button type="button" className="primary-button" disabled={selected.size === 0} onClick={() => void add()} data-testid={TEST_IDS.groupAddConfirm}>
          {t('groups.addConfirm')}
        </button>
      }
    >
      {candidates.length === 0 ? (
        <p className="muted" data-testid={TEST_IDS.groupAddNoCandidates}>
          {t('groups.noCandidates')}
        </p>
      ) : (
        <PeoplePicker people={candidates} selected={selected} onChange={setSelected} testId={TEST_IDS.groupAddCandidate} />
      )}
      {error !== null && (
        <p className="form-error" role="alert" data-testid={TEST_IDS.groupAddError}>
          {error}
        </p>
      )}
    </Dialog>
  );
}
