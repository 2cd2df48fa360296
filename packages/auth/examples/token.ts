// A user-to-server token (ghu_…), a PAT (ghp_…), an OAuth token (gho_…) or an installation token (ghs_…).
import { tokenAuth } from "@ghes-sdk/auth";
import { createClient } from "@ghes-sdk/ghes-2.2x";

const github = createClient({
  baseUrl: process.env.GHES_API_URL!, // e.g. https://ghes.example.com/api/v3
  auth: tokenAuth(process.env.GHES_TOKEN!), // `Authorization: token …`; { scheme: "bearer" } for `Bearer …`
});

// The 2.2x client adds the machine-man preview this endpoint needs.
const { data, error } = await github.GET("/user/installations");
if (error) throw new Error(`GET /user/installations failed: ${JSON.stringify(error)}`);
for (const { id, account } of data.installations) {
  // A user or organization account has a `login`; an enterprise account (GHES 2.22 descriptions) a `slug`.
  console.log(`installation ${id}: ${account && "login" in account ? account.login : account?.slug}`);
}
