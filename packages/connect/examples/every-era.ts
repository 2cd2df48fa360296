import { appAuth } from "@ghes-sdk/auth";
import { connect } from "@ghes-sdk/connect";

// A bare host, the host's URL or its API root: ghes.example.com, https://ghes.example.com/api/v3, …
const gh = await connect({
  baseUrl: process.env.GHES_HOST!,
  auth: appAuth({ appId: Number(process.env.GHES_APP_ID), privateKey: process.env.GHES_APP_PRIVATE_KEY! }),
});

// Each era's client has that era's paths, bodies and responses: narrow on gh.era, then call.
switch (gh.era) {
  case "ghes-2.2x": {
    // GHES 2.20–2.22: the client sends the machine-man preview these endpoints need.
    const { data: installations = [] } = await gh.client.GET("/app/installations");
    console.log(`GHES ${gh.version} (${gh.era}): ${installations.length} installations`);
    break;
  }
  case "ghes-3.x": {
    const { data: installations = [] } = await gh.client.GET("/app/installations");
    console.log(`GHES ${gh.version} (${gh.era}): ${installations.length} installations`);
    break;
  }
  case "ghes-2022-11-28": {
    // Only this era has installation requests (GHES 3.5+ serves them; 3.9+ is this era).
    const { data: installations = [] } = await gh.client.GET("/app/installations");
    const { data: requests = [] } = await gh.client.GET("/app/installation-requests");
    console.log(`GHES ${gh.version} (${gh.era}, REST API ${gh.apiVersion}): ${installations.length} installations, ${requests.length} pending requests`);
    break;
  }
  case "ghes-2026-03-10": {
    // Only with apiVersion: "2026-03-10" (GHES 3.21+); the default there is 2022-11-28.
    const { data: installations = [] } = await gh.client.GET("/app/installations");
    console.log(`GHES ${gh.version} (${gh.era}, REST API ${gh.apiVersion}): ${installations.length} installations`);
    break;
  }
  default:
    // An era the SDK gained after this was written: its branch goes above.
    console.log("no branch for this server's era yet");
}
