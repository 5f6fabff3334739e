/** A message as the visitor's widget receives it (CONTRACT: `/webchat` `message`). */
export interface VisitorMessageEvent {
  id: string;
  text: string;
  direction: 'in' | 'out';
  createdAt: string;
  /** Quick replies offered with the message (the bot's menu): pressing one sends its value. */
  buttons?: { label: string; value: string }[];
}

export function toVisitorEvent(m: {
  id: string;
  text: string;
  direction: 'in' | 'out';
  createdAt: Date | string;
  buttons?: { label: string; value: string }[] | undefined;
}): VisitorMessageEvent {
  return {
    id: m.id,
    text: m.text,
    direction: m.direction,
    createdAt: typeof m.createdAt === 'string' ? m.createdAt : m.createdAt.toISOString(),
    ...(m.buttons?.length
      ? { buttons: m.buttons.map((b) => ({ label: b.label, value: b.value })) }
      : {}),
  };
}
