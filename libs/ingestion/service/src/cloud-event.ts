import type { FieldError } from '@burndown/http';

/**
 * A CloudEvents 1.0 event (JSON format) as Burndown reads it: `id`, `type` and `time` are the usage
 * event's; the customer is `data.customerId` or the `customerid` extension; `data` carries
 * `quantity`, `properties` and `providerCostMicros`.
 */
export function usageFromCloudEvent(
  cloudEvent: unknown,
  path: string,
): { usage: Record<string, unknown> } | { errors: FieldError[] } {
  if (typeof cloudEvent !== 'object' || cloudEvent === null || Array.isArray(cloudEvent)) {
    return { errors: [{ field: path, detail: 'a CloudEvent is a JSON object' }] };
  }
  const event = cloudEvent as Record<string, unknown>;
  if (event['specversion'] !== '1.0')
    return { errors: [{ field: `${path}.specversion`, detail: 'specversion must be "1.0"' }] };
  if (typeof event['source'] !== 'string' || event['source'] === '') {
    return { errors: [{ field: `${path}.source`, detail: 'source is required by CloudEvents' }] };
  }
  const data = event['data'];
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return {
      errors: [
        {
          field: `${path}.data`,
          detail: 'data must be an object with quantity (and customerId, properties)',
        },
      ],
    };
  }
  const payload = data as Record<string, unknown>;
  const usage: Record<string, unknown> = {
    id: event['id'],
    type: event['type'],
    customerId: payload['customerId'] ?? event['customerid'],
    quantity: payload['quantity'],
  };
  if (event['time'] !== undefined) usage['timestamp'] = event['time'];
  if (payload['properties'] !== undefined) usage['properties'] = payload['properties'];
  if (payload['providerCostMicros'] !== undefined)
    usage['providerCostMicros'] = payload['providerCostMicros'];
  return { usage };
}
