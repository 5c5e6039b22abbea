import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  REPO,
  SAMPLE_ENVIRONMENT,
  snapshot,
  type PredictedResource,
  type Snapshot,
} from './bicep.js';

interface AlertProperties {
  displayName: string;
  enabled: boolean;
  scopes: string[];
  criteria: { allOf: { query: string; threshold: number; metricMeasureColumn?: string }[] };
  actions: { actionGroups: string[] };
}

/** The metric names the gateway's code defines (shared/telemetry). */
async function gatewayMetricNames(): Promise<Set<string>> {
  const dir = join(REPO, 'shared/telemetry');
  const names = new Set<string>();
  for (const file of await readdir(dir)) {
    const source = await readFile(join(dir, file), 'utf8');
    for (const match of source.matchAll(
      /create(?:Histogram|Counter|ObservableGauge)\(\s*'([^']+)'/g,
    )) {
      if (match[1] !== undefined) names.add(match[1]);
    }
  }
  return names;
}

/** `customMetrics | where name == '…'` and `name in ('…', '…')` of a query. */
function metricNamesIn(query: string): string[] {
  if (!query.includes('customMetrics')) return [];
  const names: string[] = [];
  for (const m of query.matchAll(/name == '([^']+)'/g)) if (m[1]) names.push(m[1]);
  for (const m of query.matchAll(/name in \(([^)]+)\)/g)) {
    for (const n of (m[1] ?? '').matchAll(/'([^']+)'/g)) if (n[1]) names.push(n[1]);
  }
  return names.filter((n) => !n.startsWith('GET '));
}

const byType = (snap: Snapshot, type: string): PredictedResource[] =>
  snap.predictedResources.filter((r) => r.type === type);

describe('monitoring in the deployment template: alert rules and workbook', () => {
  let quiet: Snapshot;
  let notifying: Snapshot;
  let metricNames: Set<string>;

  beforeAll(async () => {
    [quiet, notifying, metricNames] = await Promise.all([
      snapshot(SAMPLE_ENVIRONMENT),
      snapshot({
        ...SAMPLE_ENVIRONMENT,
        alertEmailAddress: 'ops@example.com',
        pendingVettingAlertDays: '7',
      }),
      gatewayMetricNames(),
    ]);
  }, 180_000);

  it('alerts on health, refresh failures, throttling, consent and long-pending vettings, over Application Insights', () => {
    const insights = byType(quiet, 'Microsoft.Insights/components')[0];
    const rules = byType(quiet, 'Microsoft.Insights/scheduledQueryRules');
    expect(
      rules.map((r) => (r.properties as unknown as AlertProperties).displayName).sort(),
    ).toEqual([
      'Gateway health degraded',
      'Partner Center consent or credential refused',
      'Partner Center throttling',
      'Vetting pending too long',
      'Vetting refresh failures',
    ]);
    for (const rule of rules) {
      const properties = rule.properties as unknown as AlertProperties;
      expect(properties.enabled).toBe(true);
      expect(properties.scopes).toEqual([insights?.id]);
      expect(properties.actions.actionGroups).toEqual([]);
    }
    expect(byType(quiet, 'Microsoft.Insights/actionGroups')).toEqual([]);
  });

  it('queries only metrics the gateway emits', () => {
    const workbook = byType(quiet, 'Microsoft.Insights/workbooks')[0];
    const queries = [
      ...byType(quiet, 'Microsoft.Insights/scheduledQueryRules').flatMap((r) =>
        (r.properties as unknown as AlertProperties).criteria.allOf.map((c) => c.query),
      ),
      ...(
        JSON.parse(String(workbook?.properties?.serializedData)) as {
          items: { content: { query?: string } }[];
        }
      ).items.flatMap((i) => (i.content.query === undefined ? [] : [i.content.query])),
    ];
    const used = queries.flatMap(metricNamesIn);
    expect(used.length).toBeGreaterThan(5);
    expect(used.filter((name) => !metricNames.has(name))).toEqual([]);
  });

  it('notifies an action group when an e-mail address is given, and takes the pending threshold in days', () => {
    const groups = byType(notifying, 'Microsoft.Insights/actionGroups');
    expect(groups).toHaveLength(1);
    expect(JSON.stringify(groups[0]?.properties)).toContain('ops@example.com');
    const rules = byType(notifying, 'Microsoft.Insights/scheduledQueryRules');
    for (const rule of rules) {
      expect((rule.properties as unknown as AlertProperties).actions.actionGroups).toEqual([
        groups[0]?.id,
      ]);
    }
    const pending = (snap: Snapshot) =>
      byType(snap, 'Microsoft.Insights/scheduledQueryRules')
        .map((r) => r.properties as unknown as AlertProperties)
        .find((p) => p.displayName === 'Vetting pending too long')?.criteria.allOf[0];
    expect(pending(notifying)).toMatchObject({
      threshold: 7 * 86400,
      metricMeasureColumn: 'oldestSeconds',
    });
    expect(pending(quiet)?.threshold).toBe(30 * 86400);
  });

  it('adds a workbook on Application Insights plotting decision time, pending age, Partner Center latency and 429s, refresh throughput', () => {
    const insights = byType(quiet, 'Microsoft.Insights/components')[0];
    const [workbook] = byType(quiet, 'Microsoft.Insights/workbooks');
    expect(workbook?.kind).toBe('shared');
    expect(workbook?.properties).toMatchObject({ category: 'workbook', sourceId: insights?.id });
    const content = JSON.parse(String(workbook?.properties?.serializedData)) as {
      items: { content: { title?: string; query?: string } }[];
    };
    const queries = content.items.map((i) => i.content.query ?? '').join('\n');
    for (const shown of [
      'vetting.decision.duration',
      'vetting.pending.oldest_age',
      "customDimensions['peer.service']) == 'partner-center'",
      'partner_center.throttled',
      'refresh.customers',
    ]) {
      expect(queries).toContain(shown);
    }
  });
});
