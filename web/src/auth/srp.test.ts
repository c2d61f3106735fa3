import { getDiffieHellman } from 'node:crypto';

import {
  SRP_G,
  SRP_N,
  cognitoTimestamp,
  modPow,
  padHex,
  passwordAuthenticationKey,
  passwordClaimSignature,
  srpEphemeral,
} from './srp.js';

/**
 * Known-answer vectors from AWS's own Cognito SRP client, the .NET extension library
 * (aws/aws-sdk-net-extensions-cognito, test/Amazon.Extensions.CognitoAuthentication.UnitTests/
 * AuthenticationCryptoTests.cs: TestGetPasswordAuthenticationKey and TestAuthenticateUser),
 * recorded there "from a known working claim" against the real service.
 */
const AWS_VECTOR = {
  username: 'User5',
  password: 'Password1!',
  poolName: 'Pj8nlkpKR',
  salt: 'b704a27deb8cf5efec43a40eac5b60d2',
  // a = new BigInteger(bytes) with 1024 bytes, all 2 except the last one (0).
  a: BigInt(`0x${'02'.repeat(1023)}00`),
};

const KEY_VECTOR_B =
  '8d340308265ada665b1b2c730fb65ff0b6dc746b63c2d7e9f08b8aa9306d4848268bc0c17ee4a2999173ca62af59fd74b' +
  'a5d00f16c96bea082b163f2c3a0b745455d62cb9577425b4b5d4dadba163a8e7759a7c0256795f464682770588c84e82f2c63d47017' +
  '51476da8e8a7b1a131e78560fe7b56b6761fcef88dcc486f403369a0cac2f04c25ed6d5e08b5a2f488500a0d5af4972cfa1213bfca3' +
  '7bbae189c8d58465b13193204f21ea01d267c7688e6e6cb5d3f5a8005db680d272308ee823816032dd2c8fc3b95b6fd0a742feb127e' +
  '3d094cd002a5e6b209415ff82f6abf50d5da43910a0336e9a6fc33dd101bf13f22f13fcb3ea3809aae4917d7c426fb8c0a894030c75' +
  'd3e15f0e1078a9d89e5154391cde6111ac14fab9fa3b3a880da7dbd47fd5a055937581d26b5d225c076e82f980dcbd77b3950d270d8' +
  'b622dca9c9bcd8fd6435a59b9690b3c9e2bdabf58cae3420c19066abc420145b1b66f226a6493c96588c2d53b637798fcaa573379f2' +
  '251848065fe1fafb68ed5e79135e9';

const CLAIM_VECTOR_B =
  'f6c76f03232c3a93a634f5e49a74efbfffcd2b81f0dacb2bce0274ae68601b3d42a98feb96ba6a310cc2d4183edac62' +
  'd571d0d220258d8753a80c4f8815a10953a21964f19c824916f46417f46d921d7956bf5c10c63e7b1c84ce6e2bc407b4e0a103a52' +
  '9313f439182c6450ed434d049e0d9dd5da8cf3a1d1f6f2839f55754a7b17444b8c55ff6b13bf63f61e473ad6fad9f4a1a0b2541b2' +
  '00de07c10296d679b36bf683245cee039842ad9579031e26cb0931ac202fe713fa2c64f920a9830722f708d5ede7ab0521363e45f' +
  'b2ad0afefbd65264c39f46d0c4011e2e8dbf8d6c53764719599a359b17bcd4d7e37c76e9e68adde0dc586a29f835a2decab335a49' +
  '408fbc8452d2696743f4465d12748851889d405d7287296e93f9abfb9f11806235bb588e8381a0060a174f5b0959eedba81b94eb3' +
  '83e80465323b1fc85478edcca4b67403a45b73ccbdcd9eaeacebd5f2ca32c7344fdbbc15a2a3d060c2b822851a282370a8dacbbfe' +
  'dbc511376a6e8ad95a5ce28fc2b9c37751c8d4314b9';

