/** The operators' MES API (`/ops`): Cognito users in the `operators` and `admins` groups. */
export const operatorsRoutes = [] as const;
