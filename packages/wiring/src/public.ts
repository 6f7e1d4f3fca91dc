import { referenceView } from '@facet/contracts/api';
import { z } from 'zod';
import { route } from './types.ts';

/** Public routes: the API description and its docs page. No authorizer, no data. */
export const publicRoutes = [
  route({
    method: 'GET',
    path: '/v1/openapi.json',
    audience: 'public',
    fn: 'OpenApiDocument',
    entry: 'lambdas/public/openapi-document.ts',
    doc: {
      summary: 'This document',
      tag: 'API',
      success: {
        status: 200,
        description: 'The OpenAPI 3.1 description of the API',
        schema: z.looseObject({ openapi: z.string(), info: z.looseObject({}), paths: z.looseObject({}) }),
      },
      problems: [],
    },
  }),
  route({
    method: 'GET',
    path: '/v1/reference',
    audience: 'public',
    fn: 'ApiReference',
    entry: 'lambdas/public/reference.ts',
    doc: {
      summary: 'Alloys, densities, casting rules, formats, upload rules and the report schema',
      description:
        'What quotes and checks are computed from: each alloy with its density (and source) and minimum wall, the ' +
        'sprue allowance, the thresholds of a rejection, the formats read, how uploads are split, and the JSON ' +
        'Schema of the full report. No key needed.',
      tag: 'API',
      success: { status: 200, description: 'The reference', schema: referenceView },
      problems: [],
    },
  }),
  route({
    method: 'GET',
    path: '/docs',
    audience: 'public',
    fn: 'ApiDocsPage',
    entry: 'lambdas/public/api-docs.ts',
    doc: null,
  }),
  route({
    method: 'GET',
    path: '/docs/{asset}',
    audience: 'public',
    fn: 'ApiDocsAsset',
    entry: 'lambdas/public/api-docs.ts',
    params: z.strictObject({ asset: z.string().regex(/^[\w.-]{1,64}$/) }),
    doc: null,
  }),
] as const;
