import type { Attachment } from '../api/types';
import { useI18n } from '../i18n/I18nContext';
import { formatBytes } from '../lib/format';
import { IconAlert, IconClock, IconFile } from './Icons';

/** How a file is shown: inline media, a download link, or why it is not here (yet). */
export function attachmentView(a: Attachment): 'image' | 'audio' | 'video' | 'file' | 'missing' {
  if (a.state && a.state !== 'stored') return 'missing';
  if (a.contentType.startsWith('image/')) return 'image';
  if (a.contentType.startsWith('audio/')) return 'audio';
  if (a.contentType.startsWith('video/')) return 'video';
  return 'file';
}

/**
 * A message's files, from our own storage (never a provider URL): images, voice notes and videos
 * inline, other files as downloads, and a plain word for a file still being fetched, one that
 * could not be fetched, or one over the size limit.
 */
export function Attachments({ attachments }: { attachments: Attachment[] }) {
  const { t, locale } = useI18n();
  if (!attachments.length) return null;
  const images = attachments.filter((a) => attachmentView(a) === 'image');
  const rest = attachments.filter((a) => attachmentView(a) !== 'image');
  return (
    <>
      {images.length ? (
        <div className="msg__images">
          {images.map((a) => (
            <a key={a.id} href={a.url} target="_blank" rel="noopener noreferrer">
              <img src={a.url} alt={a.fileName} loading="lazy" />
            </a>
          ))}
        </div>
      ) : null}
      {rest.length ? (
        <ul className="msg__files">
          {rest.map((a) => {
            const view = attachmentView(a);
            if (view === 'audio')
              return (
                <li key={a.id} className="msg__media">
                  <audio controls preload="none" src={a.url} aria-label={a.fileName} />
                </li>
              );
            if (view === 'video')
              return (
                <li key={a.id} className="msg__media">
                  <video controls preload="metadata" src={a.url} aria-label={a.fileName} />
                </li>
              );
            if (view === 'missing')
              return (
                <li
                  key={a.id}
                  className={`msg__file-state msg__file-state--${a.state ?? 'failed'}`}
                  title={a.error ?? undefined}
                  data-state={a.state}
                >
                  {a.state === 'pending' ? <IconClock size={16} /> : <IconAlert size={16} />}
                  <span dir="auto">
                    {a.state === 'pending'
                      ? t('attachment.pending', { name: a.fileName })
                      : a.state === 'too_large'
                        ? t('attachment.tooLarge', { name: a.fileName })
                        : a.error
                          ? t('msg.fileMissing', { name: a.fileName, reason: a.error })
                          : t('attachment.failed', { name: a.fileName })}
                  </span>
                </li>
              );
            return (
              <li key={a.id}>
                <a href={a.url} target="_blank" rel="noopener noreferrer" download={a.fileName}>
                  <IconFile size={16} />
                  <span dir="auto">{a.fileName}</span>
                  <span className="msg__file-size">{formatBytes(a.size, locale)}</span>
                </a>
              </li>
            );
          })}
        </ul>
      ) : null}
    </>
  );
}
