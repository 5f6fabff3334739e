import { useImperativeHandle, useRef, useState } from 'react';
import type { Ref } from 'react';
import type { AgentSocket } from '../api/socket';
import type { CannedResponse, Contact, Conversation, Team, User } from '../api/types';
import { useI18n } from '../i18n/I18nContext';
import { api } from '../api/client';
import { useLatest } from '../lib/hooks';
import type { SlaMarks } from '../lib/sla';
import { ComplaintPanel } from './conversation/ComplaintPanel';
import { Composer } from './Composer';
import type { ComposerHandle, ComposerMode } from './Composer';
import { ContactSidebar } from './ContactSidebar';
import { CollisionWarning } from './conversation/CollisionWarning';
import { ConversationHeader } from './conversation/ConversationHeader';
import { EscalateDialog } from './conversation/EscalateDialog';
import { Thread } from './conversation/Thread';
import type { ThreadHandle } from './conversation/Thread';
import { useConversation } from './conversation/useConversation';
import { useRecipient } from './conversation/useRecipient';

export interface ConversationViewHandle {
  focusComposer: (mode: ComposerMode) => void;
  resolve: () => void;
  assignToMe: () => void;
  toggleContact: () => void;
}

interface Props {
  ref?: Ref<ConversationViewHandle>;
  id: string;
  me: User;
  users: User[];
  teams: Team[];
  knownLabels: string[];
  canned: CannedResponse[];
  socket: AgentSocket | null;
  now: number;
  slaMarks?: SlaMarks | undefined;
  contactOpenByDefault: boolean;
  onOpen: (id: string) => void;
  onBack: () => void;
  onChange: (conversation: Conversation) => void;
  onToast: (text: string) => void;
}

/** The open conversation: header actions, the thread, the composer and the contact. */
export function ConversationView({
  ref,
  id,
  me,
  users,
  teams,
  knownLabels,
  canned,
  socket,
  now,
  slaMarks,
  contactOpenByDefault,
  onOpen,
  onBack,
  onChange,
  onToast,
}: Props) {
  const { t } = useI18n();
  const [showContact, setShowContact] = useState(contactOpenByDefault);
  const [escalating, setEscalating] = useState(false);
  const thread = useRef<ThreadHandle>(null);
  const composer = useRef<ComposerHandle>(null);
  const open = useConversation({ id, me, socket, thread, onChange, onToast });
  const { conv, patch } = open;
  const convRef = useLatest(conv);
  const recipient = useRecipient(conv, socket);

  useImperativeHandle(
    ref,
    () => ({
      focusComposer: (mode) => composer.current?.focus(mode),
      resolve: () => {
        const c = convRef.current;
        if (c) void patch({ status: c.status === 'resolved' ? 'open' : 'resolved' });
      },
      assignToMe: () => void patch({ assigneeId: me.id }),
      toggleContact: () => setShowContact((s) => !s),
    }),
    [patch, me.id, convRef],
  );

  if (open.loadError) {
    return (
      <section className="conversation conversation--empty">
        <p role="alert">{open.loadError}</p>
        <button type="button" className="button button--secondary" onClick={onBack}>
          {t('conv.back')}
        </button>
      </section>
    );
  }
  if (!conv) {
    return (
      <section className="conversation conversation--empty" aria-busy="true">
        <span className="spinner" aria-hidden="true" />
        <span className="muted">{t('app.loading')}</span>
      </section>
    );
  }

  const contactName = conv.contact.name || t('contact.unnamed');

  return (
    <section
      className={showContact ? 'conversation conversation--with-contact' : 'conversation'}
      aria-label={contactName}
    >
      <div className="conversation__main">
        <ConversationHeader
          conv={conv}
          contactName={contactName}
          me={me}
          users={users}
          teams={teams}
          knownLabels={knownLabels}
          showContact={showContact}
          onBack={onBack}
          onEscalate={() => setEscalating(true)}
          onToggleContact={() => setShowContact((s) => !s)}
          onPatch={(body) => void patch(body)}
          onCallbackRecorded={(c, notice) => {
            open.applyConversation(c);
            onToast(notice);
          }}
        />
        <CollisionWarning viewers={open.viewers} />
        <ComplaintPanel
          conv={conv}
          marks={slaMarks}
          onEscalate={() => setEscalating(true)}
          onChanged={(notice) => {
            onToast(notice);
            // The complaint's level and reference are on the conversation: show them now.
            api.conversation(id).then(open.applyConversation, () => {});
          }}
        />
        <Thread
          ref={thread}
          messages={open.messages}
          channel={conv.channel}
          contactName={contactName}
          now={now}
          hasEarlier={open.hasEarlier}
          loadingEarlier={open.loadingEarlier}
          contactTyping={open.contactTyping}
          onLoadEarlier={() => void open.loadEarlier()}
        />
        <Composer
          key={id}
          ref={composer}
          conversationId={id}
          channel={conv.channel}
          contactName={contactName}
          canned={canned}
          templateContext={{
            contact: conv.contact,
            agent: { name: me.name, email: me.email },
            conversation: { id: conv.id, channel: conv.channel },
          }}
          onSend={open.send}
          onTyping={open.sendTyping}
          subject={conv.subject}
          recipient={recipient}
        />
      </div>

      {showContact ? (
        <ContactSidebar
          contact={conv.contact}
          currentConversationId={conv.id}
          now={now}
          onOpenConversation={onOpen}
          onContactChange={(contact: Contact) => {
            open.contactChanged(contact);
            onToast(t('common.saved'));
          }}
          onClose={() => setShowContact(false)}
        />
      ) : null}

      {escalating ? (
        <EscalateDialog
          conversation={conv}
          onClose={() => setEscalating(false)}
          onEscalated={(c) => {
            open.applyConversation(c);
            setEscalating(false);
            onToast(t('conv.escalated', { level: c.level }));
          }}
        />
      ) : null}
    </section>
  );
}
