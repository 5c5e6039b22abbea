// Alert rules for what docs/operations.md tells operators to watch, over the gateway's
// OpenTelemetry data in Application Insights (requests, dependencies, traces, customMetrics).

param applicationInsightsName string
param location string
param tags object

@description('Name of the action group that alerts notify; created when alertEmailAddress is set.')
param actionGroupName string

@description('Where alerts are e-mailed; empty: alerts fire in the portal without notifying anyone.')
param alertEmailAddress string

@description('Days a vetting may stay InReview before the pending-vetting alert fires.')
@minValue(1)
param pendingVettingAlertDays int

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = if (!empty(alertEmailAddress)) {
  name: actionGroupName
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'gateway'
    enabled: true
    emailReceivers: [
      {
        name: 'operators'
        emailAddress: alertEmailAddress
        useCommonAlertSchema: true
      }
    ]
  }
}

var day = 86400

// Each rule: a query over the last window, an aggregation of it, and the threshold it must pass.
var rules = [
  {
    name: 'health-degraded'
    displayName: 'Gateway health degraded'
    description: 'GET /health answered 503, or the Partner Center circuit breaker or an event sink\'s was open (docs/operations.md: GET /api/v1/health answers 503 or degraded).'
    severity: 1
    frequency: 'PT5M'
    window: 'PT15M'
    query: '''
union
  (requests | where name == 'GET /api/v1/health' and resultCode == '503' | project timestamp),
  (customMetrics | where name in ('partner_center.circuit.open', 'events.sink.circuit.open') and valueMax > 0 | project timestamp)
'''
    aggregation: 'Count'
    measure: ''
    threshold: 0
  }
  {
    name: 'refresh-failures'
    displayName: 'Vetting refresh failures'
    description: 'Refresh runs failed to check customers (docs/operations.md: Refresh run finished with failed).'
    severity: 2
    frequency: 'PT15M'
    window: 'PT1H'
    query: '''
customMetrics
| where name == 'refresh.customers' and tostring(customDimensions['refresh.result']) == 'failed'
| summarize failed = sum(valueSum) by bin(timestamp, 5m)
'''
    aggregation: 'Total'
    measure: 'failed'
    threshold: 4
  }
  {
    name: 'partner-center-throttling'
    displayName: 'Partner Center throttling'
    description: 'Partner Center answered 429 repeatedly (docs/operations.md: stoppedBy throttled).'
    severity: 2
    frequency: 'PT15M'
    window: 'PT1H'
    query: '''
customMetrics
| where name == 'partner_center.throttled'
| summarize throttled = sum(valueSum) by bin(timestamp, 5m)
'''
    aggregation: 'Total'
    measure: 'throttled'
    threshold: 20
  }
  {
    name: 'consent-expired'
    displayName: 'Partner Center consent or credential refused'
    description: 'A Partner Center credential was refused: an expired secret, or Secure Application Model consent to re-run (docs/operations.md: Could not get a Partner Center token).'
    severity: 1
    frequency: 'PT15M'
    window: 'PT1H'
    query: '''
traces
| where message has 'Could not get a Partner Center token: configuration fault' or message has 'Re-run consent' or message has 'refused the gateway credentials'
'''
    aggregation: 'Count'
    measure: ''
    threshold: 0
  }
  {
    name: 'vetting-pending-too-long'
    displayName: 'Vetting pending too long'
    description: 'The oldest InReview vetting is older than the configured number of days.'
    severity: 3
    frequency: 'PT1H'
    window: 'PT6H'
    query: '''
customMetrics
| where name == 'vetting.pending.oldest_age'
| summarize oldestSeconds = max(valueMax) by qualification = tostring(customDimensions['vetting.qualification']), bin(timestamp, 1h)
'''
    aggregation: 'Maximum'
    measure: 'oldestSeconds'
    threshold: pendingVettingAlertDays * day
  }
]

resource alertRules 'Microsoft.Insights/scheduledQueryRules@2026-03-01' = [
  for rule in rules: {
    name: 'alert-${rule.name}-${applicationInsightsName}'
    location: location
    tags: tags
    properties: {
      displayName: rule.displayName
      description: rule.description
      severity: rule.severity
      enabled: true
      evaluationFrequency: rule.frequency
      windowSize: rule.window
      scopes: [applicationInsights.id]
      autoMitigate: true
      criteria: {
        allOf: [
          union(
            {
              query: rule.query
              timeAggregation: rule.aggregation
              operator: 'GreaterThan'
              threshold: rule.threshold
              failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
            },
            empty(rule.measure) ? {} : { metricMeasureColumn: rule.measure }
          )
        ]
      }
      actions: { actionGroups: empty(alertEmailAddress) ? [] : [actionGroup.id] }
    }
  }
]

output alertRuleNames array = [for (rule, i) in rules: alertRules[i].name]
