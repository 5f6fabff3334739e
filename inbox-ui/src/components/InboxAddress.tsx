import { useEffect, useState } from 'react';
import { api } from '../api/client';
import type { Channel, Inbox } from '../api/types';
import { useI18n } from '../i18n/I18nContext';

let inboxes: Promise<Inbox[]> | undefined;

/** The inboxes the agent may see, loaded once per page (their addresses rarely change). */
export function loadInboxes(): Promise<Inbox[]> {
  inboxes ??= api.inboxes().then(
    (page) => page.items,
    () => {
      inboxes = undefined;
      return [];
    },
  );
  return inboxes;
}

/**
 * "via Telegram @switchboard_bot": the channel and, where the channel reported one, the address
 * the customer wrote to; just the channel's name otherwise.
 */
export function InboxAddress({ inboxId, channel }: { inboxId: string; channel: Channel }) {
  const { t } = useI18n();
  const [address, setAddress] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    void loadInboxes().then((all) => {
      if (!cancelled) setAddress(all.find((i) => i.id === inboxId)?.address ?? null);
    });
    return () => {
      cancelled = true;
    };
  }, [inboxId]);
  const name = t(`channel.${channel}`);
  return (
    <span dir="auto" data-testid="inbox-address">
      {address ? t('msg.viaInbox', { channel: name, address }) : name}
    </span>
  );
}
