/** A message as the visitor's widget receives it (CONTRACT: `/webchat` `message`). */
export interface VisitorMessageEvent {
  id: string;
  text: string;
  direction: 'in' | 'out';
  createdAt: string;
}

export function toVisitorEvent(m: {
  id: string;
  text: string;
  direction: 'in' | 'out';
  createdAt: Date | string;
}): VisitorMessageEvent {
  return {
    id: m.id,
    text: m.text,
    direction: m.direction,
    createdAt: typeof m.createdAt === 'string' ? m.createdAt : m.createdAt.toISOString(),
  };
}
