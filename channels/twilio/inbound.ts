import type { InboundAttachment } from '../types';
import { MediaRefusedError, mediaSource } from './media';

const EXTENSIONS: Readonly<Record<string, string>> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/heic': 'heic',
  'video/mp4': 'mp4',
  'video/3gpp': '3gp',
  'audio/mpeg': 'mp3',
  'audio/mp4': 'm4a',
  'audio/amr': 'amr',
  'audio/ogg': 'ogg',
  'audio/x-wav': 'wav',
  'audio/wav': 'wav',
  'text/vcard': 'vcf',
  'text/x-vcard': 'vcf',
  'text/calendar': 'ics',
  'application/pdf': 'pdf',
};

export function extensionFor(contentType: string): string {
  return EXTENSIONS[contentType.toLowerCase()] ?? 'bin';
}

/**
 * A file Twilio holds for us (MMS media, a recording), known by its URL: fetched later by the
 * media job through `fetchMedia`. A URL that is not Twilio's is kept as a failed file with the
 * reason, never as something to fetch.
 */
export function twilioAttachment(
  url: string,
  contentType: string,
  fileName: string,
  apiBase: string | undefined,
): InboundAttachment {
  try {
    mediaSource(url, apiBase);
    return { fileName, contentType, ref: { url } };
  } catch (err) {
    if (!(err instanceof MediaRefusedError)) throw err;
    return { fileName, contentType, error: err.message };
  }
}

/** A new contact's language guessed from their script: Persian/Arabic letters, Cyrillic. */
export function languageOfScript(text: string): 'fa' | 'ru' | undefined {
  if (/[\u0600-\u06ff]/.test(text)) return 'fa';
  if (/[\u0400-\u04ff]/.test(text)) return 'ru';
  return undefined;
}
