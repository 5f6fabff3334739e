import { useCallback, useState } from 'react';
import type { Conversation } from '../../api/types';
import type { SlaMarks, SlaTarget } from '../../lib/sla';

/**
 * Which clock of which conversation the server said is at its warning threshold or breached
 * (`sla.warning`/`sla.breached` name the target; the conversation only carries its worst
 * state). Forgotten once the conversation is back on time.
 */
export function useSlaMarks() {
  const [marks, setMarks] = useState<Record<string, SlaMarks>>({});

  const mark = useCallback(
    (conversationId: string, target: SlaTarget, tone: 'warning' | 'breached') =>
      setMarks((all) => {
        const current = all[conversationId] ?? {};
        if (current[target] === 'breached' || current[target] === tone) return all;
        return { ...all, [conversationId]: { ...current, [target]: tone } };
      }),
    [],
  );

  const seen = useCallback(
    (c: Conversation) =>
      setMarks((all) => {
        if (!(c.id in all) || c.slaState === 'warning' || c.slaState === 'breached') return all;
        const rest = { ...all };
        delete rest[c.id];
        return rest;
      }),
    [],
  );

  return { marks, mark, seen };
}
