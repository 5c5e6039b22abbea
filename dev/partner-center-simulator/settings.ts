import * as z from 'zod';

export interface SimulatorSettings {
  vettingDelaySeconds: number;
  rateLimitPerSecond: number | null;
  emitVettingCreatedDate: boolean;
}

export const settingsPatchSchema = z.strictObject({
  vettingDelaySeconds: z.number().min(0).max(1e9).optional(),
  rateLimitPerSecond: z.number().positive().max(1e9).nullable().optional(),
  emitVettingCreatedDate: z.boolean().optional(),
});

export type SettingsPatch = z.output<typeof settingsPatchSchema>;

export function applySettingsPatch(settings: SimulatorSettings, patch: SettingsPatch): void {
  if (patch.vettingDelaySeconds !== undefined) {
    settings.vettingDelaySeconds = patch.vettingDelaySeconds;
  }
  if (patch.rateLimitPerSecond !== undefined)
    settings.rateLimitPerSecond = patch.rateLimitPerSecond;
  if (patch.emitVettingCreatedDate !== undefined) {
    settings.emitVettingCreatedDate = patch.emitVettingCreatedDate;
  }
}
