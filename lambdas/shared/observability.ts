import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

/**
 * Module-scope Powertools singletons shared by every handler of a process (STYLE §7): the bundles reset the
 * logger's keys per invocation and flush metrics at its end, so nothing leaks from one invocation to the next.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'facet' });
export const metrics = new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Facet' });
