// An OAuth app checking one of its tokens: Basic client_id:client_secret.
import { oauthAppAuth } from "@ghes-sdk/auth";
import { createClient } from "@ghes-sdk/ghes-2022-11-28";

const clientId = process.env.GHES_CLIENT_ID!;
const github = createClient({
  baseUrl: process.env.GHES_API_URL!,
  auth: oauthAppAuth({ clientId, clientSecret: process.env.GHES_CLIENT_SECRET! }),
});

const { data, error, response } = await github.POST("/applications/{client_id}/token", {
  params: { path: { client_id: clientId } },
  body: { access_token: process.env.GHES_ACCESS_TOKEN! }, // the token to check goes in the body, not the URL
});
if (response.status === 404) console.log("token is not valid");
else if (error) throw new Error(`check failed: ${response.status}`);
else console.log(`token belongs to ${data.user?.login}, scopes: ${data.scopes?.join(", ")}`);
