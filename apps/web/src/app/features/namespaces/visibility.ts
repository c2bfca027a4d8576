import type { Visibility } from '@portcullis/contracts';

/** VisibilityOption is one choice of the visibility switch with what it means for pulling. */
export interface VisibilityOption {
  value: Visibility;
  label: string;
  meaning: string;
}

/** VISIBILITY_OPTIONS explains each visibility in plain words (Portus's semantics). */
export const VISIBILITY_OPTIONS: readonly VisibilityOption[] = [
  { value: 'private', label: 'Private', meaning: 'Only members of the team can pull.' },
  { value: 'protected', label: 'Protected', meaning: 'Every signed-in user can pull.' },
  { value: 'public', label: 'Public', meaning: 'Anyone can pull, including anonymous users.' },
];

/** visibilityMeaning is the sentence for one visibility. */
export function visibilityMeaning(v: Visibility): string {
  return VISIBILITY_OPTIONS.find((o) => o.value === v)?.meaning ?? '';
}
