import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * One SDK client per service per process (module scope, created on first use). Endpoints come from the SDK's own
 * `AWS_ENDPOINT_URL_<SERVICE>` variables, so the same code talks to AWS or to the local emulators.
 */
let dynamo: DynamoDBDocumentClient | undefined;
let s3: S3Client | undefined;
let sqs: SQSClient | undefined;
let sns: SNSClient | undefined;
let ses: SESv2Client | undefined;

export function dynamoClient(): DynamoDBDocumentClient {
  dynamo ??= DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  return dynamo;
}

export function s3Client(forcePathStyle: boolean): S3Client {
  // WHEN_REQUIRED: otherwise the SDK adds a CRC32 of an empty body to presigned part URLs, which a browser's PUT
  // of the real part then fails.
  s3 ??= new S3Client({
    forcePathStyle,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return s3;
}

export function sqsClient(): SQSClient {
  // Requests go to the configured endpoint, never to the host inside a queue URL (on AWS they are the same; the
  // local emulator's queue URLs carry a host name that does not resolve).
  sqs ??= new SQSClient({ useQueueUrlAsEndpoint: false });
  return sqs;
}

export function snsClient(): SNSClient {
  sns ??= new SNSClient({});
  return sns;
}

export function sesClient(): SESv2Client {
  ses ??= new SESv2Client({});
  return ses;
}
