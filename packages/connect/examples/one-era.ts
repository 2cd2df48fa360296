import { appAuth } from "@ghes-sdk/auth";
import { createConnect } from "@ghes-sdk/connect";
import * as ghes2022 from "@ghes-sdk/ghes-2022-11-28";

// An app for GHES 3.9 and later only: this era alone is in its bundle, and gh needs no narrowing.
const connect = createConnect({ "ghes-2022-11-28": ghes2022 });

const gh = await connect({
  baseUrl: process.env.GHES_HOST!,
  auth: appAuth({ appId: Number(process.env.GHES_APP_ID), privateKey: process.env.GHES_APP_PRIVATE_KEY! }),
  apiVersion: "2022-11-28", // the default; where a server serves several, the one to use
  timeout: 10_000, // any createClient option: it is passed on (detection is held to it too)
});

for await (const installation of ghes2022.paginate(gh.client, "/app/installations")) {
  console.log(`GHES ${gh.version}: installation ${installation.id}`);
}
