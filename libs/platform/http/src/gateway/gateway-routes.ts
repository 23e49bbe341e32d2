/** One line of a gateway's route table: which service answers a method and path. */
export interface GatewayRoute<S extends string = string> {
  /**
   * `/v1/customers/:id/rate-card`: `:name` stands for any one segment. The route covers the path
   * and everything below it (`/v1/wallets` covers `/v1/wallets/acme/ledger`) unless `exact`.
   */
  readonly path: string;
  readonly service: S;
  /** Only these methods (HEAD counts as GET); every method when absent. */
  readonly methods?: readonly string[];
  readonly exact?: boolean;
  /**
   * API keys live in each service's own store. `api-keys`: once `service` has created or imported
   * a key, the gateway imports it into every other service, so one key works on every route.
   * `every-service`: once `service` has taken the request, every other service is sent it too (a
   * revocation), and the answer is `service`'s once all have taken it.
   */
  readonly replicate?: 'api-keys' | 'every-service';
}

interface CompiledRoute<S extends string> {
  readonly route: GatewayRoute<S>;
  /** `undefined` stands for a `:param` segment. */
  readonly segments: readonly (string | undefined)[];
  readonly literals: number;
  readonly methods: ReadonlySet<string> | undefined;
}

/**
 * A route table, checked when it is built: the most specific route wins (more segments, then more
 * literal ones, then exact), so the table reads in any order; two routes of the same shape for the same
 * method are refused rather than resolved by whichever came first.
 */
export class GatewayRoutes<S extends string> {
  private readonly compiled: readonly CompiledRoute<S>[];

  constructor(readonly routes: readonly GatewayRoute<S>[]) {
    this.compiled = routes.map(compile);
    for (const [index, route] of this.compiled.entries()) {
      const twin = this.compiled
        .slice(index + 1)
        .find((other) => sameShape(route, other) && methodsOverlap(route, other));
      if (twin !== undefined)
        throw new Error(
          `gateway routes ${route.route.path} and ${twin.route.path} claim the same requests`,
        );
    }
  }

  /** The route for a request, or undefined when no service owns it. `path` excludes the query. */
  resolve(method: string, path: string): GatewayRoute<S> | undefined {
    const wanted = method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase();
    const segments = path.split('/');
    let best: CompiledRoute<S> | undefined;
    for (const candidate of this.compiled) {
      if (candidate.methods !== undefined && !candidate.methods.has(wanted)) continue;
      if (!covers(candidate, segments)) continue;
      if (best === undefined || moreSpecific(candidate, best)) best = candidate;
    }
    return best?.route;
  }
}

function compile<S extends string>(route: GatewayRoute<S>): CompiledRoute<S> {
  if (!/^(\/(:[a-zA-Z]\w*|[\w.~-]+))+$/.test(route.path)) {
    throw new Error(
      `gateway route ${JSON.stringify(route.path)} must be /-separated literal or :param segments`,
    );
  }
  const segments = route.path
    .split('/')
    .map((segment) => (segment.startsWith(':') ? undefined : segment));
  return {
    route,
    segments,
    literals: segments.filter((segment) => segment !== undefined).length,
    methods:
      route.methods === undefined
        ? undefined
        : new Set(route.methods.map((method) => method.toUpperCase())),
  };
}

function covers(route: CompiledRoute<string>, segments: readonly string[]): boolean {
  if (
    route.route.exact
      ? segments.length !== route.segments.length
      : segments.length < route.segments.length
  )
    return false;
  return route.segments.every((wanted, index) =>
    wanted === undefined ? (segments[index] ?? '') !== '' : segments[index] === wanted,
  );
}

function moreSpecific(a: CompiledRoute<string>, b: CompiledRoute<string>): boolean {
  if (a.segments.length !== b.segments.length) return a.segments.length > b.segments.length;
  if (a.literals !== b.literals) return a.literals > b.literals;
  return Boolean(a.route.exact) && !b.route.exact;
}

function sameShape(a: CompiledRoute<string>, b: CompiledRoute<string>): boolean {
  return (
    a.segments.length === b.segments.length &&
    Boolean(a.route.exact) === Boolean(b.route.exact) &&
    a.segments.every((segment, index) => segment === b.segments[index])
  );
}

function methodsOverlap(a: CompiledRoute<string>, b: CompiledRoute<string>): boolean {
  if (a.methods === undefined || b.methods === undefined) return true;
  return [...a.methods].some((method) => b.methods?.has(method));
}
