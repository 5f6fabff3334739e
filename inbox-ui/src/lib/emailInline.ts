import type { Attachment } from '../api/types';

/** Inline images of an e-mail: its attachments that have a Content-ID and are images. */
export function inlineImages(attachments: readonly Attachment[]): Attachment[] {
  return attachments.filter((a) => a.contentId && a.contentType.startsWith('image/'));
}

/**
 * The server stores an e-mail's HTML with `cid:` references as the sender wrote them; the
 * sandboxed iframe can load nothing but `data:` images, so each reference is replaced by the
 * image's bytes (fetched with the agent's session). References without an image stay `cid:`
 * (shown blocked).
 */
export function resolveInlineImages(
  html: string,
  dataUrls: Readonly<Record<string, string>>,
): string {
  return html.replace(
    /(\ssrc\s*=\s*)(["'])cid:([^"']+)\2/gi,
    (whole, prefix: string, quote: string, id: string) => {
      const cid = id.trim();
      const url = dataUrls[cid] ?? dataUrls[cid.toLowerCase()];
      return url && /^data:image\/(png|gif|jpe?g|webp);base64,/i.test(url)
        ? `${prefix}${quote}${url}${quote}`
        : whole;
    },
  );
}
