// Copy to web/public/config.js for `npx vite web` / `npx vite preview web` against a running stack,
// or let the deployment write /config.js. `npm run dev` serves its own. Not bundled.
window.APP_CONFIG = {
  userPoolId: 'us-east-1_Local0001',
  userPoolClientId: 'local-client',
  region: 'us-east-1',
  invokeUrl: 'http://127.0.0.1:3000/dev',
  // Local stack only: the Cognito stand-in. Leave out on AWS.
  cognitoEndpoint: 'http://127.0.0.1:4566',
};
