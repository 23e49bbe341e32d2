import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

/** The AsyncAPI document of every message the services publish. */
export const ASYNCAPI_DOCUMENT = resolve(__dirname, '../../../../docs/asyncapi.yaml');

/** What a published message is, held to the AsyncAPI document. */
export interface MessageCheck {
  /** The channel whose address matches the subject; undefined when none does. */
  readonly channel: string | undefined;
  /** Why the payload does not match the channel's message schema; empty when it does. */
  readonly errors: readonly string[];
}

interface Channel {
  readonly name: string;
  readonly address: RegExp;
  readonly validators: readonly ValidateFunction[];
}

type Json = { readonly [key: string]: unknown };

/**
 * The document's channels, each with its address as a pattern (`{param}` is one subject token)
 * and its messages' payload schemas compiled. Ajv takes the schemas as JSON Schema; AsyncAPI's
 * own schema format is a superset of draft-07 that these schemas stay inside of.
 */
export class IntegrationEventSchemas {
  private constructor(private readonly channels: readonly Channel[]) {}

  static load(file = ASYNCAPI_DOCUMENT): IntegrationEventSchemas {
    const document = parse(readFileSync(file, 'utf8')) as Json;
    // Not strict: the document's AsyncAPI keywords (channels, operations, …) are not JSON Schema.
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(document, 'asyncapi');
    const channels = Object.entries(document['channels'] as Record<string, Json>).map(
      ([name, channel]) => ({
        name,
        address: addressPattern(channel['address'] as string),
        validators: Object.values(channel['messages'] as Record<string, Json>).map((reference) => {
          const message = pointer(document, reference['$ref'] as string);
          const payload = message['payload'] as Json;
          return ajv.compile({ $ref: `asyncapi${payload['$ref'] as string}` });
        }),
      }),
    );
    return new IntegrationEventSchemas(channels);
  }

  get channelNames(): readonly string[] {
    return this.channels.map((channel) => channel.name);
  }

  check(subject: string, payload: unknown): MessageCheck {
    const channel = this.channels.find((candidate) => candidate.address.test(subject));
    if (channel === undefined)
      return { channel: undefined, errors: [`no channel has the address of ${subject}`] };
    const failures = channel.validators.map((validate) =>
      validate(payload)
        ? []
        : (validate.errors ?? []).map(
            (error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`,
          ),
    );
    // A channel with several messages: the payload is one of them.
    const errors = failures.some((found) => found.length === 0) ? [] : failures.flat();
    return { channel: channel.name, errors };
  }
}

const addressPattern = (address: string): RegExp =>
  new RegExp(
    `^${address
      .split(/(\{[^}]+\})/)
      .map((part) => (part.startsWith('{') ? '[^.]+' : part.replace(/[.*+?^$()|[\]\\-]/g, '\\$&')))
      .join('')}$`,
  );

function pointer(document: Json, reference: string): Json {
  if (!reference.startsWith('#/'))
    throw new Error(`only local references are followed, not ${reference}`);
  return reference
    .slice(2)
    .split('/')
    .reduce<Json>((node, key) => node[key] as Json, document);
}
