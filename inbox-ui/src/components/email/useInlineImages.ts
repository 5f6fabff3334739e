import { useEffect, useState } from 'react';
import type { Attachment } from '../../api/types';
import { inlineImages } from '../../lib/emailInline';

function readAsDataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(blob);
  });
}

/**
 * The e-mail's inline images as `data:` URLs by Content-ID, fetched with the agent's session:
 * the sandboxed iframe that shows the HTML can load nothing else.
 */
export function useInlineImages(attachments: readonly Attachment[]): Record<string, string> {
  const images = inlineImages(attachments);
  const key = images.map((a) => `${a.id}:${a.state}`).join(',');
  const [urls, setUrls] = useState<Record<string, string>>({});
  useEffect(() => {
    const wanted = images.filter((a) => a.state === 'stored');
    if (!wanted.length) return;
    let live = true;
    void Promise.all(
      wanted.map(async (a) => {
        const res = await fetch(a.url, { credentials: 'same-origin' });
        if (!res.ok) return null;
        return [a.contentId!, await readAsDataUrl(await res.blob())] as const;
      }),
    )
      .then((entries) => {
        if (live) setUrls(Object.fromEntries(entries.filter((e) => e !== null)));
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
    // The attachments' ids and states say everything that matters here.
  }, [key]);
  return urls;
}
