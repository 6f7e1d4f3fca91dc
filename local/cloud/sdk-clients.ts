import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** The emulators' endpoints and the SDK settings that reach them (the same variables handlers get). */
export interface SdkEnv {
  readonly AWS_REGION: string;
  readonly AWS_ACCESS_KEY_ID: string;
  readonly AWS_SECRET_ACCESS_KEY: string;
  readonly AWS_ENDPOINT_URL_DYNAMODB: string;
  readonly AWS_ENDPOINT_URL_SQS: string;
  readonly AWS_ENDPOINT_URL_SNS: string;
  readonly AWS_ENDPOINT_URL_S3: string;
}

export interface LocalClients {
  readonly dynamo: DynamoDBClient;
  readonly documents: DynamoDBDocumentClient;
  readonly streams: DynamoDBStreamsClient;
  readonly sqs: SQSClient;
  readonly sns: SNSClient;
}

/**
 * The local cloud's own SDK clients (creating resources, seeding, pollers), configured explicitly rather than
 * through process.env, so they point at this cloud's emulators whatever else runs in the process.
 */
export function localClients(env: SdkEnv): LocalClients {
  const base = {
    region: env.AWS_REGION,
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY },
  };
  const dynamo = new DynamoDBClient({ ...base, endpoint: env.AWS_ENDPOINT_URL_DYNAMODB });
  return {
    dynamo,
    documents: DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } }),
    streams: new DynamoDBStreamsClient({ ...base, endpoint: env.AWS_ENDPOINT_URL_DYNAMODB }),
    // Requests go to the endpoint, never to the host inside a queue URL (the emulator's does not resolve).
    sqs: new SQSClient({ ...base, endpoint: env.AWS_ENDPOINT_URL_SQS, useQueueUrlAsEndpoint: false }),
    sns: new SNSClient({ ...base, endpoint: env.AWS_ENDPOINT_URL_SNS }),
  };
}
