// An Azure Monitor workbook over the gateway's OpenTelemetry data in Application Insights:
// vetting decision time, pending age, Partner Center latency and 429s, refresh throughput.

param applicationInsightsName string
param location string
param tags object

@description('Display name of the workbook in the portal.')
param displayName string

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

// One chart per question an operator asks (docs/operations.md, Metrics).
var charts = [
  {
    title: 'Vetting decision time (days, mean and max per day), by qualification and outcome'
    visualization: 'timechart'
    query: '''
customMetrics
| where name == 'vetting.decision.duration'
| extend series = strcat(tostring(customDimensions['vetting.qualification']), ' ', tostring(customDimensions['vetting.outcome']))
| summarize meanDays = sum(valueSum) / sum(valueCount) / 86400.0, maxDays = max(valueMax) / 86400.0 by series, bin(timestamp, 1d)
'''
  }
  {
    title: 'Pending vettings: count and oldest age (days), by qualification'
    visualization: 'timechart'
    query: '''
customMetrics
| where name in ('vetting.pending', 'vetting.pending.oldest_age')
| extend qualification = tostring(customDimensions['vetting.qualification'])
| summarize value = max(valueMax) by series = strcat(qualification, iff(name == 'vetting.pending', ' pending', ' oldest (days)')), name, bin(timestamp, 1h)
| extend value = iff(name == 'vetting.pending', value, value / 86400.0)
| project timestamp, series, value
'''
  }
  {
    title: 'Partner Center latency (s, p50 and p95), by operation'
    visualization: 'timechart'
    query: '''
dependencies
| where tostring(customDimensions['peer.service']) == 'partner-center'
| summarize p50 = percentile(duration, 50) / 1000.0, p95 = percentile(duration, 95) / 1000.0 by name, bin(timestamp, 15m)
'''
  }
  {
    title: 'Partner Center answers 429 and Retry-After (s)'
    visualization: 'timechart'
    query: '''
customMetrics
| where name in ('partner_center.throttled', 'partner_center.retry_after')
| summarize throttled = sumif(valueSum, name == 'partner_center.throttled'), maxRetryAfter = maxif(valueMax, name == 'partner_center.retry_after') by bin(timestamp, 15m)
'''
  }
  {
    title: 'Refresh throughput: customers per hour by result'
    visualization: 'barchart'
    query: '''
customMetrics
| where name == 'refresh.customers'
| summarize customers = sum(valueSum) by result = tostring(customDimensions['refresh.result']), bin(timestamp, 1h)
'''
  }
]

var content = {
  version: 'Notebook/1.0'
  items: concat(
    [
      {
        type: 1
        name: 'intro'
        content: {
          json: '## Partner Qualifications Gateway\nVetting decision time and pending age, Partner Center latency and throttling, refresh throughput. Metric names and units: docs/operations.md.'
        }
      }
    ],
    map(range(0, length(charts)), i => {
      type: 3
      name: 'chart-${i}'
      content: {
        version: 'KqlItem/1.0'
        title: charts[i].title
        query: charts[i].query
        queryType: 0
        resourceType: 'microsoft.insights/components'
        visualization: charts[i].visualization
        timeContext: { durationMs: 2592000000 }
        size: 0
      }
    })
  )
  fallbackResourceIds: [applicationInsights.id]
}

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  name: guid(applicationInsights.id, 'partner-qualifications-gateway-workbook')
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: displayName
    category: 'workbook'
    sourceId: applicationInsights.id
    serializedData: string(content)
  }
}

output workbookId string = workbook.id
