import {
  AdminCreateUserCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';

import { createUserWithTemporaryPassword, temporaryPassword } from './cognito-users.js';

const cognito = mockClient(CognitoIdentityProviderClient);

beforeEach(() => cognito.reset());

describe('temporaryPassword', () => {
  it("meets the pool's policy: upper and lower case, a digit, a symbol, at least 8 characters", () => {
    const password = temporaryPassword();
    expect(password.length).toBeGreaterThanOrEqual(8);
    expect(password).toMatch(/[A-Z]/);
    expect(password).toMatch(/[a-z]/);
    expect(password).toMatch(/\d/);
    expect(password).toMatch(/[^A-Za-z0-9]/);
  });

  it('differs each time', () => {
    expect(temporaryPassword()).not.toBe(temporaryPassword());
  });
});

describe('createUserWithTemporaryPassword', () => {
  it('creates the user silently, with a verified e-mail and the temporary password', async () => {
    cognito.on(AdminCreateUserCommand).resolves({ User: { Username: 'u-1' } });

    const created = await createUserWithTemporaryPassword(
      new CognitoIdentityProviderClient({ region: 'us-east-1' }),
      { userPoolId: 'us-east-1_pool', email: 'ann@example.com', temporaryPassword: 'Tmp-1aA!' },
    );

    expect(created.User?.Username).toBe('u-1');
    expect(cognito).toHaveReceivedCommandWith(AdminCreateUserCommand, {
      UserPoolId: 'us-east-1_pool',
      Username: 'ann@example.com',
      TemporaryPassword: 'Tmp-1aA!',
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: 'ann@example.com' },
        { Name: 'email_verified', Value: 'true' },
      ],
    });
  });
});
