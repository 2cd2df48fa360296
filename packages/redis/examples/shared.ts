import { installationAuth } from "@ghes-sdk/auth";
import { createClient, unwrap } from "@ghes-sdk/ghes-2022-11-28";
import { redisCache } from "@ghes-sdk/redis";

// One cache per process, shared by every strategy and client of the App in it.
const cache = redisCache({ url: process.env.REDIS_URL!, prefix: "my-app:" });

const github = createClient({
  baseUrl: process.env.GHES_URL!, // e.g. https://ghes.example.com/api/v3
  auth: installationAuth({
    appId: Number(process.env.GHES_APP_ID),
    privateKey: process.env.GHES_APP_PRIVATE_KEY!,
    installationId: Number(process.env.GHES_INSTALLATION_ID),
    cache,
  }),
});

const { repositories } = await unwrap(github.GET("/installation/repositories"));
console.log(`installation ${process.env.GHES_INSTALLATION_ID} sees ${repositories.map((r) => r.full_name).join(", ")}`);
await cache.close(); // at shutdown: the connection would keep the process alive
