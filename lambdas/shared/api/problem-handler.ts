import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { isDomainError } from '@facet/domain/errors';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { logger, metrics } from '../observability.ts';
import { problemBody } from '../problem.ts';
import { HttpProblem } from './http-problem.ts';
import { type ApiMiddleware, stateOf } from './state.ts';

/**
 * The error handler, registered last so it sees every error first (STYLE §4): our refusals and domain errors
 * become problem+json from the one catalogue, with field paths; anything else is a 500 that carries the
 * correlation id and nothing internal. It sets the response and lets the other error middlewares run.
 */
export const problemResponses = (): ApiMiddleware => ({
  onError: (request) => {
    const error = request.error;
    const correlationId = stateOf(request).correlationId;
    const instance = request.event.path;
    let body: ReturnType<typeof problemBody>;
    if (error instanceof HttpProblem) {
      body = problemBody(error.kind, error.message, { instance, correlationId, errors: error.errors });
    } else if (isDomainError(error)) {
      logger.info('request refused', { kind: error.kind, detail: error.message });
      body = problemBody(error.kind, error.message, {
        instance,
        correlationId,
        errors: error.fields,
        ...(error.details ? { details: error.details } : {}),
      });
    } else {
      logger.error('unhandled error', error as Error);
      body = problemBody(
        'internal',
        'Something went wrong on our side. Quote the correlation id when you contact us.',
        {
          instance,
          correlationId,
        },
      );
    }
    request.response = problemResult(body, correlationId);
  },
});

/**
 * Counts answers by class, per audience (the service name): refusals (4xx) and our failures (5xx) beside the
 * successes, so a dashboard shows what API Gateway cannot tell apart (its 4xx include the authorizer's).
 */
export const answerMetrics = (): ApiMiddleware => {
  const count = (status: number) => {
    metrics.addMetric('Answered2xx', MetricUnit.Count, status < 400 ? 1 : 0);
    metrics.addMetric('Answered4xx', MetricUnit.Count, status >= 400 && status < 500 ? 1 : 0);
    metrics.addMetric('Answered5xx', MetricUnit.Count, status >= 500 ? 1 : 0);
  };
  return {
    after: (request) => count(request.response?.statusCode ?? 500),
    onError: (request) => count(request.response?.statusCode ?? 500),
  };
};

export function problemResult(body: ReturnType<typeof problemBody>, correlationId?: string): APIGatewayProxyResult {
  return {
    statusCode: body.status,
    headers: {
      'content-type': 'application/problem+json',
      ...(correlationId ? { 'x-correlation-id': correlationId } : {}),
    },
    body: JSON.stringify(body),
  };
}