const CLAIM_VECTOR_SECRET_BLOCK =
  'iZY+s7lYj4/5me1dgBZ9QR0vYOoatfBhec3Rc3kqPFAGIWAwxmaoXkOR1+kEvm0Aic/CxgXe0KHTTZuyKpsMfjbo2' +
  'J2YweeAtj47z6HCgVScBHeJ5il4NUhGJ6ehqWPls5ub233161UU/SxKAZYySbB8NNHIQidPNxEvBycU5gOeO9cOv4dlm3dwSRNFlg8OWJ' +
  'ysI7+ZXUgSWdfUBqog90wkIfLr7HirXnd3axiqpHqAApu4Ls7JFvgXxJa74ZJLtFobED/qSc4ALtRiAPwhKkomxhSXDF1S3dD+LcTQaR0' +
  '/gJY1+p1CuyTCQNBTVz5idOq8NhG/mMupKow7i54xWJp3gWCeRLMRYD5Od/b7QSgtBYZeLT2rDPb6T8oy8qScK4gq+1Ye6KmXTtmdc7XB' +
  'hwtyCk4xA8YBjeXO/Gq3G+rzpqMOS9e8P/EZ1xldkcme0qYesbUiKSVO30N2lPKo3qzWyq6zFi0pINpCiWLD+qdWa9Arofsml2IYgCxZw' +
  'moIRVk8vd/+UdhErVRFdOmMZWQVLki0K09UgrnvLLBcMxc4wq8myUmMivVpxg8vSaexrxGxDVnKZHgfl0jFCEWIYyMvPAspOo9bBT1l+o' +
  'QlVpf6RPKWlxgE4JSiWd9LD3PMdtETsyrWv1IxtktyzGI27UVanj0gGfesM56/FNImaxh+eoTBq4fJWxvfN0FvB90Ib/ZV+oJZ3jj8pKr' +
  'ZmDohutOQZqEIP5mme3UMGbkeF1zVnBuPT/Ujyb94RayMB4qvqnZap87o8gJ4iv0yp+HMAAxvPSvYJSr/dny/jEdsWM8aKU+a9+n3aMPo' +
  '/97DSIyiw2E3jcorR2emlichUHqdwDg/GAACUMTmV6peecDdhuF/KNZXBF4GEsoutDzPSsaXnQ11qKejULZt//fQ/e5JzWbUVhWXBOiRr' +
  '4JmbPdmWo9WIORrg/yrAlSe9RNnJOW+OCsAKLZYEHfuueUQYaxOpBTst+YQXzbwNYyX47H8nUDVXRLiA0zAoQHeTMXN8lL688MTICEUNa' +
  'JW9QWjrNIaTPic0oJ6CxVM/ayd8qv28EQ9BhyyE5yEreC9y+bpUQjTwxe62H/j0NiMsE5806dhx2RzxBlEYl51hs1aqwpQ6NGn51bwZPZ' +
  '5O7YitLyYdAoEdTo0hCXTKF2ITbSy8ZDv5cxQSv5zyXeHRfa/o1GSHWPawy3lYjHChVVj/ALBjpFVPJJwByQZqgXsrvuknWk7QFAi21ac' +
  'Qxm/4pqPVtFNVW7yZ51FawlQu6rKKfu1kyTJ6CKlcdXuJFv/NxQLPLq/to4b0UHNaD/mymwr0GSEn9GxpVB4fjhL4L2BRxCpt4lfLtx1K' +
  'MiTivUMIhrVShnrgUy2mpd/jooMsSf17GSvCYReg9dsaqvZXqbEMv6P2BX+RNXicLSfeDO9NyZhtuWZxyLJ5IlagOpVNbtGb/HCEQy+zF' +
  '8ySzho6e8vHxNodJX+xwCxRyKl6wbEdSEulWgm5WaUmsfySrNqLKassfrTdKLHyWUvjbWucEFzS0ddu+Q7j5RGaZ4MO7Qf1hN57WUE7ir' +
  'wXBc9UoAWI3Sggb+oDDuVKN5PMF6cL+3/yfetGX0Wrh9tk34z5pizLmOgqOqkMW5yFDqw8/pRqQA4Qo+VrpHL1a4vANgmOHw98918pFiC' +
  'G5lacOQn4FmA2QGWfNxU72qy6MLPnTgN/olShAFNFgckIn2F';

function awsEphemeral(): { a: bigint; srpA: string } {
  return { a: AWS_VECTOR.a, srpA: modPow(SRP_G, AWS_VECTOR.a, SRP_N).toString(16) };
}

