/** One of the partner's Government Community Cloud validation codes. */
export interface ValidationCode {
  readonly partnerId: string;
  readonly organizationName: string;
  readonly validationId: string;
  readonly maxCreates?: number | null;
  readonly remainingCreates?: number | null;
}
