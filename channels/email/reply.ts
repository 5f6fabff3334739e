import EmailReplyParser from 'email-reply-parser';

export interface SplitReply {
  /** What the sender wrote this time: no quoted history, no signature. */
  text: string;
  /** Whether anything (quote or signature) was cut from the full text. */
  trimmed: boolean;
}

/**
 * Separates the new part of a reply from the quoted history and the signature (Gmail, Outlook,
 * Apple Mail and Thunderbird quote headers in many languages, `>` quotes, `-- ` signatures).
 * When nothing would be left (a message that is only a quote), the whole text is the new part.
 */
export function splitReply(fullText: string): SplitReply {
  const full = fullText.replace(/\r\n/g, '\n').trim();
  if (!full) return { text: '', trimmed: false };
  let visible: string;
  try {
    visible = new EmailReplyParser().read(full).getVisibleText().trim();
  } catch {
    visible = full;
  }
  if (!visible) return { text: full, trimmed: false };
  return { text: visible, trimmed: visible !== full };
}