describe('Cognito SRP client (AWS known-answer vectors)', () => {
  it('uses RFC 3526 group 15 as its modulus', () => {
    expect(SRP_N.toString(16)).toBe(getDiffieHellman('modp15').getPrime('hex'));
  });

  it('derives the password authentication key AWS recorded', async () => {
    const key = await passwordAuthenticationKey({
      poolName: AWS_VECTOR.poolName,
      userIdForSrp: AWS_VECTOR.username,
      password: AWS_VECTOR.password,
      ephemeral: awsEphemeral(),
      srpB: KEY_VECTOR_B,
      salt: AWS_VECTOR.salt,
    });
    expect(Buffer.from(key).toString('base64')).toBe('LmbBsy/4chqMRYOhmtmCrA==');
  });

  it('reproduces the PASSWORD_CLAIM_SIGNATURE of a claim the real service accepted', async () => {
    // The .NET test converts a local midnight to UTC, so its string depends on the machine's zone:
    // the recorded claim was made in US Pacific daylight time (UTC-7). No other hour matches.
    const timestamp = cognitoTimestamp(new Date(Date.UTC(2017, 5, 15, 7)));
    expect(timestamp).toBe('Thu Jun 15 07:00:00 UTC 2017');
    const signature = await passwordClaimSignature({
      poolName: AWS_VECTOR.poolName,
      userIdForSrp: AWS_VECTOR.username,
      password: AWS_VECTOR.password,
      ephemeral: awsEphemeral(),
      srpB: CLAIM_VECTOR_B,
      salt: AWS_VECTOR.salt,
      secretBlock: CLAIM_VECTOR_SECRET_BLOCK,
      timestamp,
    });
    expect(signature).toBe('QwHbbUqF6DSSepJh2QqTWDCb1XjmqaxnnW5kDn5dz7E=');
  });

  it('signs differently for a wrong password, user or timestamp', async () => {
    const base = {
      poolName: AWS_VECTOR.poolName,
      userIdForSrp: AWS_VECTOR.username,
      password: AWS_VECTOR.password,
      ephemeral: awsEphemeral(),
      srpB: CLAIM_VECTOR_B,
      salt: AWS_VECTOR.salt,
      secretBlock: CLAIM_VECTOR_SECRET_BLOCK,
      timestamp: 'Thu Jun 15 07:00:00 UTC 2017',
    };
    const right = 'QwHbbUqF6DSSepJh2QqTWDCb1XjmqaxnnW5kDn5dz7E=';
    await expect(passwordClaimSignature({ ...base, password: 'Password1?' })).resolves.not.toBe(
      right,
    );
    await expect(passwordClaimSignature({ ...base, userIdForSrp: 'User6' })).resolves.not.toBe(
      right,
    );
    await expect(
      passwordClaimSignature({ ...base, timestamp: 'Thu Jun 15 07:00:01 UTC 2017' }),
    ).resolves.not.toBe(right);
  });

  it('refuses an SRP_B that is zero modulo N', async () => {
    await expect(
      passwordAuthenticationKey({
        poolName: 'p',
        userIdForSrp: 'u',
        password: 'x',
        ephemeral: awsEphemeral(),
        srpB: SRP_N.toString(16),
        salt: '01',
      }),
    ).rejects.toThrow('invalid SRP_B');
  });
});

describe('SRP helpers', () => {
  it('pads numbers to two-complement bytes as Java and Amplify do', () => {
    expect(padHex(0x1n)).toBe('01');
    expect(padHex(0x7fn)).toBe('7f');
    expect(padHex(0x80n)).toBe('0080');
    expect(padHex(0xabcn)).toBe('0abc');
    expect(padHex(0xfabcn)).toBe('00fabc');
  });

  it('draws A = g^a from 128 random bytes', () => {
    const random = new Uint8Array(128).fill(7);
    const { a, srpA } = srpEphemeral(random);
    expect(a).toBe(BigInt(`0x${'07'.repeat(128)}`));
    expect(BigInt(`0x${srpA}`)).toBe(modPow(2n, a, SRP_N));
    expect(srpEphemeral().srpA).not.toBe(srpEphemeral().srpA);
  });

  it('formats timestamps without a leading zero on the day, with a 24-hour clock', () => {
    expect(cognitoTimestamp(new Date(Date.UTC(2026, 11, 4, 8, 5, 9)))).toBe(
      'Fri Dec 4 08:05:09 UTC 2026',
    );
    expect(cognitoTimestamp(new Date(Date.UTC(2000, 1, 1, 23, 59, 59)))).toBe(
      'Tue Feb 1 23:59:59 UTC 2000',
    );
  });
});
