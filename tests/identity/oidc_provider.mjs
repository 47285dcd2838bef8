// A real OpenID Connect provider for the identity tests (npm oidc-provider).
//
// One client; the account's claims are read from OIDC_CLAIMS_FILE at every
// token/userinfo request, so a test changes what the provider says by writing
// that file. devInteractions gives a login form that accepts any login.
import fs from "node:fs";

import Provider from "oidc-provider";

const env = process.env;
const issuer = `http://127.0.0.1:${env.OIDC_PORT}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: env.OIDC_CLIENT_ID,
      client_secret: env.OIDC_CLIENT_SECRET,
      redirect_uris: [env.OIDC_REDIRECT_URI],
      post_logout_redirect_uris: [env.OIDC_POST_LOGOUT_REDIRECT_URI],
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
    },
  ],
  claims: {
    openid: ["sub"],
    email: ["email", "email_verified"],
    // Custom claims ride on the standard profile scope, as many IdPs do.
    // roles, orgunit and cvr: custom claims named as an OS2faktor administrator might.
    profile: [
      "name",
      "given_name",
      "family_name",
      "preferred_username",
      "department",
      "groups",
      "roles",
      "orgunit",
      "cvr",
    ],
  },
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: { enabled: true },
  },
  pkce: { required: () => false },
  cookies: { keys: ["agora-test-cookie-key"] },
  async findAccount(ctx, sub) {
    return {
      accountId: sub,
      async claims() {
        const claims = JSON.parse(fs.readFileSync(env.OIDC_CLAIMS_FILE, "utf8"));
        return { ...claims, sub };
      },
    };
  },
});

provider.listen(Number(env.OIDC_PORT), "127.0.0.1", () => {
  console.log(`oidc-provider listening on ${issuer}`);
});
