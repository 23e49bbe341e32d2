import { STATUS_CODES } from 'node:http';

export interface StatusProblemType {
  readonly slug: string;
  readonly title: string;
}

/** Type and title for a bare status, when no code said more (framework errors, HttpExceptions). */
const KNOWN: Readonly<Record<number, StatusProblemType>> = {
  400: { slug: 'bad-request', title: 'Bad request' },
  401: { slug: 'unauthenticated', title: 'Authentication required' },
  403: { slug: 'forbidden', title: 'Forbidden' },
  404: { slug: 'not-found', title: 'Not found' },
  405: { slug: 'method-not-allowed', title: 'Method not allowed' },
  409: { slug: 'conflict', title: 'Conflict' },
  413: { slug: 'payload-too-large', title: 'Request body too large' },
  415: { slug: 'unsupported-media-type', title: 'Unsupported media type' },
  422: { slug: 'unprocessable', title: 'Unprocessable request' },
  429: { slug: 'too-many-requests', title: 'Too many requests' },
  500: { slug: 'internal', title: 'Internal error' },
  503: { slug: 'unavailable', title: 'Service unavailable' },
};

export function statusProblemType(status: number): StatusProblemType {
  const known = KNOWN[status];
  if (known !== undefined) return known;
  const phrase = STATUS_CODES[status] ?? 'Error';
  return { slug: phrase.toLowerCase().replace(/[^a-z0-9]+/g, '-'), title: phrase };
}
