import type { IdentityKind } from './types';

/** How each kind of customer identity is shown and searched. */
interface IdentityKindInfo {
  /** Whether the value means something to a person (a phone, an address) and is searchable. */
  meaningful: boolean;
  /** The name a new contact gets when the channel tells us none. */
  defaultName(value: string): string;
}

const IDENTITY_KINDS: Record<IdentityKind, IdentityKindInfo> = {
  phone: { meaningful: true, defaultName: (v) => v },
  email: { meaningful: true, defaultName: (v) => v },
  telegram: { meaningful: false, defaultName: (v) => `Telegram ${v}` },
  // A web visitor has no name until they give one; agents need something to call them.
  webchat: { meaningful: false, defaultName: (v) => `Visitor ${v.slice(0, 6).toUpperCase()}` },
  botframework: { meaningful: false, defaultName: (v) => `Teams ${v.slice(0, 8)}` },
};

export function identityKindInfo(kind: IdentityKind): IdentityKindInfo {
  return IDENTITY_KINDS[kind];
}

/** The text a contact is found by: its name and its meaningful identities. */
export function contactSearchSource(
  name: string,
  identities: readonly { kind: IdentityKind; value: string }[],
): string {
  return [name, ...identities.filter((i) => IDENTITY_KINDS[i.kind].meaningful).map((i) => i.value)]
    .join(' ')
    .trim();
}
