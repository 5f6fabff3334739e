/** Why a message cannot reach an identity, in words an agent can act on. */
const REASONS: Record<string, string> = {
  blocked: 'the customer has blocked us on this channel',
  opted_out: 'the customer has opted out of messages on this channel',
  undeliverable: 'this address cannot receive messages (it bounced)',
};

/** The provider's own words when it gave some, else ours for the identity's state. */
export function unreachableReason(identity: { state: string; stateReason: string | null }): string {
  return identity.stateReason || REASONS[identity.state] || identity.state;
}
