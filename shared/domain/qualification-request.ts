/** A request to start vetting, in the shape Partner Center's current contract expects. */
export type QualificationRequest =
  | {
      readonly qualification: 'Education';
      readonly educationSegment: 'K12' | 'HigherEducation';
      readonly website?: string;
    }
  | { readonly qualification: 'GovernmentCommunityCloud'; readonly validationCode: string }
  | { readonly qualification: 'StateOwnedEntity' };
