/**
 * The deployment template (infra/main.bicep), compiled and evaluated by the project's own Bicep
 * CLI: what it creates, the roles it grants, and the app settings it writes, checked against the
 * gateway's own code so that template and code cannot drift apart.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../shared/config.js';
import { settingsSchema } from '../../shared/settings.js';
import { eventsQueueName } from '../../shared/storage/queue-event-publisher.js';
import { gatewayTableNames } from '../../shared/storage/tables.js';
import { evaluate, evaluateAll, isExpression, type DeploymentOutputs } from './arm-expression.js';
import {
  buildTemplate,
  DEPLOYMENT,
  REPO,
  SAMPLE_ENVIRONMENT,
  snapshot,
  type PredictedResource,
  type Snapshot,
} from './bicep.js';

const IDENTITY = {
  clientId: '5a1d0c3e-1111-4000-8000-000000000001',
  principalId: '5a1d0c3e-2222-4000-8000-000000000002',
};
const ADMIN_GROUP = '5a1d0c3e-3333-4000-8000-000000000003';

/** Module outputs that exist only once Azure has created the resource, as stand-ins. */
const outputsOf =
  (snap: Snapshot): DeploymentOutputs =>
  (module, output) => {
    const known: Record<string, string> = {
      'identity.clientId': IDENTITY.clientId,
      'identity.principalId': IDENTITY.principalId,
      'identity.id': only(
        snap.predictedResources,
        'Microsoft.ManagedIdentity/userAssignedIdentities',
      ).id,
      'eventGrid.endpoint': EVENT_GRID_ENDPOINT,
      'monitoring.connectionString':
        'InstrumentationKey=00000000-0000-4000-8000-0000000000c0;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/',
    };
    const value = known[`${module}.${output}`];
    if (value === undefined) throw new Error(`No stand-in for ${module}.outputs.${output}`);
    return value;
  };

const ENVIRONMENT = { ...SAMPLE_ENVIRONMENT, storageTablePrefix: 'Prod' };

/** Known only once Azure has created the topic. */
const EVENT_GRID_ENDPOINT = 'https://evgt-gateway.westeurope-1.eventgrid.azure.net/api/events';
const SERVICE_BUS_QUEUE =
  '/subscriptions/00000000-0000-4000-8000-00000000a0a0/resourceGroups/rg-crm/providers/Microsoft.ServiceBus/namespaces/sb-crm/queues/vetting';
/** The topic and one example subscription of each kind. */
const WITH_EVENT_GRID = {
  ...ENVIRONMENT,
  eventSinks: 'queue,event-grid',
  eventSubscriptionEventTypes:
    'com.partnercenter.qualification.approved, com.partnercenter.qualification.denied',
  eventSubscriptionWebhookUrl: 'https://orders.contoso.example/api/vetting-events',
  eventSubscriptionWebhookApplicationIdOrUri: 'api://orders-vetting-webhook',
  eventSubscriptionServiceBusQueueId: SERVICE_BUS_QUEUE,
  eventSubscriptionStorageQueueName: 'erp-vetting-events',
  eventDeliveryMaxAttempts: '10',
};

/**
 * Settings the gateway reads (local.settings.sample.json) that the template leaves to the
 * gateway's default, each with the reason. Every other documented setting the template sets.
 */
