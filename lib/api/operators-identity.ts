import { authorizers } from '@facet/wiring';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { IdentitySource, RequestAuthorizer } from 'aws-cdk-lib/aws-apigateway';
import {
  AccountRecovery,
  CfnUserPoolGroup,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { FacetFunction } from '../constructs/facet-function.ts';

/** The groups the operators' authorizer lets in; `admins` may also manage companies and their keys. */
export const staffGroups = ['operators', 'admins'] as const;

export interface OperatorsIdentityProps {
  /** Where the site lives (`https://…`): its /callback receives the code, its root the signed-out browser. */
  readonly siteUrl: string;
  readonly retain: boolean;
  readonly logRetention: RetentionDays;
}

/**
 * Sign-in of the operators' audience: a Cognito user pool (staff only, created by an admin, MFA required), its
 * groups, a public app client for the site (authorization code + PKCE, no secret), the hosted sign-in domain, and
 * the Lambda REQUEST authorizer (`authorizers.operators`) that verifies the pool's ID tokens and the group. The
 * local cloud runs the same authorizer code against its own issuer (local/cloud/identity.ts).
 */
export class OperatorsIdentity extends Construct {
  public readonly pool: UserPool;
  public readonly client: UserPoolClient;
  public readonly domain: UserPoolDomain;
  public readonly fn: FacetFunction<'OperatorsAuthorizer'>;
  public readonly authorizer: RequestAuthorizer;
  public readonly identityHeader = authorizers.operators.identityHeader;
  /** The ID tokens' `iss`: also the OIDC authority the site discovers the sign-in endpoints from. */
  public readonly issuer: string;

  constructor(scope: Construct, id: string, props: OperatorsIdentityProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.pool = new UserPool(this, 'Pool', {
      // Staff accounts are made by an admin, never by a stranger.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      standardAttributes: { email: { required: true, mutable: false } },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      // These accounts move orders of every company and issue API keys.
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: props.retain,
      removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    staffGroups.forEach((group, precedence) => {
      new CfnUserPoolGroup(this, `Group-${group}`, {
        userPoolId: this.pool.userPoolId,
        groupName: group,
        precedence,
        description: group === 'admins' ? 'Operators who also manage companies and keys' : 'Production staff',
      });
    });
    this.client = this.pool.addClient('Site', {
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [`${props.siteUrl}/callback`],
        logoutUrls: [`${props.siteUrl}/`],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });
    this.domain = this.pool.addDomain('Domain', {
      // Globally unique: the stack name carries the stage, the account keeps two accounts apart.
      cognitoDomain: { domainPrefix: `${stack.stackName.toLowerCase()}-ops-${stack.account}` },
    });

    this.issuer = `https://cognito-idp.${stack.region}.${stack.urlSuffix}/${this.pool.userPoolId}`;
    const decl = authorizers.operators;
    this.fn = new FacetFunction(this, decl.fn, {
      fn: decl.fn,
      entry: decl.entry,
      environment: {
        OPERATORS_ISSUER: this.issuer,
        OPERATORS_CLIENT_ID: this.client.userPoolClientId,
      },
      invocation: 'authorizer',
      logRetention: props.logRetention,
      memorySize: 256,
      timeout: Duration.seconds(5),
    });
    this.authorizer = new RequestAuthorizer(this, 'Authorizer', {
      handler: this.fn.function,
      identitySources: [IdentitySource.header(decl.identityHeader)],
      // The policy covers every operators' route (the handlers check the admin role), so a cached one serves them all.
      resultsCacheTtl: Duration.seconds(decl.cacheSeconds),
    });
  }

  /** The hosted sign-in's base URL (the site's OIDC authority is the issuer; this is where users sign in). */
  get signInUrl(): string {
    return this.domain.baseUrl();
  }
}
