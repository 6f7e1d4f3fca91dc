import { Logger } from '@aws-lambda-powertools/logger';

/** Module-scope logger shared by every handler of a process; keys are cleared per invocation by the bundles. */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'facet' });