const LEFT_TO_DEFAULT: Record<string, string> = {
  FUNCTIONS_WORKER_RUNTIME: 'Flex Consumption sets the runtime in functionAppConfig and refuses it',
  AzureWebJobsStorage: 'the host reaches its storage with the identity (AzureWebJobsStorage__*)',
  STORAGE_CONNECTION_STRING: 'no account keys: tables and queue by endpoint and identity',
  PORT: 'npm start only',
  SIMULATOR_PORT: 'npm start only',
  SIMULATOR_VETTING_DELAY_SECONDS: 'npm start only',
  PARTNER_CENTER_CERTIFICATE_PATH: 'the template deploys client-secret, not a certificate file',
  PARTNER_CENTER_REFRESH_TOKEN: 'the refresh token is read and rolled in Key Vault (…_SECRET_URI)',
  PARTNER_CENTER_AUTHORITY_HOST: 'the global cloud',
  PARTNER_CENTER_SCOPE: "Partner Center's own",
  PARTNER_CENTER_TIMEOUT_MS: 'the gateway default',
  PARTNER_CENTER_ATTEMPT_TIMEOUT_MS: 'the gateway default',
  PARTNER_CENTER_MAX_RETRIES: 'the gateway default',
  PARTNER_CENTER_RETRY_BASE_MS: 'the gateway default',
  PARTNER_CENTER_MAX_CONCURRENT_CALLS: 'the gateway default',
  PARTNER_CENTER_CIRCUIT_FAILURE_THRESHOLD: 'the gateway default',
  PARTNER_CENTER_CIRCUIT_OPEN_SECONDS: 'the gateway default',
  AUTH_ISSUER: 'derived from AUTH_TENANT_ID',
  AUTH_JWKS_URI: 'derived from AUTH_TENANT_ID',
  AUTH_AUTHORITY_HOST: 'the global cloud',
  WEBSITE_AUTH_ENABLED: 'set by App Service itself; the template validates bearer tokens',
  CACHE_SYNC_WRITE_INTERVAL_SECONDS: 'the gateway default',
  CACHE_MEMORY_MAX_AGE_MS: 'the gateway default',
  CACHE_MEMORY_MAX_ENTRIES: 'the gateway default',
  VETTING_REFRESH_BUDGET_SECONDS: 'the gateway default, within functionTimeout',
  VETTING_REFRESH_MAX_CALLS: 'the gateway default',
  VETTING_REFRESH_CONCURRENCY: 'the gateway default',
  OTEL_EXPORTER_OTLP_ENDPOINT: 'Azure Monitor (APPLICATIONINSIGHTS_CONNECTION_STRING) in Azure',
  OTEL_EXPORTER_OTLP_PROTOCOL: 'no OTLP export in Azure',
  OTEL_SERVICE_NAME: 'the gateway default',
  OTEL_METRIC_EXPORT_INTERVAL: 'the gateway default',
};

/** Settings for the platform rather than the gateway's own code. */
const PLATFORM_SETTINGS = [
  'AzureWebJobsStorage__accountName',
  'AzureWebJobsStorage__credential',
  'AzureWebJobsStorage__clientId',
  'AZURE_CLIENT_ID',
  'APPLICATIONINSIGHTS_CONNECTION_STRING',
  'APPLICATIONINSIGHTS_AUTHENTICATION_STRING',
];

const ROLES = {
  'b7e6dc6d-f1e8-4753-8033-0f276bb0955b': 'Storage Blob Data Owner',
  '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3': 'Storage Table Data Contributor',
  '974c5e8b-45b9-4653-ba55-5f855dd0fb88': 'Storage Queue Data Contributor',
  'c6a89b2d-59bc-44d0-9896-0f6e12d7b80a': 'Storage Queue Data Message Sender',
  '4633458b-17de-408a-b874-0445c86b69e6': 'Key Vault Secrets User',
  'b86a8fe4-44ce-4948-aee5-eccb2c155cd7': 'Key Vault Secrets Officer',
  '3913510d-42f4-4e42-8a64-420c390055eb': 'Monitoring Metrics Publisher',
  'd5a91429-5739-47e2-a06b-3470a27159e7': 'EventGrid Data Sender',
  'ba92f5b4-2d11-453d-a403-e96b0029c9fe': 'Storage Blob Data Contributor',
} as const;

function only(resources: PredictedResource[], type: string): PredictedResource {
  const matching = resources.filter((r) => r.type === type);
  expect(matching, type).toHaveLength(1);
  return matching[0] as PredictedResource;
}

