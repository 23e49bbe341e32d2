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
  /** The reply's schemas, for a request channel (an operation with a `reply`). */
  readonly replies: readonly ValidateFunction[];
}

type Json = { readonly [key: string]: unknown };

/**
 * The document's channels, each with its address as a pattern (`{param}` is one subject token)
 * and its messages' payload schemas compiled, with the reply schemas of request channels. Ajv
 * takes the schemas as JSON Schema; AsyncAPI's own schema format is a superset of draft-07 that
 * these schemas stay inside of. Reply channels (address null, the requester's inbox) match no
 * subject.
 */
export class IntegrationEventSchemas {
  private constructor(private readonly channels: readonly Channel[]) {}

  static load(file = ASYNCAPI_DOCUMENT): IntegrationEventSchemas {
    const document = parse(readFileSync(file, 'utf8')) as Json;
    // Not strict: the document's AsyncAPI keywords (channels, operations, …) are not JSON Schema.
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(document, 'asyncapi');
    const payloadValidator = (reference: Json) => {
      const payload = resolved(document, reference)['payload'] as Json;
      return ajv.compile({ $ref: `asyncapi${payload['$ref'] as string}` });
    };
    const replies = new Map<string, ValidateFunction[]>();
    for (const operation of Object.values(document['operations'] as Record<string, Json>)) {
      const reply = operation['reply'] as Json | undefined;
      if (reply === undefined) continue;
      const channel = ((operation['channel'] as Json)['$ref'] as string)
        .split('/')
        .at(-1) as string;
      replies.set(channel, (reply['messages'] as Json[]).map(payloadValidator));
    }
    const channels = Object.entries(document['channels'] as Record<string, Json>)
      .filter(([, channel]) => typeof channel['address'] === 'string')
      .map(([name, channel]) => ({
        name,
        address: addressPattern(channel['address'] as string),
        validators: Object.values(channel['messages'] as Record<string, Json>).map(
          payloadValidator,
        ),
        replies: replies.get(name) ?? [],
      }));
    return new IntegrationEventSchemas(channels);
  }

  get channelNames(): readonly string[] {
    return this.channels.map((channel) => channel.name);
  }

  /** A message published (or a request sent) on `subject`. */
  check(subject: string, payload: unknown): MessageCheck {
    return this.against(subject, payload, (channel) => channel.validators);
  }

  /** The reply to a request sent on `subject`. */
  checkReply(subject: string, payload: unknown): MessageCheck {
    return this.against(subject, payload, (channel) => channel.replies);
  }

  private against(
    subject: string,
    payload: unknown,
    schemasOf: (channel: Channel) => readonly ValidateFunction[],
  ): MessageCheck {
    const channel = this.channels.find((candidate) => candidate.address.test(subject));
    if (channel === undefined)
      return { channel: undefined, errors: [`no channel has the address of ${subject}`] };
    const validators = schemasOf(channel);
    if (validators.length === 0)
      return {
        channel: channel.name,
        errors: [`channel ${channel.name} declares no such message`],
      };
    const failures = validators.map((validate) =>
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

/** Follows local references (`#/…`) until it reaches an object that is not one. */
function resolved(document: Json, node: Json): Json {
  let current = node;
  for (let hops = 0; typeof current['$ref'] === 'string'; hops++) {
    const reference = current['$ref'];
    if (!reference.startsWith('#/') || hops > 16)
      throw new Error(`cannot follow reference ${reference}`);
    current = reference
      .slice(2)
      .split('/')
      .reduce<Json>((found, key) => found[key] as Json, document);
  }
  return current;
}
