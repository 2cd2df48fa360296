import { installationAuth } from "@ghes-sdk/auth";
import { createClient } from "@ghes-sdk/ghes-2022-11-28";
import { redisCache } from "@ghes-sdk/redis";

const cache = redisCache({ url: process.env.REDIS_URL! });

const github = createClient({
  baseUrl: process.env.GHES_URL!,
  // Waits out a rate limit that any process of the App met, and tells the others of one that this one meets.
  fetch: cache.shareRateLimits(),
  auth: installationAuth({
    appId: Number(process.env.GHES_APP_ID),
    privateKey: process.env.GHES_APP_PRIVATE_KEY!,
    installationId: Number(process.env.GHES_INSTALLATION_ID),
    cache,
  }),
});

const { data, response } = await github.GET("/installation/repositories");
console.log(`${response.status}: ${data?.total_count} repositories`);
await cache.close();
