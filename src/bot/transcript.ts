import type { ComplaintFields } from './ports';

export interface TranscriptLine {
  from: 'contact' | 'user' | 'bot' | 'system';
  text: string;
  at: string;
}

const WHO: Record<TranscriptLine['from'], string> = {
  contact: 'Customer',
  user: 'Agent',
  bot: 'Bot',
  system: 'System',
};

const REASONS: Record<string, string> = {
  asked: 'the customer asked for a person',
  legal: 'the customer mentioned legal action',
  anger: 'the customer sounds angry',
  misunderstood: 'the bot did not understand twice in a row',
  complaint: 'the bot took a complaint down',
  'bot switched off': 'the bot was switched off for this inbox',
};

/** The private note agents read at a handover: why, what the bot collected, what was said. */
export function handoverNote(
  reason: string,
  fields: ComplaintFields | undefined,
  transcript: TranscriptLine[],
): string {
  const lines = [`Handed over by the bot: ${REASONS[reason] ?? reason}.`];
  if (fields) {
    lines.push(
      '',
      `Category: ${fields.categoryName} (${fields.category})`,
      `What happened: ${fields.description}`,
      `Order: ${fields.order ?? '—'}`,
      `What would make it right: ${fields.desiredOutcome}`,
    );
  }
  if (transcript.length) {
    lines.push('', 'Transcript:');
    for (const l of transcript) lines.push(`${WHO[l.from]}: ${l.text.slice(0, 500)}`);
  }
  return lines.join('\n');
}
