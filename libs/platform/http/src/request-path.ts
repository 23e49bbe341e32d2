/** The path of a request URL without its query: what identifies the resource (problem `instance`, idempotency scope). */
export function requestPath(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
