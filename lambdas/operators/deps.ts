import { operatorsDeps } from '@facet/adapters';
import { loadEnv, operatorsApiEnv } from '@facet/contracts';

/** The operators' routes share one environment contract and one set of adapters per function instance. */
export const deps = operatorsDeps(loadEnv(operatorsApiEnv));