/** A resource of the snapshot with its properties evaluated. */
function evaluated(snap: Snapshot, type: string): PredictedResource {
  const resource = only(snap.predictedResources, type);
  return evaluateAll(resource, outputsOf(snap)) as PredictedResource;
}

function appSettingsOf(snap: Snapshot): Record<string, string> {
  const config = evaluated(snap, 'Microsoft.Web/sites/config');
  expect(config.name.endsWith('/appsettings')).toBe(true);
  return config.properties as Record<string, string>;
}

/** What App Service does with a Key Vault reference before the app reads the setting. */
function resolveKeyVaultReferences(settings: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(settings).map(([name, value]) => [
      name,
      /^@Microsoft\.KeyVault\(/.test(value) ? `value-of-${name}-from-key-vault` : value,
    ]),
  );
}

interface RoleAssignment {
  readonly scope: string;
  readonly role: string;
  readonly principalId: string;
  readonly principalType: unknown;
}

/** Role assignments with the resource they are scoped to and the role they grant. */
function roleAssignmentsOf(snap: Snapshot): RoleAssignment[] {
  return snap.predictedResources
    .filter((r) => r.type === 'Microsoft.Authorization/roleAssignments')
    .map((r) => {
      // The id is <scope>/providers/Microsoft.Authorization/roleAssignments/<guid>, evaluated, or
      // still extensionResourceId('<scope>', …) where the guid needs the identity's principal id.
      const scope =
        /^\[extensionResourceId\('([^']+)', 'Microsoft\.Authorization\/roleAssignments'/.exec(
          r.id,
        )?.[1] ??
        /^(\/subscriptions\/.+)\/providers\/Microsoft\.Authorization\/roleAssignments\/[^/]+$/.exec(
          r.id,
        )?.[1];
      const properties = r.properties as Record<string, string>;
      return {
        scope: scope ?? `(not scoped to a resource: ${r.id})`,
        role: properties.roleDefinitionId?.split('/').pop() ?? '',
        principalId: principalOf(properties.principalId ?? '', snap),
        principalType: properties.principalType,
      };
    });
}

/**
 * The principal an assignment is for: evaluated, or `identity of <resource id>` for a resource's
 * own system-assigned identity, known only once Azure has created it.
 */
function principalOf(expression: string, snap: Snapshot): string {
  const ownIdentity = /^\[reference\('([^']+)', '[^']+', 'full'\)\.identity\.principalId\]$/.exec(
    expression,
  );
  if (ownIdentity !== null) return `identity of ${ownIdentity[1] ?? ''}`;
  return evaluate(expression, outputsOf(snap));
}

