import { MAX_MODEL_BYTES, type ReferenceView } from '@facet/contracts/api';
import { calculationReportSchema } from '@facet/contracts/report';
import { ALLOY_IDS, ALLOYS } from '@facet/domain/alloys';
import { DEFAULT_CASTING_RULES, minWallFor } from '@facet/domain/casting-rules';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { z } from 'zod';

const rules = DEFAULT_CASTING_RULES;

/** Built once per cold start: everything in it is fixed in the code that computes quotes and checks. */
const reference: ReferenceView = {
  alloys: ALLOY_IDS.map((id) => ({
    id,
    name: ALLOYS[id].name,
    densityGPerCm3: ALLOYS[id].densityGPerCm3,
    densitySource: ALLOYS[id].densitySource,
    minimumWallMm: minWallFor(id, rules),
  })),
  rules: {
    sprueAllowance: rules.sprueAllowance,
    rejectBelowMm: rules.rejectBelowMm,
    rejectMinAreaMm2: rules.rejectMinAreaMm2,
    reviewSolidOverMm: rules.reviewSolidOverMm,
  },
  finishes: ['high_polish', 'satin', 'matte', 'hammered'],
  formats: ['STL (binary)', 'STL (ASCII)', 'OBJ', '3MF'],
  upload: {
    maxModelBytes: MAX_MODEL_BYTES,
    partSizeBytes: 'max(8 MiB, ceil(size / 10,000))',
    rules:
      'PUT each part to its URL with exactly its size (every part partSize bytes, the last one the rest of the declared ' +
      'size: the URLs are pinned to those lengths), keep each ETag response header, then POST them all to completeUrl ' +
      '(/v1/orders/{orderId}/files/{fileId}/complete). Part URLs expire at expiresAt; GET the upload for fresh ones.',
  },
  reportSchema: z.toJSONSchema(calculationReportSchema) as Record<string, unknown>,
};
const body = JSON.stringify(reference);

/** GET /v1/reference — alloys, densities and sources, casting rules, formats, upload rules, the report schema. */
export async function handler(): Promise<APIGatewayProxyResult> {
  return {
    statusCode: 200,
    headers: {
      'content-type': 'application/json',
      'cache-control': 'public, max-age=3600',
      'access-control-allow-origin': '*',
    },
    body,
  };
}
