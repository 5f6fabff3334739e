/** The e-mail fields of the composer, as typed. Empty fields mean "the thread's default". */
export interface EmailDraft {
  to: string;
  cc: string;
  bcc: string;
  subject: string;
  replyAll: boolean;
}

/** What the reply API takes as `email` (POST /conversations/:id/messages). */
export interface EmailReply {
  to?: string[];
  cc?: string[];
  bcc?: string[];
  subject?: string;
  replyAll?: boolean;
}

export const emptyEmailDraft: EmailDraft = {
  to: '',
  cc: '',
  bcc: '',
  subject: '',
  replyAll: false,
};

/** Addresses typed as a list: commas, semicolons, spaces or new lines between them. */
export function addressesOf(value: string): string[] {
  return [
    ...new Set(
      value
        .split(/[\s,;]+/)
        .map((a) => a.trim().replace(/^<|>$/g, '').toLowerCase())
        .filter(Boolean),
    ),
  ];
}

/** Addresses in the list that are not e-mail addresses (shown to the agent before sending). */
export function invalidAddresses(value: string): string[] {
  return addressesOf(value).filter((a) => !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(a));
}

/** The draft as the API wants it; undefined when the agent changed nothing. */
export function emailReplyOf(draft: EmailDraft): EmailReply | undefined {
  const to = addressesOf(draft.to);
  const cc = addressesOf(draft.cc);
  const bcc = addressesOf(draft.bcc);
  const subject = draft.subject.trim();
  const reply: EmailReply = {
    ...(to.length ? { to } : {}),
    ...(cc.length ? { cc } : {}),
    ...(bcc.length ? { bcc } : {}),
    ...(subject ? { subject } : {}),
    ...(draft.replyAll ? { replyAll: true } : {}),
  };
  return Object.keys(reply).length ? reply : undefined;
}