describe('the deployment template (infra/main.bicep)', () => {
  let sam: Snapshot;
  let onBehalfOf: Snapshot;
  let noUser: Snapshot;
  let events: Snapshot;

  beforeAll(async () => {
    [sam, onBehalfOf, noUser, events] = await Promise.all([
      snapshot({
        ...ENVIRONMENT,
        partnerCenterRefreshTokenSecretExists: true,
        keyVaultAdminPrincipalId: ADMIN_GROUP,
      }),
      snapshot({ ...ENVIRONMENT, partnerCenterUserCredential: 'on-behalf-of' }),
      snapshot({ ...ENVIRONMENT, partnerCenterUserCredential: 'none', storageTablePrefix: '' }),
      snapshot(WITH_EVENT_GRID),
    ]);
  }, 180_000);

  it('compiles and lints without a warning', async () => {
    const { template, warnings } = await buildTemplate();
    expect(warnings).toBe('');
    expect(JSON.parse(template)).toHaveProperty('resources');
    expect(sam.diagnostics).toEqual([]);
  }, 60_000);

  describe('resources', () => {
    it('runs a Node 22 Function App on Flex Consumption, HTTPS only, TLS 1.2, no FTP or basic auth', () => {
      const resources = sam.predictedResources;
      const plan = only(resources, 'Microsoft.Web/serverfarms');
      expect(plan.sku).toEqual({ name: 'FC1', tier: 'FlexConsumption' });
      expect(plan.properties).toMatchObject({ reserved: true });

      const site = evaluated(sam, 'Microsoft.Web/sites');
      const identity = only(resources, 'Microsoft.ManagedIdentity/userAssignedIdentities');
      expect(site.kind).toBe('functionapp,linux');
      expect(site.tags).toMatchObject({ 'azd-service-name': 'gateway' });
      expect(site.identity?.type).toBe('UserAssigned');
      expect(Object.keys(site.identity?.userAssignedIdentities ?? {})).toEqual([identity.id]);
      expect(site.properties).toMatchObject({
        httpsOnly: true,
        keyVaultReferenceIdentity: identity.id,
        siteConfig: { minTlsVersion: '1.2', scmMinTlsVersion: '1.2', ftpsState: 'Disabled' },
        functionAppConfig: {
          runtime: { name: 'node', version: '22' },
          deployment: {
            storage: {
              type: 'blobContainer',
              authentication: {
                type: 'UserAssignedIdentity',
                userAssignedIdentityResourceId: identity.id,
              },
            },
          },
        },
      });
      const policies = resources.filter(
        (r) => r.type === 'Microsoft.Web/sites/basicPublishingCredentialsPolicies',
      );
      expect(policies.map((p) => p.name.split('/').pop()).sort()).toEqual(['ftp', 'scm']);
      for (const policy of policies) expect(policy.properties).toEqual({ allow: false });
    });

    it('deploys the package from a private blob container of its own storage account', () => {
      const resources = sam.predictedResources;
      const account = only(resources, 'Microsoft.Storage/storageAccounts');
      const container = only(
        resources,
        'Microsoft.Storage/storageAccounts/blobServices/containers',
      );
      const site = evaluated(sam, 'Microsoft.Web/sites');
      const deployment = (
        site.properties as { functionAppConfig: { deployment: { storage: { value: string } } } }
      ).functionAppConfig.deployment.storage;
      const containerName = container.name.split('/').pop() ?? '';
      expect(deployment.value).toBe(
        `https://${account.name}.blob.core.windows.net/${containerName}`,
      );
      expect(container.properties).toEqual({ publicAccess: 'None' });
    });

    it('keeps storage keyless: shared keys off, TLS 1.2, no public blobs', () => {
      const account = only(sam.predictedResources, 'Microsoft.Storage/storageAccounts');
      expect(account.properties).toMatchObject({
        allowSharedKeyAccess: false,
        allowBlobPublicAccess: false,
        minimumTlsVersion: 'TLS1_2',
        supportsHttpsTrafficOnly: true,
      });
    });

    it("creates the gateway's tables and events queue under the names the code uses", () => {
      for (const [snap, prefix] of [
        [sam, 'Prod'],
        [noUser, ''],
      ] as const) {
        const tables = snap.predictedResources
          .filter((r) => r.type === 'Microsoft.Storage/storageAccounts/tableServices/tables')
          .map((r) => r.name.split('/').pop());
        expect(tables.sort()).toEqual(gatewayTableNames(prefix).sort());
        const queues = snap.predictedResources
          .filter((r) => r.type === 'Microsoft.Storage/storageAccounts/queueServices/queues')
          .map((r) => r.name.split('/').pop());
        expect(queues).toEqual([eventsQueueName(prefix)]);
      }
    });

    it('keeps secrets in a Key Vault with RBAC, soft delete and purge protection, and creates none', () => {
      const vault = only(sam.predictedResources, 'Microsoft.KeyVault/vaults');
      expect(vault.properties).toMatchObject({
        enableRbacAuthorization: true,
        enableSoftDelete: true,
        enablePurgeProtection: true,
        tenantId: DEPLOYMENT.tenantId,
      });
      for (const snap of [sam, onBehalfOf, noUser]) {
        expect(
          snap.predictedResources.filter((r) => r.type === 'Microsoft.KeyVault/vaults/secrets'),
        ).toEqual([]);
      }
    });

    it('sends telemetry to Application Insights on Log Analytics, with Entra ID only', () => {
      const workspace = only(sam.predictedResources, 'Microsoft.OperationalInsights/workspaces');
      const insights = only(sam.predictedResources, 'Microsoft.Insights/components');
      expect(insights.properties).toMatchObject({
        DisableLocalAuth: true,
        WorkspaceResourceId: workspace.id,
      });
      const settings = appSettingsOf(sam);
      expect(settings.APPLICATIONINSIGHTS_AUTHENTICATION_STRING).toBe(
        `ClientId=${IDENTITY.clientId};Authorization=AAD`,
      );
    });
  });

  describe('app settings', () => {
    it.each([
      ['secure-application-model', () => sam],
      ['on-behalf-of', () => onBehalfOf],
      ['none', () => noUser],
    ])("load with the gateway's own loadConfig (%s)", (userCredential, snap) => {
      const resources = snap().predictedResources;
      const settings = appSettingsOf(snap());
      const config = loadConfig(resolveKeyVaultReferences(settings));
      const account = only(resources, 'Microsoft.Storage/storageAccounts').name;
      expect(config.partnerCenter.baseUrl).toEqual(
        new URL('https://api.partnercenter.microsoft.com'),
      );
      expect(config.partnerCenterIdentity).toMatchObject({
        credential: 'client-secret',
        userCredential,
        tenantId: ENVIRONMENT.partnerCenterTenantId,
        clientId: ENVIRONMENT.partnerCenterClientId,
      });
      expect(config.inboundAuth).toMatchObject({
        kind: 'bearer-token',
        validation: {
          audience: ENVIRONMENT.authAudience.split(','),
          tenantId: DEPLOYMENT.tenantId,
        },
      });
      expect(config.storage).toEqual({
        kind: 'endpoint',
        tableEndpoint: `https://${account}.table.core.windows.net/`,
        queueEndpoint: `https://${account}.queue.core.windows.net/`,
        tablePrefix: userCredential === 'none' ? '' : 'Prod',
      });
      expect(settings.AZURE_CLIENT_ID).toBe(IDENTITY.clientId);
      expect(settings.AzureWebJobsStorage__accountName).toBe(account);
    });

    it('take secrets from the vault the template creates, the refresh token without a version', () => {
      const vault = only(sam.predictedResources, 'Microsoft.KeyVault/vaults').name;
      const settings = appSettingsOf(sam);
      expect(settings.PARTNER_CENTER_CLIENT_SECRET).toBe(
        `@Microsoft.KeyVault(SecretUri=https://${vault}.vault.azure.net/secrets/partner-center-client-secret/)`,
      );
      expect(
        loadConfig(resolveKeyVaultReferences(settings)).partnerCenterIdentity.refreshTokenSecretUri,
      ).toBe(`https://${vault}.vault.azure.net/secrets/partner-center-refresh-token`);
      expect(appSettingsOf(onBehalfOf).PARTNER_CENTER_REFRESH_TOKEN_SECRET_URI).toBe('');
    });

    it('without the Key Vault references resolved, the gateway refuses to start', () => {
      expect(() => loadConfig(appSettingsOf(sam))).toThrow(
        /PARTNER_CENTER_CLIENT_SECRET: is an unresolved Key Vault reference/,
      );
    });

    it('cover every documented setting, or leave it to its default knowingly', async () => {
      const sample = JSON.parse(
        await readFile(join(REPO, 'local.settings.sample.json'), 'utf8'),
      ) as { Values: Record<string, string> };
      const set = Object.keys(appSettingsOf(sam));
      const documented = Object.keys(sample.Values);
      expect(
        documented.filter((name) => !set.includes(name) && !(name in LEFT_TO_DEFAULT)),
      ).toEqual([]);
      expect(Object.keys(LEFT_TO_DEFAULT).filter((name) => set.includes(name))).toEqual([]);
      expect(Object.keys(LEFT_TO_DEFAULT).filter((name) => !documented.includes(name))).toEqual([]);
      const gatewaySettings = Object.keys(settingsSchema.shape);
      expect(
        set.filter((name) => !gatewaySettings.includes(name) && !PLATFORM_SETTINGS.includes(name)),
      ).toEqual([]);
    });
  });

  describe('role assignments', () => {
    it('grant the identity only allowed data roles, each on one resource the template creates', () => {
      const vaultId = only(sam.predictedResources, 'Microsoft.KeyVault/vaults').id;
      // Resources the template creates, and the one secret put in by hand that it grants a role on.
      const created = new Set([
        ...sam.predictedResources.map((r) => r.id),
        `${vaultId}/secrets/partner-center-refresh-token`,
      ]);
      const assignments = roleAssignmentsOf(sam);
      expect(assignments.length).toBeGreaterThan(0);
      for (const assignment of assignments) {
        expect(Object.keys(ROLES), assignment.scope).toContain(assignment.role);
        expect(created.has(assignment.scope), assignment.scope).toBe(true);
        expect(assignment.scope).toMatch(/\/providers\/[^/]+\/[^/]+\/[^/]+/);
      }
      const byRole = (principalId: string) =>
        assignments
          .filter((a) => a.principalId === principalId)
          .map(
            (a) =>
              `${ROLES[a.role as keyof typeof ROLES]} on ${a.scope.split('/providers/')[1] ?? ''}`,
          )
          .sort();
      const account = only(sam.predictedResources, 'Microsoft.Storage/storageAccounts').name;
      const vault = only(sam.predictedResources, 'Microsoft.KeyVault/vaults').name;
      const insights = only(sam.predictedResources, 'Microsoft.Insights/components').name;
      expect(byRole(IDENTITY.principalId)).toEqual(
        [
          `Key Vault Secrets Officer on Microsoft.KeyVault/vaults/${vault}/secrets/partner-center-refresh-token`,
          `Key Vault Secrets User on Microsoft.KeyVault/vaults/${vault}`,
          `Monitoring Metrics Publisher on Microsoft.Insights/components/${insights}`,
          `Storage Blob Data Owner on Microsoft.Storage/storageAccounts/${account}`,
          `Storage Queue Data Message Sender on Microsoft.Storage/storageAccounts/${account}/queueServices/default/queues/prodqualification-events`,
          ...gatewayTableNames('Prod').map(
            (table) =>
              `Storage Table Data Contributor on Microsoft.Storage/storageAccounts/${account}/tableServices/default/tables/${table}`,
          ),
        ].sort(),
      );
      for (const a of assignments.filter((a) => a.principalId === IDENTITY.principalId)) {
        expect(a.principalType).toBe('ServicePrincipal');
      }
      expect(byRole(ADMIN_GROUP)).toEqual([
        `Key Vault Secrets Officer on Microsoft.KeyVault/vaults/${vault}`,
      ]);
    });

    it('grant the right to roll the refresh token only under the Secure Application Model, once the secret exists', () => {
      const officer = (snap: Snapshot) =>
        roleAssignmentsOf(snap).filter(
          (a) => ROLES[a.role as keyof typeof ROLES] === 'Key Vault Secrets Officer',
        );
      expect(officer(sam)).toHaveLength(2);
      expect(officer(onBehalfOf)).toEqual([]);
      expect(officer(noUser)).toEqual([]);
    });
  });

  describe('change events through Event Grid', () => {
    it('by default creates no topic, and the gateway keeps the queue alone', () => {
      expect(
        sam.predictedResources.filter((r) => r.type.startsWith('Microsoft.EventGrid/')),
      ).toEqual([]);
      expect(loadConfig(resolveKeyVaultReferences(appSettingsOf(sam))).events).toEqual({
        sinks: ['queue'],
        eventGridTopicEndpoint: undefined,
      });
    });

    it('creates a CloudEvents 1.0 topic that takes Entra ID tokens only, and the app publishes to it', () => {
      expect(events.diagnostics).toEqual([]);
      const topic = only(events.predictedResources, 'Microsoft.EventGrid/topics');
      expect(topic.identity?.type).toBe('SystemAssigned');
      expect(topic.properties).toMatchObject({
        inputSchema: 'CloudEventSchemaV1_0',
        disableLocalAuth: true,
        minimumTlsVersionAllowed: '1.2',
      });
      const config = loadConfig(resolveKeyVaultReferences(appSettingsOf(events)));
      expect(config.events).toEqual({
        sinks: ['queue', 'event-grid'],
        eventGridTopicEndpoint: EVENT_GRID_ENDPOINT,
      });
    });

    it('subscribes a webhook (Entra ID delivery), a Service Bus queue and a storage queue, each filtered, retried and dead-lettered', () => {
      const subscriptions = events.predictedResources
        .filter((r) => r.type === 'Microsoft.EventGrid/topics/eventSubscriptions')
        .map((r) => evaluateAll(r, outputsOf(events)) as PredictedResource);
      expect(subscriptions.map((s) => s.name.split('/').pop()).sort()).toEqual([
        'service-bus-queue',
        'storage-queue',
        'webhook',
      ]);
      const account = only(events.predictedResources, 'Microsoft.Storage/storageAccounts');
      const container = events.predictedResources.find(
        (r) =>
          r.type === 'Microsoft.Storage/storageAccounts/blobServices/containers' &&
          r.name.endsWith('/event-dead-letters'),
      );
      expect(container?.properties).toEqual({ publicAccess: 'None' });
      for (const subscription of subscriptions) {
        expect(subscription.properties, subscription.name).toMatchObject({
          eventDeliverySchema: 'CloudEventSchemaV1_0',
          filter: {
            includedEventTypes: [
              'com.partnercenter.qualification.approved',
              'com.partnercenter.qualification.denied',
            ],
          },
          retryPolicy: { maxDeliveryAttempts: 10, eventTimeToLiveInMinutes: 1440 },
          deadLetterWithResourceIdentity: {
            identity: { type: 'SystemAssigned' },
            deadLetterDestination: {
              endpointType: 'StorageBlob',
              properties: { resourceId: account.id, blobContainerName: 'event-dead-letters' },
            },
          },
        });
      }
      const byName = (name: string) =>
        subscriptions.find((s) => s.name.endsWith(`/${name}`))?.properties;
      expect(byName('webhook')).toMatchObject({
        destination: {
          endpointType: 'WebHook',
          properties: {
            endpointUrl: WITH_EVENT_GRID.eventSubscriptionWebhookUrl,
            azureActiveDirectoryTenantId: DEPLOYMENT.tenantId,
            azureActiveDirectoryApplicationIdOrUri: 'api://orders-vetting-webhook',
          },
        },
      });
      expect(byName('service-bus-queue')).toMatchObject({
        destination: {
          endpointType: 'ServiceBusQueue',
          properties: { resourceId: SERVICE_BUS_QUEUE },
        },
      });
      expect(byName('storage-queue')).toMatchObject({
        deliveryWithResourceIdentity: {
          identity: { type: 'SystemAssigned' },
          destination: {
            endpointType: 'StorageQueue',
            properties: { resourceId: account.id, queueName: 'erp-vetting-events' },
          },
        },
      });
    });

    it('grants EventGrid Data Sender on the topic alone, and the topic writes only its queue and dead letters', () => {
      const assignments = roleAssignmentsOf(events);
      const created = new Set(events.predictedResources.map((r) => r.id));
      for (const assignment of assignments) {
        expect(Object.keys(ROLES), assignment.scope).toContain(assignment.role);
        expect(created.has(assignment.scope), assignment.scope).toBe(true);
      }
      const topic = only(events.predictedResources, 'Microsoft.EventGrid/topics');
      const account = only(events.predictedResources, 'Microsoft.Storage/storageAccounts').name;
      const rolesOf = (principal: string) =>
        assignments
          .filter((a) => a.principalId === principal)
          .map(
            (a) =>
              `${ROLES[a.role as keyof typeof ROLES]} on ${a.scope.split('/providers/')[1] ?? ''}`,
          )
          .sort();
      expect(rolesOf(IDENTITY.principalId)).toContain(
        `EventGrid Data Sender on Microsoft.EventGrid/topics/${topic.name}`,
      );
      expect(rolesOf(IDENTITY.principalId).filter((r) => r.startsWith('EventGrid'))).toHaveLength(
        1,
      );
      expect(rolesOf(`identity of ${topic.id}`)).toEqual([
        `Storage Blob Data Contributor on Microsoft.Storage/storageAccounts/${account}/blobServices/default/containers/event-dead-letters`,
        `Storage Queue Data Message Sender on Microsoft.Storage/storageAccounts/${account}/queueServices/default/queues/erp-vetting-events`,
      ]);
    });
  });

  describe('secrets', () => {
    it('no key, connection string or secret value in the compiled template', async () => {
      const { template } = await buildTemplate();
      expect(template).not.toMatch(
        /listKeys|listAccountSas|listServiceSas|AccountKey=|SharedAccessSignature|sig=/i,
      );
      expect(template).not.toMatch(/DefaultEndpointsProtocol|UseDevelopmentStorage/);
      const compiled = JSON.parse(template) as {
        parameters: Record<string, { type: string; defaultValue?: unknown }>;
        outputs: Record<string, { type: string; value: string }>;
      };
      for (const [name, parameter] of Object.entries(compiled.parameters)) {
        // A parameter named like a secret holds its name, a flag or an id, never the value.
        if (/secret|token|password|key/i.test(name))
          expect(name).toMatch(/(Name|Exists|PrincipalId)$/);
        expect(parameter.type, name).not.toBe('securestring');
      }
      for (const [name, output] of Object.entries(compiled.outputs)) {
        expect(output.type, name).toBe('string');
        expect(output.value, name).not.toMatch(/connectionString|listKeys|secret/i);
      }
    }, 60_000);

    it('no setting carries a secret value: only Key Vault references and identifiers', () => {
      for (const snap of [sam, onBehalfOf, noUser]) {
        const config = only(snap.predictedResources, 'Microsoft.Web/sites/config');
        for (const [name, value] of Object.entries(config.properties as Record<string, string>)) {
          if (/SECRET$|PASSWORD|KEY$/.test(name)) {
            expect(value, name).toMatch(
              /^\[format\('@Microsoft\.KeyVault\(SecretUri=|^@Microsoft\.KeyVault\(SecretUri=/,
            );
          }
          if (!isExpression(value))
            expect(value, name).not.toMatch(/AccountKey|InstrumentationKey/);
        }
      }
    });
  });

  describe('main.parameters.json (azd)', () => {
    it('passes every parameter from an azd environment value', async () => {
      const file = JSON.parse(await readFile(join(REPO, 'infra/main.parameters.json'), 'utf8')) as {
        parameters: Record<string, { value: string }>;
      };
      const { template } = await buildTemplate();
      const parameters = (
        JSON.parse(template) as { parameters: Record<string, { defaultValue?: unknown }> }
      ).parameters;
      expect(Object.keys(file.parameters).sort()).toEqual(Object.keys(parameters).sort());
      for (const [name, { value }] of Object.entries(file.parameters)) {
        // An unset azd value arrives as "": every optional parameter's default is "" or not a string.
        expect(value, name).toMatch(/^\$\{[A-Z][A-Z0-9_]*\}$/);
        const fallback = parameters[name]?.defaultValue;
        if (typeof fallback === 'string') expect(fallback, name).toBe('');
      }
    }, 60_000);
  });
});
