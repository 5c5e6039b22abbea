import {
  defaultResource,
  detectResources,
  envDetector,
  resourceFromAttributes,
  type Resource,
} from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

/**
 * Who sends the telemetry: the SDK's defaults, then the configured service name, then
 * OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME as the environment sets them (they win).
 */
export function telemetryResource(serviceName: string): Resource {
  return defaultResource()
    .merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName }))
    .merge(detectResources({ detectors: [envDetector] }));
}
