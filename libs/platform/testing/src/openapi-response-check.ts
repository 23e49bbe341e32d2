import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

type Json = { readonly [key: string]: unknown };

interface Route {
  readonly method: string;
  readonly template: string;
  readonly pattern: RegExp;
  readonly responses: Json;
}

/** Where a schema sits in the document, as a JSON pointer under the document's $id. */
const DOCUMENT_ID = 'burndown-openapi';
const pointer = (...segments: string[]) =>
  `${DOCUMENT_ID}#/${segments.map((segment) => segment.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;

/**
 * Holds every answer of a running Burndown to the OpenAPI document it serves: the status must be
 * documented for the operation (exactly, as `4XX`, or as `default`), and the body must match the
 * schema of its media type. A request to a path the document does not list is not checked (404
 * cases of the tests). The OpenAPI 3.0 schemas are JSON Schema to Ajv, `nullable` included.
 */
export class OpenApiResponseCheck {
  private readonly validators = new Map<string, ValidateFunction>();

  private constructor(
    private readonly ajv: Ajv,
    private readonly routes: readonly Route[],
  ) {}

  static fromDocument(document: Json): OpenApiResponseCheck {
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema({ ...document, $id: DOCUMENT_ID });
    const routes: Route[] = [];
    for (const [template, item] of Object.entries((document['paths'] ?? {}) as Json)) {
      for (const [method, operation] of Object.entries(item as Json)) {
        const responses = (operation as Json)['responses'];
        if (typeof responses !== 'object' || responses === null) continue;
        const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
        routes.push({
          method: method.toUpperCase(),
          template,
          pattern,
          responses: responses as Json,
        });
      }
    }
    // A literal segment wins over a parameter (/v1/api-keys/imports before /v1/api-keys/{id}).
    routes.sort((a, b) => paramCount(a.template) - paramCount(b.template));
    return new OpenApiResponseCheck(ajv, routes);
  }

  /** Why this answer does not match the document; empty when it does or the path is not listed. */
  problems(
    method: string,
    path: string,
    status: number,
    contentType: string | null,
    body: unknown,
    text: string,
  ): string[] {
    const bare = path.split('?')[0] as string;
    const route = this.routes.find(
      (candidate) => candidate.method === method && candidate.pattern.test(bare),
    );
    if (route === undefined) return [];
    const operation = `${method} ${route.template}`;
    const statusKey = [String(status), `${String(status)[0]}XX`, 'default'].find(
      (key) => key in route.responses,
    );
    if (statusKey === undefined)
      return [`${operation} answered ${status}, which its document does not list`];
    const content = (route.responses[statusKey] as Json)['content'] as Json | undefined;
    if (text === '') return [];
    const mediaType = (contentType ?? '').split(';')[0]?.trim() ?? '';
    if (content === undefined || !(mediaType in content))
      return [
        `${operation} answered ${status} with a ${mediaType || 'untyped'} body its document does not describe`,
      ];
    if (!('schema' in (content[mediaType] as Json))) return [];
    const validate = this.validator(route, statusKey, mediaType);
    if (validate(mediaType.endsWith('json') ? body : text)) return [];
    return (validate.errors ?? []).map(
      (error) =>
        `${operation} ${status}: body${error.instancePath} ${error.message ?? 'does not match'} (${JSON.stringify(error.params)})`,
    );
  }

  private validator(route: Route, statusKey: string, mediaType: string): ValidateFunction {
    const key = `${route.method} ${route.template} ${statusKey} ${mediaType}`;
    let validate = this.validators.get(key);
    if (validate === undefined) {
      validate = this.ajv.compile({
        $ref: pointer(
          'paths',
          route.template,
          route.method.toLowerCase(),
          'responses',
          statusKey,
          'content',
          mediaType,
          'schema',
        ),
      });
      this.validators.set(key, validate);
    }
    return validate;
  }
}

function paramCount(template: string): number {
  return (template.match(/\{/g) ?? []).length;
}
